#!/bin/bash
# make docs: install the docs viewer (npm), then serve the API docs page until Ctrl-C.
# ROADIE_LISTEN picks the address (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web-deps.sh
export ROADIE_ENV=${ROADIE_ENV:-dev}
export ROADIE_DATA_DIR=${ROADIE_DATA_DIR:-./data}
export ROADIE_LISTEN=${ROADIE_LISTEN:-127.0.0.1:8080}
mkdir -p "$ROADIE_DATA_DIR"
host=${ROADIE_LISTEN%:*} port=${ROADIE_LISTEN##*:}
echo "docs: http://$host:$port/docs  (contract: http://$host:$port/openapi.json; Ctrl-C stops)"
exec build/roadie serve
