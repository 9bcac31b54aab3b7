#!/bin/bash
# make fuzz: builds every fuzz/fuzz_*.c as a libFuzzer target (clang, ASan+UBSan) against
# the library sources (src/*/*.c except src/cmd/main.c, plus the generated sources), then
# runs each for FUZZ_SECONDS (default 60) from its committed corpus fuzz/corpus/<target>/
# (new inputs go to fuzz/corpus-<target>/, which git ignores; crashes to build/fuzz/).
# Prints "fuzz: N passed, M failed" (targets) last.   scripts/fuzz.sh [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
out=build/fuzz
mkdir -p "$out/obj" "$out/artifacts"

# The Makefile's own view of packages, libraries and generated sources.
vars=$(make -pn all 2>/dev/null | grep -E '^(PKGS|GEN_SRC|LIBS) := ')
PKGS=$(sed -n 's/^PKGS := //p' <<<"$vars" | tr ' ' '\n' | sort -u | tr '\n' ' ')
GEN_SRC=$(sed -n 's/^GEN_SRC := //p' <<<"$vars")
LIBS=$(sed -n 's/^LIBS := //p' <<<"$vars")
[ -z "$GEN_SRC" ] || make --no-print-directory -j2 $GEN_SRC >/dev/null || { echo "fuzz: generating sources failed"; exit 1; }

CC=clang
FLAGS="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all -D_GNU_SOURCE -Isrc -DROADIE_VERSION=\"fuzz\" $(pkg-config --cflags $PKGS)"
lib_src=$(ls src/*/*.c | grep -v '^src/cmd/main.c$'; echo $GEN_SRC)

# Library objects, rebuilt when the source or any header is newer than the archive.
lib=$out/libroadie-fuzz.a
newest_h=$(ls -t src/*/*.h | head -1)
if [ ! -f "$lib" ] || [ -n "$(find $lib_src "$newest_h" -newer "$lib" 2>/dev/null | head -1)" ]; then
  echo "fuzz: building the library with -fsanitize=fuzzer-no-link,address,undefined" >&2
  rm -f "$lib" "$out"/obj/*.o
  compile() { $CC $FLAGS -fsanitize=fuzzer-no-link,address,undefined -c "$1" -o "$out/obj/$(tr / _ <<<"$1").o"; }
  export -f compile; export CC FLAGS out
  printf '%s\n' $lib_src | xargs -P "$jobs" -I{} bash -c 'compile {}' ||
    { echo "fuzz: 0 passed, 1 failed (library build)"; exit 1; }
  ar rcs "$lib" "$out"/obj/*.o
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//'))
pass=0 fail=0
for t in "${targets[@]}"; do
  bin=$out/$t
  if ! $CC $FLAGS -fsanitize=fuzzer,address,undefined "fuzz/$t.c" "$lib" $(pkg-config --libs $PKGS) $LIBS -o "$bin"; then
    echo "fuzz: $t: build failed"; fail=$((fail + 1)); continue
  fi
  work=fuzz/corpus-$t
  mkdir -p "$work" "fuzz/corpus/$t"
  log=$out/$t.log
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp \
    "$bin" -max_total_time="$secs" -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t-" "$work" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(grep -oP 'stat::number_of_executed_units:\s*\K[0-9]+' "$log" | tail -1)
  cov=$(grep -oP '#[0-9]+\s+DONE\s+cov: \K[0-9]+' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "fuzz: $t: ok, ${runs:-?} runs in ${secs}s, coverage ${cov:-?} edges"; pass=$((pass + 1))
  else
    echo "fuzz: $t: FAILED (exit $rc); see $log and $out/artifacts/"; tail -30 "$log"; fail=$((fail + 1))
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
