"""/healthz, /readyz, /metrics, /openapi.json and /docs."""
import json
import os
import re
import time
import subprocess

import pytest

from conftest import BIN

METRIC_LINE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? '
                         r'[-+]?([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?|\+Inf|NaN)$')


def test_healthz(server):
    r = server.get("/healthz")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    assert r.json() == {"status": "ok"}


def test_readyz(server):
    r = server.get("/readyz")
    assert r.status_code in (200, 503)
    if r.status_code == 200:
        assert r.json() == {"status": "ready"}
    else:
        assert r.headers["Content-Type"] == "application/problem+json"
        assert r.json()["type"] == "urn:roadie:problem:unavailable"


def metrics(server):
    r = server.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return r.text


def sample(text, name, **labels):
    want = ",".join('%s="%s"' % kv for kv in labels.items())
    for line in text.splitlines():
        if line.startswith(name + "{") and all(('%s="%s"' % kv) in line for kv in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_format(server):
    text = metrics(server)
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        assert METRIC_LINE.match(line), line
    for family in ("roadie_http_requests_total counter", "roadie_http_request_duration_seconds histogram",
                   "roadie_http_requests_in_flight gauge", "roadie_build_info gauge"):
        assert "# TYPE " + family in text
    assert re.search(r'^roadie_build_info\{version="[^"]+"\} 1$', text, re.M)


def test_metrics_count_requests(server):
    before = metrics(server)
    for _ in range(7):
        server.get("/healthz")
    for _ in range(3):
        server.get("/no/such/route")
    server.request("POST", "/_test/echo", headers={"Content-Type": "application/json"}, data=b"{}")
    # a request is counted when it completes, just after its reply left: wait for the last one
    for _ in range(100):
        after = metrics(server)
        if sample(after, "roadie_http_requests_total", method="POST", route="/_test/echo", status="422") > \
                sample(before, "roadie_http_requests_total", method="POST", route="/_test/echo", status="422"):
            break
        time.sleep(0.01)
    def delta(name, **l):
        return sample(after, name, **l) - sample(before, name, **l)
    assert delta("roadie_http_requests_total", method="GET", route="/healthz", status="200") == 7
    assert delta("roadie_http_requests_total", route="unmatched", status="404") == 3
    assert delta("roadie_http_requests_total", method="POST", route="/_test/echo", status="422") == 1
    assert delta("roadie_http_request_duration_seconds_count", method="GET", route="/healthz") == 7
    assert sample(after, "roadie_http_request_duration_seconds_bucket", method="GET", route="/healthz", le="+Inf") \
        == sample(after, "roadie_http_request_duration_seconds_count", method="GET", route="/healthz")
    # the /metrics request itself is in flight while it renders
    assert re.search(r"^roadie_http_requests_in_flight 1$", after, re.M)


def test_openapi_served_equals_built_in(server):
    r = server.get("/openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    printed = subprocess.run([BIN, "openapi"], capture_output=True, check=True).stdout
    assert r.content == printed
    assert r.json()["openapi"] == "3.1.0"


def operations(spec):
    for path, item in spec["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                yield method.upper(), path


def test_openapi_paths_are_routes(server):
    """Every documented operation reaches a route (never the router's 404 or a 405)."""
    spec = server.get("/openapi.json").json()
    ops = list(operations(spec))
    assert ("GET", "/healthz") in ops
    for method, path in ops:
        concrete = re.sub(r"\{[^}]+\}", "x.js", path)
        r = server.request(method, concrete)
        assert r.status_code != 405, (method, path)
        if r.status_code == 404:
            assert not r.json()["detail"].startswith("no route matches"), (method, path)


def test_docs_page(server):
    r = server.get("/docs")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<redoc spec-url="openapi.json">' in r.text
    src = re.search(r'<script src="([^"]+)"', r.text).group(1)
    assert src == "docs/assets/redoc.standalone.js"
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    a = server.get("/" + src)
    assert a.status_code == 200
    assert a.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert len(a.content) > 100000
    assert "max-age" in a.headers["Cache-Control"]


@pytest.mark.parametrize("path", [
    "/docs/assets/../../etc/passwd",
    "/docs/assets/..%2f..%2fetc%2fpasswd",
    "/docs/assets/%2e%2e/%2e%2e/etc/passwd",
    "/docs/assets/.redoc-2.5.0",
    "/docs/assets/redoc.standalone.js%00.js",
    "/docs/assets//etc/passwd",
    "/docs/assets/nothing-here.js",
    "/docs/assets/redoc.standalone.exe",
])
def test_docs_assets_refuse_escapes(server, path):
    r = server.get(path)
    assert r.status_code in (400, 404), path
    assert r.headers["Content-Type"] == "application/problem+json"
    assert b"root:" not in r.content
