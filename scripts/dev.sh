#!/bin/bash
# make dev: run Roadie for development (ROADIE_ENV=dev: the database and generated secrets
# live under ./data, migrations are applied at start). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export ROADIE_ENV=${ROADIE_ENV:-dev}
export ROADIE_DATA_DIR=${ROADIE_DATA_DIR:-./data}
listen=${ROADIE_LISTEN:-127.0.0.1:8080}
build/roadie migrate
cat <<MSG

  Roadie (dev) on http://$listen
    API docs   http://$listen/docs        (OpenAPI: /openapi.json)
    health     http://$listen/healthz     ready: /readyz   metrics: /metrics
    data       $ROADIE_DATA_DIR (database, generated JWT keys)

MSG
exec build/roadie serve
