"""Every error path answers application/problem+json (RFC 9457) with its own status and type."""
import json

import pytest

P = "urn:roadie:problem:"
JSON = {"Content-Type": "application/json"}


def chunks(data, size=512):
    for i in range(0, len(data), size):
        yield data[i:i + size]


CASES = [
    # id, method, path, headers, body, status, type
    ("unknown-route", "GET", "/nope", {}, None, 404, P + "not-found"),
    ("trailing-slash", "GET", "/healthz/", {}, None, 404, P + "not-found"),
    ("wrong-method", "POST", "/healthz", JSON, b"{}", 405, P + "method-not-allowed"),
    ("wrong-method-delete", "DELETE", "/_test/echo", {}, None, 405, P + "method-not-allowed"),
    ("too-large-content-length", "POST", "/_test/echo", JSON, b'{"name":"' + b"x" * 3000 + b'"}', 413,
     P + "body-too-large"),
    ("too-large-chunked", "POST", "/_test/echo", JSON, "chunked", 413, P + "body-too-large"),
    ("body-on-bodyless-route", "GET", "/healthz", JSON, b"{}", 413, P + "body-too-large"),
    ("wrong-content-type", "POST", "/_test/echo", {"Content-Type": "text/plain"}, b'{"name":"a"}', 415,
     P + "unsupported-media-type"),
    ("no-content-type", "POST", "/_test/echo", {}, b'{"name":"a"}', 415, P + "unsupported-media-type"),
    ("malformed-json", "POST", "/_test/echo", JSON, b'{"name":', 400, P + "malformed-json"),
    ("trailing-garbage", "POST", "/_test/echo", JSON, b'{"name":"a"} x', 400, P + "malformed-json"),
    ("duplicate-key", "POST", "/_test/echo", JSON, b'{"name":"a","name":"b"}', 400, P + "malformed-json"),
    ("invalid-utf8", "POST", "/_test/echo", JSON, b'{"name":"\xff"}', 400, P + "malformed-json"),
    ("empty-body", "POST", "/_test/echo", JSON, b"", 400, P + "malformed-json"),
    ("not-an-object", "POST", "/_test/echo", JSON, b"[1,2]", 422, P + "validation"),
    ("schema", "POST", "/_test/echo", JSON, b'{"count":101,"extra":true}', 422, P + "validation"),
    ("bad-path-param", "GET", "/_test/params/%zz", {}, None, 400, P + "bad-path-parameter"),
    ("nul-path-param", "GET", "/_test/params/a%00b", {}, None, 400, P + "bad-path-parameter"),
    ("non-utf8-path-param", "GET", "/_test/params/a%FFb", {}, None, 400, P + "bad-path-parameter"),
    ("overlong-path-param", "GET", "/_test/params/%C0%AF", {}, None, 400, P + "bad-path-parameter"),
]


@pytest.mark.parametrize("name,method,path,headers,body,status,ptype", CASES, ids=[c[0] for c in CASES])
def test_problem(server, name, method, path, headers, body, status, ptype):
    if body == "chunked":
        body = chunks(b'{"name":"' + b"y" * 5000 + b'"}')
    r = server.request(method, path, headers=headers, data=body)
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    p = r.json()
    assert p["type"] == ptype
    assert p["status"] == status
    assert p["title"] and p["detail"]
    assert p["instance"] == path
    assert p["request_id"] == r.headers["X-Request-Id"]
    if status == 405:
        assert "OPTIONS" in r.headers["Allow"]


def test_405_allow_header(server):
    r = server.request("PUT", "/healthz")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_422_lists_every_field(server):
    r = server.request("POST", "/_test/echo", headers=JSON,
                       data=json.dumps({"count": 101, "extra": True, "tags": ["ok", ""], "address": {}}))
    assert r.status_code == 422
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert errors == {
        "name": "is required",
        "count": "must be between 0 and 100",
        "tags[1]": "must have at least 1 characters",
        "address.city": "is required",
        "extra": "is not a known field",
    }


def test_valid_body_reaches_handler(server):
    body = {"name": "Nina", "count": 3, "tags": ["a", "b"], "address": {"city": "Lyon"}}
    r = server.request("POST", "/_test/echo", headers={"Content-Type": "application/json; charset=utf-8"},
                       data=json.dumps(body))
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/json"
    assert r.json() == {"echo": body}


def test_body_at_the_limit_is_accepted(server):
    name = "z" * 32
    body = ('{"name":"%s","tags":[]%s}' % (name, " " * 2048))[:2047] + "}"
    body = body[:2048]
    r = server.request("POST", "/_test/echo", headers=JSON, data=body.encode())
    assert len(body) <= 2048
    assert r.status_code in (200, 400), r.text  # whitespace-trimmed to fit; never 413
    r = server.request("POST", "/_test/echo", headers=JSON, data=b'{"name":"a"}' + b" " * (2048 - 12))
    assert r.status_code == 200, r.text
    r = server.request("POST", "/_test/echo", headers=JSON, data=b'{"name":"a"}' + b" " * (2049 - 12))
    assert r.status_code == 413


def test_params_decoded(server):
    r = server.get("/_test/params/a%2Fb%20c?q=x+y%21")
    assert r.status_code == 200
    assert r.json() == {"id": "a/b c", "q": "x y!", "route": "/_test/params/{id}"}


def test_keep_alive_survives_errors(server):
    """Errors answered after the body keep the connection (0.9.75 closes it on first-call replies)."""
    import requests
    with requests.Session() as s:
        for path in ("/healthz", "/nope", "/healthz"):
            r = s.get(server.url + path, timeout=5)
            assert r.headers.get("Connection", "").lower() != "close"
