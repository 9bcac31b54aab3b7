#!/bin/bash
# Crypto benchmark: argon2id at Roadie's OWASP parameters against libsodium's interactive
# preset, JWT verification and webhook signing against bare HMAC-SHA256, all measured in this
# run (bench/crypto_bench.c says what each figure is).   bench/crypto.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/rel/libroadie.a
cc -O2 -D_GNU_SOURCE -Isrc $(pkg-config --cflags libsodium jansson) -o build/crypto_bench bench/crypto_bench.c \
  build/rel/libroadie.a $(pkg-config --libs libsodium jansson) -lm -lpthread
build/crypto_bench
