#!/bin/bash
# A throwaway PostgreSQL 15 cluster for tests, never the package's main cluster.
#   scripts/pg.sh start DIR   initdb in DIR, start on a free 127.0.0.1 port, print the URL
#   scripts/pg.sh stop DIR    stop it and delete DIR
# As root the server runs as the `postgres` user; otherwise as the current user.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: scripts/pg.sh start|stop DIR" >&2; exit 2; }
as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $cmd in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as "$bin/initdb" -D "$dir/data" -A trust -U roadie --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start ||
        { cat "$dir/server.log" >&2; exit 1; }
    as "$bin/createdb" -h 127.0.0.1 -p "$port" -U roadie roadie
    echo "postgresql://roadie@127.0.0.1:$port/roadie"
    ;;
stop)
    [ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m fast -w -s stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*) echo "usage: scripts/pg.sh start|stop DIR" >&2; exit 2 ;;
esac
