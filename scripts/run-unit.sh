#!/bin/bash
# Runs cmocka unit test binaries (built with ASan+UBSan) and prints "unit: N passed, M failed".
set -uo pipefail
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
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
