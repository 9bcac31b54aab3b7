#!/bin/bash
# Audio engine benchmark (issue: audio analysis). Prints, for a dev set built by
# ../shared/data/make-dev-audio.sh: per file and in total tempo Accuracy1/Accuracy2, the key
# MIREX score, time-signature accuracy per class, x-realtime per core and peak memory, with
# `aubio tempo` and `bpm` (bpm-tools) scored on the same files in the same run; then peak
# memory for a 10-minute track and loudness against `ffmpeg -af ebur128` on real stereo
# recordings.
#   bench/audio.sh DIR TRUTH.tsv          score an existing dev set
#   bench/audio.sh --build SEED DIR       build the dev set for SEED into DIR first
# With no arguments (make bench) it builds seed 7 into build/devset7.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --build ] || [ $# -eq 0 ]; then
    seed=${2:-7} dir=${3:-build/devset$seed}
    if [ ! -f "$dir/truth.tsv" ]; then
        # The shared script writes "KeySig Gb minor" / "Db minor", which mma refuses (seed 11
        # draws them); run a copy that spells those keys F# / C# minor.
        fixed=$(mktemp)
        sed 's/else echo "KeySig ${names\[$key\]} minor"; fi/else ks=${names[$key]}; case $ks in Gb) ks="F#";; Db) ks="C#";; esac; echo "KeySig $ks minor"; fi/' \
            ../shared/data/make-dev-audio.sh >"$fixed"
        bash "$fixed" "$dir" "$seed"
        rm -f "$fixed"
    fi
    set -- "$dir" "$dir/truth.tsv"
fi
dir=$1 truth=$2
make -s build/roadie
cc -O2 -D_GNU_SOURCE -Isrc -o build/audio_eval bench/audio_eval.c build/rel/libroadie.a \
    $(pkg-config --cflags --libs fftw3f sndfile libebur128 soxr libsodium) -lm -lpthread

echo "== dev set $dir: roadie vs aubio vs bpm-tools (same files, same run)"
build/audio_eval "$dir" "$truth" --ref

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
first=$(awk -F'\t' 'NR == 2 { print $1 }' "$truth")
echo "== 10-minute track (sox repeat of $first)"
sox "$dir/$first" "$tmp/long.wav" repeat 9 trim 0 600
build/audio_eval --long "$tmp/long.wav"

echo "== loudness vs ffmpeg ebur128, real stereo recordings (planetblupi, first 120 s)"
worst=0
for f in /usr/share/planetblupi/music/music00?.ogg; do
    sox "$f" -c 2 "$tmp/cut.wav" trim 0 120
    ours=$(build/roadie analyze "$tmp/cut.wav" | grep -oP '"loudness":\K[-0-9.]+')
    ref=$(ffmpeg -nostats -hide_banner -i "$tmp/cut.wav" -af ebur128 -f null - 2>&1 | grep -oP '^\s+I:\s+\K[-0-9.]+' | tail -1)
    delta=$(echo "$ours - $ref" | bc -l | sed 's/^-//')
    worst=$(echo "if ($delta > $worst) $delta else $worst" | bc -l)
    printf '%-14s roadie %8.2f LUFS  ffmpeg %6.1f LUFS  |delta| %.2f dB\n' "$(basename "$f")" "$ours" "$ref" "$delta"
done
printf 'loudness: largest |delta| %.2f dB (ffmpeg prints one decimal; target 0.2)\n' "$worst"
