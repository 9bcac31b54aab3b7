"""Accounts: registration, sign-in, tokens, the signed-in user, lockout, limits, lyrics."""
import base64
import json
import uuid

import pytest

PW = "correct horse battery staple"


def email():
    return "u-%s@example.com" % uuid.uuid4().hex[:12]


def register(server, addr=None, pw=PW, **extra):
    return server.request("POST", "/v1/auth/register", json={"email": addr or email(), "password": pw, **extra})


def auth(tokens):
    return {"Authorization": "Bearer " + tokens["access_token"]}


def b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_register_login_me(server):
    addr = email()
    r = register(server, addr.upper(), name="Ada")
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["token_type"] == "Bearer" and t["expires_in"] == 900
    assert t["user"]["email"] == addr and t["user"]["role"] == "user" and t["user"]["name"] == "Ada"
    me = server.get("/v1/me", headers=auth(t))
    assert me.status_code == 200 and me.json()["id"] == t["user"]["id"]
    r = server.request("POST", "/v1/auth/login", json={"email": addr, "password": PW})
    assert r.status_code == 200 and r.json()["user"]["id"] == t["user"]["id"]


@pytest.mark.parametrize("body,field", [
    ({"email": "not-an-email", "password": PW}, "email"),
    ({"email": "a@example.com", "password": "short"}, "password"),
    ({"email": "a@example.com", "password": "password1234"}, "password"),
    ({"email": "a@example.com", "password": PW, "role": "admin"}, "role"),
    ({"email": "a@example.com"}, "password"),
])
def test_register_validation(server, body, field):
    r = server.request("POST", "/v1/auth/register", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]]


def test_register_twice_is_409(server):
    addr = email()
    assert register(server, addr).status_code == 201
    r = register(server, addr.title())
    assert r.status_code == 409 and r.json()["type"] == "urn:roadie:problem:conflict"


def test_login_refusals_look_alike(server):
    addr = email()
    register(server, addr)
    unknown = server.request("POST", "/v1/auth/login", json={"email": email(), "password": PW})
    wrong = server.request("POST", "/v1/auth/login", json={"email": addr, "password": PW + "x"})
    assert unknown.status_code == wrong.status_code == 401
    strip = lambda r: {k: v for k, v in r.json().items() if k not in ("request_id",)}
    assert strip(unknown) == strip(wrong)


def test_lockout_after_five_failures(server):
    addr = email()
    register(server, addr)
    for _ in range(5):
        assert server.request("POST", "/v1/auth/login", json={"email": addr, "password": "nope nope nope"}).status_code == 401
    # the right password no longer helps, and the answer is the same
    r = server.request("POST", "/v1/auth/login", json={"email": addr, "password": PW})
    assert r.status_code == 401


@pytest.mark.parametrize("header", [
    None, "Bearer", "Basic abc", "Bearer not.a.token", "Bearer " + "A" * 5000,
    "Bearer " + b64({"alg": "none", "kid": "x"}) + "." + b64({"sub": "x"}) + ".",
    "Bearer " + b64({"alg": "RS256", "kid": "x"}) + "." + b64({"sub": "x"}) + ".c2ln",
])
def test_bad_credentials_are_401(server, header):
    r = server.get("/v1/me", headers={"Authorization": header} if header else {})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert r.headers["Content-Type"].startswith("application/problem+json")


