#!/bin/bash
# Runs one pytest directory with Debian's interpreter and prints "<stage>: N passed, M failed"
# for scripts/test.sh to add up.   scripts/pytest-stage.sh STAGE DIR [pytest args...]
set -uo pipefail
stage=$1 dir=$2
shift 2
out=$(mktemp)
/usr/bin/python3 -m pytest -q -p no:cacheprovider "$dir" "$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
pass=$(grep -oP '\d+(?= passed)' "$out" | tail -1)
fail=$(grep -oP '\d+(?= (failed|error))' "$out" | paste -sd+ | bc)
rm -f "$out"
[ "$rc" -eq 0 ] || [ "${fail:-0}" -gt 0 ] || fail=1
echo "$stage: ${pass:-0} passed, ${fail:-0} failed"
[ "$rc" -eq 0 ]
