#!/bin/bash
# Runs cmocka unit test binaries (built with ASan+UBSan) and prints "unit: N passed, M failed".
set -uo pipefail
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The database tests run on PostgreSQL too: start a throwaway cluster for them unless one is
# given (scripts/test.sh starts one for the whole run) or ROADIE_TEST_PG=0.
if [ -z "${ROADIE_TEST_PG_URL:-}" ] && [ "${ROADIE_TEST_PG:-1}" != 0 ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  pgdir=$(mktemp -d /tmp/roadie-pg.XXXXXX)
  trap '"$(dirname "$0")/pg.sh" stop "$pgdir"' EXIT
  if url=$("$(dirname "$0")/pg.sh" start "$pgdir"); then export ROADIE_TEST_PG_URL=$url
  else echo "unit: PostgreSQL did not start; its cases are skipped" >&2; fi
fi
pass=0; fail=0; broken=0
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  echo "$out"
  p=$(grep -oP '^\[  PASSED  \] \K[0-9]+' <<<"$out" | tail -1)
  f=$(grep -oP '^\[  FAILED  \] \K[0-9]+' <<<"$out" | tail -1)
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  if [ $rc -ne 0 ] && [ "${f:-0}" = 0 ]; then echo "unit: $t exited $rc" >&2; broken=$((broken + 1)); fi
done
fail=$((fail + broken))
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
