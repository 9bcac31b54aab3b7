"""Storage as the server sees it: readiness, dev auto-migration, prod refusals, migrate CLI."""
import os
import sqlite3
import subprocess

from conftest import BIN


def run(tmp_path, *args, stdin=None, **settings):
    """Runs `roadie ARGS` with a clean ROADIE_* environment plus settings; returns the result."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROADIE_")}
    env.update({"ROADIE_" + k.upper(): str(v) for k, v in settings.items()})
    env.setdefault("ROADIE_DATA_DIR", str(tmp_path / "data"))
    env["ASAN_OPTIONS"] = "detect_leaks=1"
    return subprocess.run([BIN, *args], env=env, cwd=str(tmp_path), input=stdin, capture_output=True, text=True,
                          timeout=60)


def keys_file(tmp_path):
    path = tmp_path / "jwt-keys"
    path.write_text("k1 " + os.urandom(32).hex() + "\n")
    return str(path)


def test_ready_and_connection_gauge(server):
    r = server.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready"}
    metrics = server.get("/metrics").text
    line = [l for l in metrics.splitlines() if l.startswith("roadie_db_connections_open ")]
    assert line and float(line[0].split()[1]) >= 1


def test_prod_refuses_without_secrets(tmp_path):
    r = run(tmp_path, "serve", env="prod", database_url="sqlite:%s/x.db" % tmp_path)
    assert r.returncode == 1
    assert "jwt_keys_file" in r.stderr


def test_prod_refuses_pending_migrations_until_migrated(tmp_path):
    db = "sqlite:%s/prod.db" % tmp_path
    r = run(tmp_path, "serve", env="prod", database_url=db, jwt_keys_file=keys_file(tmp_path))
    assert r.returncode == 1 and "pending" in r.stderr and "roadie migrate" in r.stderr
    st = run(tmp_path, "migrate", "--status", database_url=db)
    assert st.returncode == 0 and "pending  0001_init" in st.stdout
    m = run(tmp_path, "migrate", database_url=db)
    assert m.returncode == 0 and "applied 0001_init" in m.stdout
    st = run(tmp_path, "migrate", "--status", database_url=db)
    assert "applied  0001_init" in st.stdout and ", 0 pending" in st.stdout


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    db = "sqlite:%s" % path
    assert run(tmp_path, "migrate", database_url=db).returncode == 0
    con = sqlite3.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future', 'x', 0)")
    con.commit()
    con.close()
    for env in ("dev", "prod"):
        r = run(tmp_path, "serve", env=env, database_url=db, jwt_keys_file=keys_file(tmp_path))
        assert r.returncode == 1 and "newer than this roadie" in r.stderr, r.stderr
    r = run(tmp_path, "migrate", database_url=db)
    assert r.returncode == 1 and "newer" in r.stderr


def test_bad_database_url_is_a_clear_error(tmp_path):
    r = run(tmp_path, "migrate", database_url="mysql://x")
    assert r.returncode == 1 and "database_url" in r.stderr
    r = run(tmp_path, "serve", env="dev", database_url="postgresql://nobody@127.0.0.1:1/none")
    assert r.returncode == 1 and "postgresql" in r.stderr


def test_audit_and_user_commands(tmp_path):
    db = "sqlite:%s/ops.db" % tmp_path
    assert run(tmp_path, "migrate", database_url=db).returncode == 0
    weak = run(tmp_path, "user", "add", "Ops@Example.com", "--role", "admin", stdin="password1234\n", database_url=db)
    assert weak.returncode == 1 and "common" in weak.stderr
    ok = run(tmp_path, "user", "add", "Ops@Example.com", "--role", "admin", stdin="a long operator phrase\n",
             database_url=db)
    assert ok.returncode == 0 and "ops@example.com" in ok.stdout
    again = run(tmp_path, "user", "add", "ops@example.com", stdin="a long operator phrase\n", database_url=db)
    assert again.returncode == 1 and "already" in again.stderr
    head = run(tmp_path, "audit", "head", database_url=db).stdout.split()
    assert head[0] == "1" and len(head[1]) == 64
    assert run(tmp_path, "user", "reset-password", "ops@example.com", stdin="another long phrase\n",
               database_url=db).returncode == 0
    v = run(tmp_path, "audit", "verify", "--head", head[1], database_url=db)
    assert v.returncode == 0 and "2 entries" in v.stdout
    con = sqlite3.connect("%s/ops.db" % tmp_path)
    con.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
    con.commit()
    con.close()
    v = run(tmp_path, "audit", "verify", database_url=db)
    assert v.returncode == 1 and "entry 1" in v.stdout
