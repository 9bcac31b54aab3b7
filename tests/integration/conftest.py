"""Boots a real `roadie serve` on loopback for the integration suite.

The binary is $ROADIE_BIN or build/roadie-san (the ASan+UBSan build). Each server gets a
temporary data dir, listens on port 0 (the port is read from its "listening on" log line),
serves the /_test/ routes (ROADIE_TEST_ROUTES=1), and is stopped with SIGTERM at the end,
which must exit 0. ROADIE_DATABASE_URL is passed through when set, so the same cases run
on SQLite and PostgreSQL.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import time

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("ROADIE_BIN", os.path.join(ROOT, "build", "roadie-san"))
ORIGIN_OK = "https://app.example"


class Server:
    def __init__(self, proc, url, log_path):
        self.proc = proc
        self.url = url
        self.log_path = log_path

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def request(self, method, path, timeout=10, **kw):
        if "%" in path:
            return self.raw(method, path, timeout=timeout, **kw)
        return requests.request(method, self.url + path, timeout=timeout, **kw)

    def raw(self, method, path, headers=None, data=None, timeout=10):
        """Sends path exactly as written (requests re-quotes bad escapes such as %zz)."""
        host, port = self.url[len("http://"):].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers or {})
            r = conn.getresponse()
            return RawResponse(r.status, r.headers, r.read())
        finally:
            conn.close()


    def log_lines(self):
        """Every JSON line the server wrote to stderr so far."""
        out = []
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
        return out

    def stop(self, timeout=30):
        """SIGTERM, then the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)


class RawResponse:
    """The parts of requests.Response the tests use."""

    def __init__(self, status, headers, content):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers.items())
        self.content = content
        self.text = content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def start_server(tmp_path, **settings):
    """Starts a server with ROADIE_<KEY>=value for each setting; waits for /healthz."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROADIE_") or k == "ROADIE_DATABASE_URL"}
    env.update({
        "ROADIE_ENV": "dev",
        "ROADIE_LISTEN": "127.0.0.1:0",
        "ROADIE_DATA_DIR": str(data),
        "ROADIE_TEST_ROUTES": "1",
        "ROADIE_CORS_ORIGINS": ORIGIN_OK,
        "ROADIE_THREADS": "2",
        # the suite signs in many times from one address; tests of the limits set their own
        "ROADIE_RATE_AUTH": "100000/60",
        "ROADIE_RATE_DEFAULT": "100000/60,100000",
    })
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    for k, v in settings.items():
        env["ROADIE_" + k.upper()] = str(v)
    log_path = tmp_path / ("server-%d.log" % len(list(tmp_path.glob("server-*.log"))))
    log = open(log_path, "wb")
    proc = subprocess.Popen([BIN, "serve"], env=env, stdout=log, stderr=log, cwd=str(tmp_path))
    log.close()
    deadline = time.monotonic() + 20
    url = None
    while time.monotonic() < deadline and url is None:
        if proc.poll() is not None:
            raise RuntimeError("roadie serve exited %d:\n%s" % (proc.returncode, log_path.read_text()))
        m = re.search(r"listening on (http://[^ ]+)", log_path.read_text(errors="replace"))
        url = m.group(1) if m else None
        time.sleep(0.02)
    if not url:
        proc.kill()
        raise RuntimeError("roadie serve did not say where it listens:\n" + log_path.read_text())
    server = Server(proc, url, log_path)
    while time.monotonic() < deadline:
        try:
            if server.get("/healthz", timeout=1).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("/healthz never answered:\n" + log_path.read_text())


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("roadie"))
    yield s
    assert s.stop() == 0, "roadie serve did not exit 0 on SIGTERM:\n" + s.log_path.read_text()


@pytest.fixture
def fresh_server(tmp_path):
    """A server of one's own (for tests that stop it or need other settings)."""
    started = []

    def make(**settings):
        s = start_server(tmp_path, **settings)
        started.append(s)
        return s

    yield make
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()
