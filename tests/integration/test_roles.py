"""The role matrix, derived from the route table (through /openapi.json, whose x-permission
and x-key-scope a unit test holds equal to the table): every operation x anonymous, user,
viewer, editor, owner, admin and API keys of each scope. A new route cannot skip it."""
import importlib.util
import os
import re
import subprocess
import uuid

import pytest

from conftest import BIN, ROOT, start_server

PW = "correct horse battery staple"
PRINCIPALS = ["anonymous", "user", "viewer", "editor", "owner", "admin",
              "key-read", "key-ingest", "key-write", "key-other-artist"]
_doc = importlib.util.spec_from_file_location("permissions_doc", os.path.join(ROOT, "scripts", "permissions-doc.py"))
DOC = importlib.util.module_from_spec(_doc)
_doc.loader.exec_module(DOC)


def expected(perm, scope, who):
    """'ok', or the status that must refuse who: the cell of docs/permissions.md (a key of
    another artist, which the table only mentions, gets 404 wherever its own would pass)."""
    if who == "key-other-artist":
        c = "404" if perm.startswith("artist") and scope != "none" else DOC.cell(perm, scope, "key: read")
    else:
        c = DOC.cell(perm, scope, who.replace("key-", "key: "))
    return "ok" if c.startswith("yes") else int(c)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("roles")
    s = start_server(tmp)
    tag = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROADIE_") or k == "ROADIE_DATABASE_URL"}
    env["ROADIE_DATA_DIR"] = str(tmp / "data")
    admin_email = "admin-%s@example.com" % tag
    subprocess.run([BIN, "user", "add", admin_email, "--role", "admin"], input=PW + "\n", text=True, env=env,
                   cwd=str(tmp), check=True, capture_output=True)
    tokens = {}
    for who in ["user", "viewer", "editor", "owner", "other"]:
        r = s.request("POST", "/v1/auth/register", json={"email": "%s-%s@example.com" % (who, tag), "password": PW})
        assert r.status_code == 201, r.text
        tokens[who] = r.json()
    tokens["admin"] = s.request("POST", "/v1/auth/login", json={"email": admin_email, "password": PW}).json()
    h = lambda who: {"Authorization": "Bearer " + tokens[who]["access_token"]}
    artist = s.request("POST", "/v1/artists", headers=h("owner"), json={"name": "Band"}).json()["id"]
    other = s.request("POST", "/v1/artists", headers=h("other"), json={"name": "Other"}).json()["id"]
    for who in ["viewer", "editor"]:
        r = s.request("POST", "/v1/artists/%s/members" % artist, headers=h("owner"),
                      json={"email": tokens[who]["user"]["email"], "role": who})
        assert r.status_code == 201, r.text
    headers = {who: h(who) for who in ["user", "viewer", "editor", "owner", "admin"]}
    headers["anonymous"] = {}
    key_ids = []
    for scope in ["read", "ingest", "write"]:
        r = s.request("POST", "/v1/artists/%s/api-keys" % artist, headers=h("owner"),
                      json={"name": scope, "scopes": [scope]})
        assert r.status_code == 201, r.text
        headers["key-" + scope] = {"Authorization": "Bearer " + r.json()["key"]}
        key_ids.append(r.json()["id"])
    r = s.request("POST", "/v1/artists/%s/api-keys" % other, headers=h("other"), json={"name": "x", "scopes": ["read", "write"]})
    headers["key-other-artist"] = {"Authorization": "Bearer " + r.json()["key"]}
    params = {"id": artist, "user_id": tokens["viewer"]["user"]["id"], "key_id": key_ids[0]}
    yield s, headers, params
    assert s.stop() == 0


def operations():
    """Every (method, path, permission, scope) of the contract, read from the built-in spec."""
    out = subprocess.run([BIN, "openapi"], capture_output=True, text=True, check=True).stdout
    import json
    spec = json.loads(out)
    for path, item in spec["paths"].items():
        for verb, op in item.items():
            if verb in ("get", "post", "put", "patch", "delete"):
                yield verb.upper(), path, op["x-permission"], op["x-key-scope"], "requestBody" in op


OPS = list(operations())


@pytest.mark.parametrize("method,path,perm,scope,has_body", OPS, ids=["%s %s" % (o[0], o[1]) for o in OPS])
def test_role_matrix(world, method, path, perm, scope, has_body):
    s, headers, params = world
    url = re.sub(r"\{(\w+)\}", lambda m: params.get(m.group(1), "nothing"), path)
    for who in PRINCIPALS:
        want = expected(perm, scope, who)
        if want == "ok" and (method == "DELETE" or not path.startswith("/v1/")):
            continue  # allowed, and running it would change the world (covered by the functional tests)
        # an allowed call stops at the body check (422) instead of acting
        kw = {"json": {"not_a_field": True}} if has_body else {}
        r = s.request(method, url, headers=headers[who], **kw)
        if want == "ok":
            assert r.status_code not in (401, 403), "%s %s as %s: %d %s" % (method, path, who, r.status_code, r.text)
            assert not (r.status_code == 404 and "artist" in r.text), "%s %s as %s: %s" % (method, path, who, r.text)
        else:
            assert r.status_code == want, "%s %s as %s: %d %s" % (method, path, who, r.status_code, r.text)


def test_permission_doc_is_current():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    made = subprocess.run(["/usr/bin/python3", os.path.join(root, "scripts", "permissions-doc.py")],
                          capture_output=True, text=True, check=True).stdout
    with open(os.path.join(root, "docs", "permissions.md")) as f:
        assert f.read() == made, "docs/permissions.md is stale: run scripts/permissions-doc.py > docs/permissions.md"
