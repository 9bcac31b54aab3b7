"""Slow handlers run on workers, and SIGTERM lets requests in flight finish."""
import threading
import time

import requests


def test_slow_handlers_do_not_stall_healthz(server):
    # three 1.5 s slow requests against two server threads: were they run inline, both
    # threads would be busy and /healthz would wait
    results = []
    def slow():
        results.append(server.get("/_test/slow?ms=1500", timeout=10).status_code)
    threads = [threading.Thread(target=slow) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    worst = 0.0
    for _ in range(10):
        t0 = time.monotonic()
        assert server.get("/healthz", timeout=5).status_code == 200
        worst = max(worst, time.monotonic() - t0)
    for t in threads:
        t.join()
    assert results == [200, 200, 200]
    assert worst < 0.5, "healthz took %.3f s while slow handlers ran" % worst


def test_sigterm_finishes_in_flight_request(fresh_server):
    s = fresh_server()
    out = {}
    def slow():
        try:
            r = s.get("/_test/slow?ms=1500", timeout=10)
            out["status"], out["body"] = r.status_code, r.json()
            out["connection"] = r.headers.get("Connection")
        except Exception as e:  # reported below
            out["error"] = repr(e)
    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.4)
    t0 = time.monotonic()
    s.proc.send_signal(15)
    time.sleep(0.2)
    # no new connections once stopping
    try:
        requests.get(s.url + "/healthz", timeout=1)
        refused = False
    except requests.ConnectionError:
        refused = True
    rc = s.proc.wait(timeout=15)
    t.join()
    assert out.get("status") == 200, out
    assert out["body"] == {"slept_ms": 1500}
    assert out["connection"] == "close"  # no keep-alive once stopping
    assert rc == 0, s.log_path.read_text()
    assert refused
    assert time.monotonic() - t0 >= 0.9  # it waited for the request
    assert any(l.get("msg") == "stopped" for l in s.log_lines())
