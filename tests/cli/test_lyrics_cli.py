"""`roadie lyrics analyze` as a user runs it: file or stdin in, the JSON report out."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("ROADIE_BIN", os.path.join(ROOT, "build", "roadie"))
SONG = "I walk alone tonight\nUnder the city light\n\nHold on, hold on\nHold on, hold on\n"


def run(*args, stdin=None):
    return subprocess.run([BIN, "lyrics", *args], input=stdin, capture_output=True, timeout=30)


def test_stdin_and_file_give_the_same_report(tmp_path):
    path = tmp_path / "song.txt"
    path.write_text(SONG)
    a = run("analyze", stdin=SONG.encode())
    b = run("analyze", str(path))
    c = run("analyze", "-", stdin=SONG.encode())
    assert a.returncode == b.returncode == c.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout) == json.loads(c.stdout)
    report = json.loads(a.stdout)
    assert report["stanzas"][0]["scheme"] == "AA"
    assert [l["syllables"] for l in report["stanzas"][0]["lines"]] == [6, 6]
    assert report["hook"]["text"] == "Hold on, hold on"
    assert set(report) >= {"explicit", "sentiment", "repetition", "chorus", "stanzas", "profanity"}


def test_errors_and_help():
    assert run("analyze", "/nonexistent/song.txt").returncode == 1
    assert run("frobnicate").returncode == 2
    h = run("--help")
    assert h.returncode == 0 and b"analyze" in h.stdout


def test_binary_garbage_is_reported_not_crashed():
    r = run("analyze", stdin=bytes(range(256)) * 64)
    assert r.returncode == 0
    json.loads(r.stdout)
