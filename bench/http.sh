#!/bin/bash
# HTTP throughput: wrk (1 thread, 64 connections) against GET /healthz on build/roadie
# serve (access log on, written to a file) and on nginx (bench/nginx.conf: 2 workers, access
# log off, `return 200` of the same body and content type), in interleaved 5 s runs,
# ROUNDS rounds (default 3). Prints req/s and p99 for each, and the ratio. Target: >= 0.8x.
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3} SECS=${SECS:-5} CONNS=${CONNS:-64}
for tool in wrk nginx; do
  command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "bench/http: $tool missing (scripts/deps.sh)"; exit 1; }
done
make --no-print-directory -j2 build/roadie >&2 || exit 1 # up to date with the tree
dir=$(mktemp -d /tmp/roadie-bench.XXXXXX)
rpid= npid=
cleanup() {
  [ -n "$rpid" ] && kill -TERM "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
  [ -n "$npid" ] && kill -QUIT "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }

rport=$(free_port) nport=$(free_port)
mkdir -p "$dir/data"
ROADIE_ENV=dev ROADIE_DATA_DIR="$dir/data" ROADIE_LISTEN=127.0.0.1:$rport ROADIE_PER_IP_CONN_LIMIT=10000 \
  ROADIE_RATE_DEFAULT=1000000000/60,1000000000 \
  ROADIE_LOG_LEVEL=info build/roadie serve 2>"$dir/roadie.log" &
rpid=$!
sed -e "s|__PORT__|$nport|" -e "s|__DIR__|$dir|g" bench/nginx.conf >"$dir/nginx.conf"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
$nginx -p "$dir" -c "$dir/nginx.conf" &
npid=$!
wait_up "http://127.0.0.1:$rport/healthz" || { echo "bench/http: roadie did not start"; cat "$dir/roadie.log"; exit 1; }
wait_up "http://127.0.0.1:$nport/healthz" || { echo "bench/http: nginx did not start"; cat "$dir/nginx-error.log"; exit 1; }
[ "$(curl -s http://127.0.0.1:$rport/healthz)" = "$(curl -s http://127.0.0.1:$nport/healthz)" ] ||
  { echo "bench/http: the two bodies differ"; exit 1; }

# "Requests/sec: N" and the 99% line of --latency, in ms.
run() { # URL [HEADER]
  local out rps p99
  out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency ${2:+-H "$2"} "$1" 2>&1)
  rps=$(grep -oP 'Requests/sec:\s*\K[0-9.]+' <<<"$out")
  p99=$(grep -oP '^\s*99%\s+\K[0-9.]+[a-z]+' <<<"$out")
  case $p99 in *us) p99=$(echo "scale=3; ${p99%us} / 1000" | bc) ;; *ms) p99=${p99%ms} ;;
    *s) p99=$(echo "scale=3; ${p99%s} * 1000" | bc) ;; esac
  echo "$rps $p99"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "bench/http: GET /healthz, wrk 1 thread, $CONNS connections, $ROUNDS rounds of ${SECS}s each, interleaved"
echo "bench/http: roadie $(git describe --always --dirty 2>/dev/null || echo ?) (access log on, to a file) vs $($nginx -v 2>&1 | cut -d: -f2 | tr -d ' ') (2 workers, access log off); $(nproc) cores"
wrk -t1 -c"$CONNS" -d1s "http://127.0.0.1:$rport/healthz" >/dev/null 2>&1 # warm-up
wrk -t1 -c"$CONNS" -d1s "http://127.0.0.1:$nport/healthz" >/dev/null 2>&1
r_rps=() r_p99=() n_rps=() n_p99=()
for i in $(seq "$ROUNDS"); do
  read -r a b <<<"$(run "http://127.0.0.1:$rport/healthz")"
  read -r c d <<<"$(run "http://127.0.0.1:$nport/healthz")"
  r_rps+=("$a") r_p99+=("$b") n_rps+=("$c") n_p99+=("$d")
  printf 'round %d: roadie %9.0f req/s  p99 %6.2f ms | nginx %9.0f req/s  p99 %6.2f ms\n' "$i" "$a" "$b" "$c" "$d"
done
# Authenticated: GET /v1/me with a user's access token (token check, user row, rate limit)
# against the same nginx reply. Target: >= 0.6x nginx with p99 < 5 ms.
token=$(curl -s -X POST "http://127.0.0.1:$rport/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"a bench passphrase 1"}' |
  /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
[ -n "$token" ] || { echo "bench/http: could not sign in"; exit 1; }
m_rps=() m_p99=() o_rps=()
for i in $(seq "$ROUNDS"); do
  read -r a b <<<"$(run "http://127.0.0.1:$rport/v1/me" "Authorization: Bearer $token")"
  read -r c d <<<"$(run "http://127.0.0.1:$nport/healthz")"
  m_rps+=("$a") m_p99+=("$b") o_rps+=("$c")
  printf 'round %d: roadie GET /v1/me %9.0f req/s  p99 %6.2f ms | nginx %9.0f req/s\n' "$i" "$a" "$b" "$c"
done
M=$(printf '%s\n' "${m_rps[@]}" | median) MP=$(printf '%s\n' "${m_p99[@]}" | median)
O=$(printf '%s\n' "${o_rps[@]}" | median)
R=$(printf '%s\n' "${r_rps[@]}" | median) RP=$(printf '%s\n' "${r_p99[@]}" | median)
N=$(printf '%s\n' "${n_rps[@]}" | median) NP=$(printf '%s\n' "${n_p99[@]}" | median)
kill -TERM "$rpid" && wait "$rpid"; rpid= # flushes the access log
check=$(/usr/bin/python3 -c '
import json, sys
n = bad = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        n += json.loads(line).get("msg") == "request"
    except ValueError:
        bad += 1
print(n, bad)' "$dir/roadie.log")
read -r lines bad <<<"$check"
printf 'roadie: %.0f req/s, p99 %.2f ms (median of %d; %d access-log lines, %d not valid JSON)\n' "$R" "$RP" "$ROUNDS" "$lines" "$bad"
printf 'nginx:  %.0f req/s, p99 %.2f ms (median of %d)\n' "$N" "$NP" "$ROUNDS"
ratio=$(echo "scale=3; $R / $N" | bc)
verdict=$(echo "$ratio >= 0.8" | bc)
printf 'ratio roadie/nginx: %.2fx (target >= 0.80x: %s)\n' "$ratio" "$([ "$verdict" = 1 ] && echo met || echo MISSED)"
mratio=$(echo "scale=3; $M / $O" | bc)
mverdict=$(echo "$mratio >= 0.6 && $MP < 5" | bc)
printf 'GET /v1/me: %.0f req/s, p99 %.2f ms; ratio to nginx %.2fx (target >= 0.60x, p99 < 5 ms: %s)\n' \
  "$M" "$MP" "$mratio" "$([ "$mverdict" = 1 ] && echo met || echo MISSED)"
