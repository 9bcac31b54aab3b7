#!/bin/bash
# Everything CI runs, after `make test` has built the release binary, the sanitized
# binary and the unit tests. Each stage prints "<stage>: N passed, M failed"; the last
# line adds them up.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
pgdir=$(mktemp -d /tmp/roadie-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"; rm -f "$log"' EXIT
status=0
# One throwaway PostgreSQL cluster for the whole run: the unit suite's PostgreSQL cases and
# the integration suite's second pass use it.
ROADIE_TEST_PG_URL=$(scripts/pg.sh start "$pgdir") || { echo "test: cannot start PostgreSQL"; exit 1; }
export ROADIE_TEST_PG_URL
stage() { "$@" 2>&1 | tee -a "$log"; [ "${PIPESTATUS[0]}" -eq 0 ] || status=1; }
stage scripts/run-unit.sh $(find build/san/tests -type f -perm -u+x | sort)
stage scripts/pytest-stage.sh audio-schema tests/audio
stage scripts/pytest-stage.sh cli tests/cli
stage scripts/integration.sh
ROADIE_STAGE=integration-pg ROADIE_DATABASE_URL=$ROADIE_TEST_PG_URL stage scripts/integration.sh
pass=$(grep -oP '^[a-z-]+: \K[0-9]+(?= passed, [0-9]+ failed$)' "$log" | paste -sd+ | bc)
fail=$(grep -oP '^[a-z-]+: [0-9]+ passed, \K[0-9]+(?= failed$)' "$log" | paste -sd+ | bc)
[ "${fail:-0}" -eq 0 ] || status=1
echo "total: ${pass:-0} passed, ${fail:-0} failed"
exit $status
