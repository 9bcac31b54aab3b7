#!/bin/bash
# make dev: run Roadie for development on 127.0.0.1:8080 (ROADIE_ENV=dev: secrets are generated
# under the data dir and migrations are applied at start). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export ROADIE_ENV=${ROADIE_ENV:-dev}
export ROADIE_DATA_DIR=${ROADIE_DATA_DIR:-./data}
mkdir -p "$ROADIE_DATA_DIR"
build/roadie migrate
exec build/roadie serve