def test_tampered_token_is_401(server):
    t = register(server).json()
    head, payload, sig = t["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged = ".".join([head, b64(claims), sig])
    assert server.get("/v1/me", headers={"Authorization": "Bearer " + forged}).status_code == 401


def test_unknown_api_key_is_401(server):
    r = server.get("/v1/me", headers={"Authorization": "Bearer rk_abcdefghijklmnopqrstuvwxyz"})
    assert r.status_code == 401  # a real key on /v1/me is 403: test_artists.py


def test_refresh_rotates_and_reuse_ends_the_family(server):
    t = register(server).json()
    r1 = server.request("POST", "/v1/auth/refresh", json={"refresh_token": t["refresh_token"]})
    assert r1.status_code == 200
    t1 = r1.json()
    assert t1["refresh_token"] != t["refresh_token"]
    # the first token again: reuse, so the whole family is revoked
    reuse = server.request("POST", "/v1/auth/refresh", json={"refresh_token": t["refresh_token"]})
    assert reuse.status_code == 401
    r2 = server.request("POST", "/v1/auth/refresh", json={"refresh_token": t1["refresh_token"]})
    assert r2.status_code == 401
    bogus = server.request("POST", "/v1/auth/refresh", json={"refresh_token": "rt_nothing"})
    assert bogus.status_code == 401


def test_logout_revokes(server):
    t = register(server).json()
    assert server.request("POST", "/v1/auth/logout", json={"refresh_token": t["refresh_token"]}).status_code == 204
    assert server.request("POST", "/v1/auth/refresh", json={"refresh_token": t["refresh_token"]}).status_code == 401


def test_password_change_ends_other_sessions(server):
    addr = email()
    t = register(server, addr).json()
    other = server.request("POST", "/v1/auth/login", json={"email": addr, "password": PW}).json()
    bad = server.request("POST", "/v1/me/password", headers=auth(t),
                         json={"current_password": "wrong wrong wrong", "new_password": "a brand new passphrase"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "current_password"
    r = server.request("POST", "/v1/me/password", headers=auth(t),
                       json={"current_password": PW, "new_password": "a brand new passphrase"})
    assert r.status_code == 200
    fresh = r.json()
    assert server.get("/v1/me", headers=auth(t)).status_code == 401        # older token version
    assert server.get("/v1/me", headers=auth(other)).status_code == 401
    assert server.request("POST", "/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 401
    assert server.get("/v1/me", headers=auth(fresh)).status_code == 200
    assert server.request("POST", "/v1/auth/login", json={"email": addr, "password": PW}).status_code == 401
    assert server.request("POST", "/v1/auth/login",
                          json={"email": addr, "password": "a brand new passphrase"}).status_code == 200


def test_patch_me(server):
    taken = email()
    register(server, taken)
    t = register(server).json()
    r = server.request("PATCH", "/v1/me", headers=auth(t), json={"name": "Nina"})
    assert r.status_code == 200 and r.json()["name"] == "Nina"
    assert server.request("PATCH", "/v1/me", headers=auth(t), json={"email": taken}).status_code == 409
    assert server.request("PATCH", "/v1/me", headers=auth(t), json={"role": "admin"}).status_code == 422


def test_lyrics_analyze(server):
    t = register(server).json()
    text = "I walk alone tonight\nUnder the city light\n"
    r = server.request("POST", "/v1/lyrics/analyze", headers=auth(t), json={"text": text})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["stanzas"][0]["scheme"] == "AA" and rep["explicit"] is False
    fr = server.request("POST", "/v1/lyrics/analyze", headers=auth(t), json={"text": text, "language": "fr"})
    assert fr.status_code == 422 and "English" in fr.json()["errors"][0]["message"]
    assert server.request("POST", "/v1/lyrics/analyze", json={"text": text}).status_code == 401
    big = server.request("POST", "/v1/lyrics/analyze", headers=auth(t), json={"text": "la " * 100000})
    assert big.status_code == 413


def test_closed_registration(fresh_server):
    s = fresh_server(registration="closed")
    r = register(s)
    assert r.status_code == 403 and "closed" in r.json()["detail"]


def test_auth_rate_limit(fresh_server):
    s = fresh_server(rate_auth="3/300")
    codes = [s.request("POST", "/v1/auth/login", json={"email": email(), "password": PW}) for _ in range(4)]
    assert [c.status_code for c in codes] == [401, 401, 401, 429]
    last = codes[-1]
    assert int(last.headers["Retry-After"]) >= 1
    assert last.headers["RateLimit-Limit"] == "3" and last.headers["RateLimit-Remaining"] == "0"
    assert last.json()["type"] == "urn:roadie:problem:rate-limited"


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server on a unix socket."""
    import shutil
    import subprocess
    import time
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen([exe, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if sock.exists():
            break
        time.sleep(0.01)
    yield "unix:" + str(sock)
    proc.terminate()
    proc.wait()


def test_rate_limits_shared_through_redis(fresh_server, redis_url):
    """Two instances on one Redis share the buckets: 3 logins per IP in all, not per server."""
    a = fresh_server(rate_auth="3/300", redis_url=redis_url)
    b = fresh_server(rate_auth="3/300", redis_url=redis_url)
    codes = []
    for s in (a, b, a, b):
        codes.append(s.request("POST", "/v1/auth/login", json={"email": email(), "password": PW}).status_code)
    assert codes == [401, 401, 401, 429]


def test_forged_tokens_with_the_real_key(fresh_server, tmp_path):
    """Tokens signed with the server's own key but wrong in one way each: all 401."""
    import hashlib
    import hmac
    import time
    s = fresh_server()
    me = register(s).json()
    kid, secret = open(tmp_path / "data" / "jwt-keys").read().split("\n")[1].split()
    key = bytes.fromhex(secret)
    now = int(time.time())
    good = {"iss": "roadie", "aud": "roadie-api", "sub": me["user"]["id"], "role": "user", "ver": 0,
            "iat": now, "nbf": now, "exp": now + 600}

    def sign(header, claims, digest=hashlib.sha256):
        head = b64(header) + "." + b64(claims)
        mac = hmac.new(key, head.encode(), digest).digest()
        return head + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    hs256 = {"alg": "HS256", "typ": "JWT", "kid": kid}
    assert s.get("/v1/me", headers={"Authorization": "Bearer " + sign(hs256, good)}).status_code == 200
    cases = {
        "expired": sign(hs256, {**good, "exp": now - 120}),
        "not yet valid": sign(hs256, {**good, "nbf": now + 600}),
        "unknown kid": sign({**hs256, "kid": "nope"}, good),
        "wrong audience": sign(hs256, {**good, "aud": "someone-else"}),
        "wrong issuer": sign(hs256, {**good, "iss": "evil"}),
        "HS512": sign({**hs256, "alg": "HS512"}, good, hashlib.sha512),
        "older token version": sign(hs256, {**good, "ver": -1}),
        "unknown user": sign(hs256, {**good, "sub": "nobody"}),
    }
    for name, token in cases.items():
        r = s.get("/v1/me", headers={"Authorization": "Bearer " + token})
        assert r.status_code == 401, name
