"""Request ids, CORS, security headers and the access log."""
import email.utils
import re
import time

import pytest

from conftest import ORIGIN_OK

ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


@pytest.mark.parametrize("sent,echoed", [
    ("abc-123", True),
    ("A.b_c-9", True),
    ("x" * 64, True),
    ("x" * 65, False),
    ("has space", False),
    ("semi;colon", False),
    ("", False),
])
def test_request_id(server, sent, echoed):
    r = server.get("/healthz", headers={"X-Request-Id": sent})
    got = r.headers["X-Request-Id"]
    assert ID_RE.match(got)
    assert (got == sent) == echoed


def test_date_header(server):
    for path in ("/healthz", "/nope"):
        date = server.get(path).headers["Date"]
        assert re.match(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                        r"\d{4} \d\d:\d\d:\d\d GMT$", date), date
        assert abs(email.utils.parsedate_to_datetime(date).timestamp() - time.time()) < 5


def test_request_ids_are_unique(server):
    ids = {server.get("/healthz").headers["X-Request-Id"] for _ in range(50)}
    assert len(ids) == 50


@pytest.mark.parametrize("path,status", [("/healthz", 200), ("/nope", 404), ("/_test/slow?ms=1", 200)])
def test_security_headers(server, path, status):
    r = server.get(path)
    assert r.status_code == status
    for k, v in SECURITY.items():
        assert r.headers.get(k) == v, k


@pytest.mark.parametrize("path", ["/healthz", "/docs/assets/redoc.standalone.js"])
@pytest.mark.parametrize("origin,allowed", [
    (ORIGIN_OK, True),
    ("https://evil.example", False),
    ("null", False),
    (None, False),
])
def test_cors_simple(server, path, origin, allowed):
    r = server.get(path, headers={"Origin": origin} if origin else {})
    assert r.status_code == 200
    # with CORS configured, every reply varies by Origin (the asset is cacheable)
    assert r.headers["Vary"] == "Origin"
    if allowed:
        assert r.headers["Access-Control-Allow-Origin"] == origin
        assert "X-Request-Id" in r.headers["Access-Control-Expose-Headers"]
    else:
        assert "Access-Control-Allow-Origin" not in r.headers


@pytest.mark.parametrize("origin,allowed", [(ORIGIN_OK, True), ("https://evil.example", False)])
def test_cors_preflight(server, origin, allowed):
    r = server.request("OPTIONS", "/_test/echo", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204
    assert r.headers["Allow"] == "POST, OPTIONS"
    if allowed:
        assert r.headers["Access-Control-Allow-Origin"] == origin
        assert "POST" in r.headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in r.headers["Access-Control-Allow-Headers"]
    else:
        assert "Access-Control-Allow-Origin" not in r.headers
        assert "Access-Control-Allow-Methods" not in r.headers


def test_options_unknown_path_is_404(server):
    r = server.request("OPTIONS", "/nope", headers={"Origin": ORIGIN_OK, "Access-Control-Request-Method": "GET"})
    assert r.status_code == 404


def find_log(server, rid):
    for _ in range(100):
        lines = [l for l in server.log_lines() if l.get("request_id") == rid and l.get("msg") == "request"]
        if lines:
            return lines
        time.sleep(0.02)
    return []


@pytest.mark.parametrize("path,route,status", [
    ("/_test/params/abc", "/_test/params/{id}", 200),
    ("/nope", None, 404),
])
def test_access_log(server, path, route, status):
    rid = "log-" + str(time.monotonic_ns())
    r = server.get(path, headers={"X-Request-Id": rid})
    assert r.status_code == status
    lines = find_log(server, rid)
    assert len(lines) == 1
    line = lines[0]
    assert line["level"] == "info"
    assert line["method"] == "GET"
    assert line["route"] == route
    assert line["path"] == path
    assert line["status"] == status
    assert line["bytes"] == len(r.content)
    assert line["ip"] == "127.0.0.1"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line["time"])


def test_forwarded_for_ignored_from_untrusted_peer(server):
    rid = "xff-" + str(time.monotonic_ns())
    server.get("/healthz", headers={"X-Request-Id": rid, "X-Forwarded-For": "203.0.113.7"})
    assert find_log(server, rid)[0]["ip"] == "127.0.0.1"


def test_forwarded_for_believed_from_trusted_proxy(fresh_server):
    s = fresh_server(trusted_proxies="127.0.0.1/32")
    for xff, want in [("203.0.113.7", "203.0.113.7"), ("198.51.100.1, 203.0.113.7, 127.0.0.1", "203.0.113.7"),
                      ("not-an-ip", "127.0.0.1")]:
        rid = "xff-" + str(time.monotonic_ns())
        s.get("/healthz", headers={"X-Request-Id": rid, "X-Forwarded-For": xff})
        assert find_log(s, rid)[0]["ip"] == want, xff
    assert s.stop() == 0
