#!/bin/bash
# A throwaway PostgreSQL 15 cluster for tests, never the package's main cluster.
#   scripts/pg.sh start [DIR]   initdb in DIR, start on a free 127.0.0.1 port (and a unix socket
#                               in DIR), create database roadie, print its postgresql:// URL;
#                               when DIR's cluster runs already, just print the URL
#   scripts/pg.sh url [DIR]     print the URL of DIR's running cluster (exit 1 when none)
#   scripts/pg.sh stop [DIR]    stop it and delete DIR (nothing to do is fine)
# DIR defaults to /tmp/roadie-pg-$UID. Trust authentication, local connections only. As root
# the server runs as the `postgres` user (Debian's initdb refuses root); otherwise as the
# current user. Quiet unless something fails.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:-}
dir=${2:-/tmp/roadie-pg-$(id -u)}
usage() { echo "usage: scripts/pg.sh start|url|stop [DIR]" >&2; exit 2; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# DIR is ours to (re)create or delete: missing, empty, or marked by an earlier start.
ours() { [ ! -d "$dir" ] || [ -z "$(ls -A "$dir")" ] || [ -f "$dir/.roadie-pg" ]; }
running() { [ -f "$dir/url" ] && as "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    if running; then cat "$dir/url"; return; fi
    [ -x "$bin/initdb" ] || { echo "pg.sh: $bin/initdb missing (apt-get install postgresql)" >&2; exit 1; }
    ours || { echo "pg.sh: $dir is not empty and holds no cluster of ours; not touching it" >&2; exit 1; }
    rm -rf "$dir/data"
    mkdir -p "$dir"
    touch "$dir/.roadie-pg"
    chmod 700 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as test -w "$dir" || { echo "pg.sh: the postgres user cannot reach $dir (use a directory under /tmp)" >&2; exit 1; }
    as "$bin/initdb" -D "$dir/data" -A trust -U roadie --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    # Another process may take the port between choosing and binding it: try a few.
    local port tries
    for tries in 1 2 3 4 5; do
        port=$(free_port)
        if as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s -o \
            "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start 2>/dev/null; then
            as "$bin/createdb" -h "$dir" -p "$port" -U roadie roadie
            echo "postgresql://roadie@127.0.0.1:$port/roadie" >"$dir/url"
            cat "$dir/url"
            return
        fi
    done
    cat "$dir/server.log" >&2
    exit 1
}

case $cmd in
start) start ;;
url) running && cat "$dir/url" ;;
stop)
    ours || { echo "pg.sh: $dir holds no cluster of ours; not deleting it" >&2; exit 1; }
    [ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m fast -w -s stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*) usage ;;
esac
