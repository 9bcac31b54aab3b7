"""Protocol abuse that libmicrohttpd answers itself (431, timeouts, connection limits) keeps
its own reply, but never stalls other clients."""
import socket
import time


def connect(server):
    host, port = server.url[len("http://"):].rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=5)
    return s


def closed_by_server(s, wait):
    """True when the server closes s (EOF or reset) within wait seconds."""
    s.settimeout(wait)
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def test_header_flood_gets_431(server):
    r = server.get("/healthz", headers={"X-Big": "a" * 20000})
    assert r.status_code == 431
    assert server.get("/healthz").status_code == 200


def test_large_but_sane_headers_pass(server):
    assert server.get("/healthz", headers={"Authorization": "Bearer " + "x" * 6000}).status_code == 200


def test_slow_clients_do_not_stall_others(server):
    slow = []
    for _ in range(20):
        s = connect(server)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never finishes
        slow.append(s)
    try:
        t0 = time.monotonic()
        for _ in range(5):
            assert server.get("/healthz", timeout=2).status_code == 200
        assert time.monotonic() - t0 < 2
    finally:
        for s in slow:
            s.close()


def test_idle_connection_closed_after_timeout(fresh_server):
    srv = fresh_server(timeout=1)
    s = connect(srv)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never end
    t0 = time.monotonic()
    assert closed_by_server(s, 5)
    assert time.monotonic() - t0 < 4
    s.close()
    assert srv.get("/healthz").status_code == 200
    assert srv.stop() == 0


def test_per_ip_connection_limit(fresh_server):
    srv = fresh_server(per_ip_conn_limit=4)
    held = [connect(srv) for _ in range(10)]
    try:
        time.sleep(0.3)
        refused = sum(closed_by_server(s, 0.3) for s in held)
        assert 6 <= refused < 10, refused  # at most 4 kept (one may lag being counted), the rest closed
    finally:
        for s in held:
            s.close()
    time.sleep(0.2)
    assert srv.get("/healthz").status_code == 200
    assert srv.stop() == 0
