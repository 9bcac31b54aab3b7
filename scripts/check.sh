#!/bin/bash
# make check: formatting (clang-format, as .clang-format says) and static analysis (cppcheck).
set -uo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'fuzz/*.c' 'bench/*.c')
status=0
if ! clang-format --dry-run --Werror $files; then
  echo "check: clang-format would change the files above (run: clang-format -i <file>)" >&2; status=1
fi
if ! cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance --inline-suppr \
     --std=c11 -D_GNU_SOURCE -Isrc --suppress=missingIncludeSystem src; then
  echo "check: cppcheck found problems" >&2; status=1
fi
[ $status -eq 0 ] && echo "check: ok"
exit $status
