"""Artists, members, API keys, admin and GDPR, end to end."""
import os
import subprocess
import uuid

import pytest

from conftest import BIN, start_server

PW = "correct horse battery staple"


def signup(s, name="u"):
    r = s.request("POST", "/v1/auth/register", json={"email": "%s-%s@example.com" % (name, uuid.uuid4().hex[:10]),
                                                      "password": PW})
    assert r.status_code == 201, r.text
    t = r.json()
    t["h"] = {"Authorization": "Bearer " + t["access_token"]}
    return t


def test_artist_lifecycle_and_team(server):
    owner, ed, outsider = signup(server, "own"), signup(server, "ed"), signup(server, "out")
    r = server.request("POST", "/v1/artists", headers=owner["h"], json={"name": "The Band", "spotify_id": "0abc"})
    assert r.status_code == 201 and r.json()["role"] == "owner"
    a = r.json()["id"]
    assert [x["id"] for x in server.get("/v1/artists", headers=owner["h"]).json()["items"]] == [a]
    assert server.get("/v1/artists", headers=outsider["h"]).json()["items"] == []
    # strangers cannot tell the artist exists; guessing ids gives the same answer
    assert server.get("/v1/artists/" + a, headers=outsider["h"]).status_code == 404
    assert server.get("/v1/artists/nope", headers=outsider["h"]).status_code == 404
    m = server.request("POST", "/v1/artists/%s/members" % a, headers=owner["h"],
                       json={"email": ed["user"]["email"], "role": "editor"})
    assert m.status_code == 201
    assert server.request("POST", "/v1/artists/%s/members" % a, headers=owner["h"],
                          json={"email": ed["user"]["email"]}).status_code == 409
    assert server.request("POST", "/v1/artists/%s/members" % a, headers=owner["h"],
                          json={"email": "nobody-%s@example.com" % uuid.uuid4().hex}).status_code == 422
    team = server.get("/v1/artists/%s/members" % a, headers=ed["h"]).json()["items"]
    assert sorted(x["role"] for x in team) == ["editor", "owner"]
    assert server.request("PATCH", "/v1/artists/" + a, headers=ed["h"], json={"name": "X"}).status_code == 403
    r = server.request("PATCH", "/v1/artists/" + a, headers=owner["h"], json={"name": "The New Band", "spotify_id": None})
    assert r.status_code == 200 and r.json()["name"] == "The New Band" and r.json()["spotify_id"] is None
    # the last owner cannot step down or leave; with a second owner they can
    own_id = owner["user"]["id"]
    assert server.request("PATCH", "/v1/artists/%s/members/%s" % (a, own_id), headers=owner["h"],
                          json={"role": "viewer"}).status_code == 409
    assert server.request("DELETE", "/v1/artists/%s/members/%s" % (a, own_id), headers=owner["h"]).status_code == 409
    assert server.request("PATCH", "/v1/artists/%s/members/%s" % (a, ed["user"]["id"]), headers=owner["h"],
                          json={"role": "owner"}).status_code == 200
    assert server.request("DELETE", "/v1/artists/%s/members/%s" % (a, own_id), headers=owner["h"]).status_code == 204
    assert server.get("/v1/artists/" + a, headers=owner["h"]).status_code == 404
    assert server.request("DELETE", "/v1/artists/" + a, headers=ed["h"]).status_code == 204
    assert server.get("/v1/artists/" + a, headers=ed["h"]).status_code == 404


def test_api_keys(server):
    owner = signup(server, "keys")
    a = server.request("POST", "/v1/artists", headers=owner["h"], json={"name": "Keyed"}).json()["id"]
    r = server.request("POST", "/v1/artists/%s/api-keys" % a, headers=owner["h"],
                       json={"name": "ci", "scopes": ["write", "read", "read"]})
    assert r.status_code == 201
    k = r.json()
    assert k["key"].startswith("rk_") and k["scopes"] == ["read", "write"] and k["prefix"] == k["key"][:11]
    kh = {"Authorization": "Bearer " + k["key"]}
    got = server.get("/v1/artists/" + a, headers=kh)
    assert got.status_code == 200 and "role" not in got.json()
    assert server.get("/v1/me", headers=kh).status_code == 403
    assert server.get("/v1/artists/%s/members" % a, headers=kh).status_code == 403
    listed = server.get("/v1/artists/%s/api-keys" % a, headers=owner["h"]).json()["items"]
    assert [x["id"] for x in listed] == [k["id"]] and "key" not in listed[0]
    assert listed[0]["last_used_at"] is not None
    assert server.request("POST", "/v1/artists/%s/api-keys" % a, headers=owner["h"],
                          json={"name": "x", "scopes": ["admin"]}).status_code == 422
    assert server.request("DELETE", "/v1/artists/%s/api-keys/%s" % (a, k["id"]), headers=owner["h"]).status_code == 204
    assert server.request("DELETE", "/v1/artists/%s/api-keys/%s" % (a, k["id"]), headers=owner["h"]).status_code == 404
    assert server.get("/v1/artists/" + a, headers=kh).status_code == 401


