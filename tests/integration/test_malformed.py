"""Malformed requests get a 4xx (a problem+json one when Roadie makes it), never a 5xx or a
crash: a seeded random walk over methods, paths, headers and bodies, sent raw."""
import random
import requests
import time
import socket

from conftest import ORIGIN_OK

PATHS = ["/healthz", "/readyz", "/_test/echo", "/_test/params/%s", "/docs/assets/%s", "/v1/me", "/v1/artists/%s",
         "/v1/auth/login", "/nope/%s", "/%s"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "BREW", "G\x01T", ""]
PIECES = ["..", "%", "%zz", "%00", "%2F", "a" * 300, "\xff\xfe", "{id}", "?q=%zz&q=1", "#frag", "//", "\\", ";x=1",
          "ok", "x.js", "%25", "+"]
BODIES = [b"", b"{", b"[]", b"{}", b'{"name":"a"}', b'{"name":' + b"[" * 5000, b"\x00\x01\x02", b'{"a":1}' * 500,
          b'{"name":"\xff"}', b'{"name":"a","name":"b"}', b"null", b'"str"', b"1e999999"]
CTYPES = ["application/json", "text/plain", "application/json; charset=utf-8", "application/jsonx", "", "multipart/x"]


def raw(server, data, timeout=5):
    """Sends data, half-closes, and returns the first response (b"" when the server just
    closed). Reads by Content-Length: a keep-alive connection need not close at once."""
    host, port = server.url[len("http://"):].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed before reading everything
            pass
        out = b""
        try:
            while True:
                head, sep, body = out.partition(b"\r\n\r\n")
                if sep:
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    if data.startswith(b"HEAD ") or len(body) >= length:
                        return out
                chunk = s.recv(65536)
                if not chunk:
                    return out
                out += chunk
        except ConnectionResetError:
            return out


def request_bytes(rng):
    path = rng.choice(PATHS)
    if "%s" in path:
        path = path % "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 3)))
    method = rng.choice(METHODS)
    body = rng.choice(BODIES)
    headers = ["Host: x"]
    if rng.random() < 0.7:
        headers.append("Content-Type: " + rng.choice(CTYPES))
    if rng.random() < 0.8:  # (a wrong length is a slow client: test_abuse)
        headers.append("Content-Length: %d" % len(body))
    if rng.random() < 0.2:
        headers.append("X-Request-Id: " + rng.choice(["ok-1", "bad id", "\x7f", "x" * 100]))
    if rng.random() < 0.2:
        headers.append("Origin: " + rng.choice([ORIGIN_OK, "null", "https://evil.example"]))
    if rng.random() < 0.2:
        headers.append("Authorization: Bearer " + rng.choice(["x", "a.b.c", "rk_" + "z" * 40, ""]))
    if rng.random() < 0.1:
        headers.append("X-Forwarded-For: " + rng.choice(["1.2.3.4", "garbage", "::1, ::2"]))
    head = "%s %s HTTP/1.1\r\n%s\r\n\r\n" % (method, path, "\r\n".join(headers))
    return head.encode("latin-1") + body


def test_random_malformed_requests(fresh_server):
    # a server of its own: a client that half-closes right after a request can leave its
    # connection open until the idle timeout (see docs/http.md), which must not starve the
    # shared server of connections for the tests that follow
    server = fresh_server(timeout=2)
    rng = random.Random(20261124)
    statuses = {}
    for i in range(400):
        data = request_bytes(rng)
        out = raw(server, data)
        if not out:
            continue  # libmicrohttpd may just close on garbage; that is fine
        line = out.split(b"\r\n", 1)[0]
        assert line.startswith(b"HTTP/1."), (data[:200], out[:200])
        status = int(line.split()[1])
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (data[:300], out[:500])
    # connections this client left half-closed may hold its per-IP places until the idle
    # timeout (2 s here); after that the server answers it again
    deadline = time.monotonic() + 10
    while True:
        try:
            assert server.get("/healthz", timeout=2).status_code == 200
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "the server never answered again"
            time.sleep(0.2)
    assert len(statuses) >= 6, statuses  # the walk reached many different answers
