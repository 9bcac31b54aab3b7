#!/bin/bash
# make bench: every benchmark under bench/ that runs without arguments, one after another.
# Each prints its own figures and their ratio to a reference measured in the same run.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for b in bench/*.sh; do
  echo "== $b"
  "$b" || status=1
done
exit $status