@pytest.fixture(scope="module")
def admin_world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("admin")
    s = start_server(tmp, registration="closed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROADIE_") or k == "ROADIE_DATABASE_URL"}
    env["ROADIE_DATA_DIR"] = str(tmp / "data")
    email = "root-%s@example.com" % uuid.uuid4().hex[:8]
    subprocess.run([BIN, "user", "add", email, "--role", "admin"], input=PW + "\n", text=True, env=env,
                   cwd=str(tmp), check=True, capture_output=True)
    t = s.request("POST", "/v1/auth/login", json={"email": email, "password": PW}).json()
    yield s, {"Authorization": "Bearer " + t["access_token"]}, env, tmp
    assert s.stop() == 0


def test_admin_users_and_audit(admin_world):
    s, ah, env, tmp = admin_world
    email = "made-%s@example.com" % uuid.uuid4().hex[:8]
    r = s.request("POST", "/v1/admin/users", headers=ah, json={"email": email, "password": PW})
    assert r.status_code == 201
    uid = r.json()["id"]
    user = s.request("POST", "/v1/auth/login", json={"email": email, "password": PW}).json()
    uh = {"Authorization": "Bearer " + user["access_token"]}
    assert s.get("/v1/admin/users", headers=uh).status_code == 403
    page = s.get("/v1/admin/users?limit=1", headers=ah).json()
    assert len(page["items"]) == 1 and page["next"]
    assert s.get("/v1/admin/users?limit=0", headers=ah).status_code == 400
    # disabling takes effect at once
    assert s.request("PATCH", "/v1/admin/users/" + uid, headers=ah, json={"disabled": True}).status_code == 200
    assert s.get("/v1/me", headers=uh).status_code == 401
    assert s.request("POST", "/v1/auth/login", json={"email": email, "password": PW}).status_code == 401
    assert s.request("PATCH", "/v1/admin/users/nobody", headers=ah, json={"role": "admin"}).status_code == 404
    log = s.get("/v1/admin/audit?action=admin.user_changed", headers=ah).json()["items"]
    assert log and log[0]["target"] == uid
    assert s.get("/v1/admin/audit?since=yesterday", headers=ah).status_code == 400
    v = subprocess.run([BIN, "audit", "verify"], env=env, cwd=str(tmp), capture_output=True, text=True)
    assert v.returncode == 0, v.stdout + v.stderr


def test_gdpr_export_and_erase(server):
    me, other = signup(server, "gdpr"), signup(server, "co")
    solo = server.request("POST", "/v1/artists", headers=me["h"], json={"name": "Solo"}).json()["id"]
    shared = server.request("POST", "/v1/artists", headers=me["h"], json={"name": "Duo"}).json()["id"]
    server.request("POST", "/v1/artists/%s/members" % shared, headers=me["h"],
                   json={"email": other["user"]["email"], "role": "owner"})
    ex = server.get("/v1/me/export", headers=me["h"]).json()
    assert ex["user"]["email"] == me["user"]["email"]
    assert sorted(a["name"] for a in ex["artists"]) == ["Duo", "Solo"]
    assert any(e["action"] == "auth.register" for e in ex["activity"])
    assert len(ex["sign_ins"]) == 1 and ex["sign_ins"][0]["revoked_at"] is None
    assert any(p["email"] == me["user"]["email"] and p["ip"] == "127.0.0.1" for p in ex["personal_data_in_audit_log"])
    assert server.request("DELETE", "/v1/me", headers=me["h"], json={"password": "wrong wrong wrong"}).status_code == 422
    assert server.request("DELETE", "/v1/me", headers=me["h"], json={"password": PW}).status_code == 204
    assert server.get("/v1/me", headers=me["h"]).status_code == 401
    assert server.request("POST", "/v1/auth/login", json={"email": me["user"]["email"], "password": PW}).status_code == 401
    assert server.get("/v1/artists/" + shared, headers=other["h"]).status_code == 200
    assert server.get("/v1/artists/" + solo, headers=other["h"]).status_code == 404
    team = server.get("/v1/artists/%s/members" % shared, headers=other["h"]).json()["items"]
    assert [m["user_id"] for m in team] == [other["user"]["id"]]
