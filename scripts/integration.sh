#!/bin/bash
# The integration suite: pytest (Debian's interpreter) against a real `roadie serve` on
# loopback (build/roadie-san unless ROADIE_BIN is set; ROADIE_DATABASE_URL is passed
# through, so scripts/test.sh runs it once on SQLite and once on PostgreSQL). Prints
# "$ROADIE_STAGE: N passed, M failed" last (stage "integration" by default).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${ROADIE_BIN:-build/roadie-san}
[ -x "$bin" ] || make --no-print-directory -j2 "$bin" >&2 || { echo "${ROADIE_STAGE:-integration}: 0 passed, 1 failed"; exit 1; }
scripts/web-deps.sh || echo "integration: docs viewer not installed; the /docs cases will fail" >&2
out=$(mktemp); trap 'rm -f "$out"' EXIT
/usr/bin/python3 -m pytest tests/integration -q -p no:cacheprovider "$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
summary=$(tail -1 "$out")
pass=$(grep -oP '[0-9]+(?= passed)' <<<"$summary" || echo 0)
fail=$(grep -oP '[0-9]+(?= failed)' <<<"$summary" || echo 0)
errs=$(grep -oP '[0-9]+(?= errors?)' <<<"$summary" || echo 0)
fail=$((${fail:-0} + ${errs:-0}))
# pytest failing without any failed case (collection error, crash) still counts as a failure
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
echo "${ROADIE_STAGE:-integration}: ${pass:-0} passed, $fail failed"
[ "$rc" -eq 0 ]
