#!/bin/bash
# Database driver benchmark: point selects through src/db on PostgreSQL (a throwaway cluster
# from scripts/pg.sh) and SQLite, each against the raw client library in the same run
# (see bench/db_bench.c).   bench/db.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/roadie
cc -O2 -D_GNU_SOURCE -Isrc $(pkg-config --cflags libpq sqlite3) -o build/db_bench bench/db_bench.c \
    build/rel/libroadie.a $(pkg-config --libs libpq sqlite3) -lpthread -lm
tmp=$(mktemp -d /tmp/roadie-dbbench.XXXXXX)
pgdir=$(mktemp -d /tmp/roadie-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"; rm -rf "$tmp"' EXIT
url=$(scripts/pg.sh start "$pgdir")
build/db_bench "$url" "sqlite:$tmp/bench.db"
