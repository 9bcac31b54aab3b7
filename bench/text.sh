#!/bin/bash
# Lyric engine benchmark: syllables (lookup and held-out rule path, with npm `syllable` as the
# baseline), rhyme and schemes on Shakespeare's sonnets, sentiment on the Amazon/IMDB/Yelp
# sentences against an AFINN word-sum baseline and the reference VADER (npm), speed on 1 MB of
# lyrics and memory. The data comes from npm through scripts/lyrics-data.sh (run by the build).
#   bench/text.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/roadie build/share/lyrics/cmudict.txt
cc -O2 -D_GNU_SOURCE -Isrc -o build/text_eval bench/text_eval.c build/rel/libroadie.a -lm
build/text_eval build/share/lyrics build/lyrics-eval
node bench/text_vader.mjs build/npm/lyrics/node_modules build/lyrics-eval
