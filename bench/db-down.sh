#!/usr/bin/env bash
# The database killed under `headroom up` (small data, a data dir of its own), as an operator would see it:
# kill -9 of the PostgreSQL postmaster, then every 50 ms an uncached read (GET /users/N/orders) and a readiness
# check with curl, each timed, until the shop serves again; the supervisor restarts PostgreSQL by itself.
# Prints the timeline's summary (first 503 after the kill, slowest 503, slowest readiness, kill to 200 again,
# database back to 200 again) and the supervisor's lines. Under the bench lock.
#
# With --freeze S: SIGSTOP of the postmaster and its backends for S seconds instead (then SIGCONT), timed the same.
#
# Usage: bench/db-down.sh [--port PORT] [--freeze SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=18380 freeze=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --freeze) freeze=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "db-down.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
dir=$(mktemp -d)
out="$dir/up.log"
exec 9>/tmp/headroom-bench.lock
flock 9
"$root/headroom" up --data-dir "$dir/data" --port "$port" --users 1000 --products 200 --orders 2000 >"$out" 2>&1 &
up=$!
trap 'kill "$up" 2>/dev/null; wait "$up" 2>/dev/null; rm -rf "$dir"' EXIT
until grep -q '^ready ' "$out"; do
  kill -0 "$up" 2>/dev/null || { cat "$out"; exit 1; }
  sleep 0.2
done
url=$(sed -n 's/^ready \(http[^ ]*\).*/\1/p' "$out")
pg=$(sed -n 's/^primary primary [^ ]* pid \([0-9]*\)$/\1/p' "$out")
curl -s -o /dev/null "$url/products/1" # cached from now on
ms() { date +%s%3N; }
tree="$pg $(ps -o pid= --ppid "$pg" | tr '\n' ' ')"
if [ "$freeze" -gt 0 ]; then
  # shellcheck disable=SC2086
  kill -STOP $tree
  ( sleep "$freeze"; kill -CONT $tree ) &
else
  kill -9 "$pg"
fi
killed=$(ms)
if [ "$freeze" -gt 0 ]; then
  # Readiness side by side, as a balancer polls it: a frozen server fails nothing, readiness is what finds it.
  ( end=$(( killed + freeze * 1000 )); worst=0
    while [ "$(ms)" -lt "$end" ]; do
      read -r rc rs < <(curl -s --max-time 40 -o /dev/null -w '%{http_code} %{time_total}\n' "$url/health/ready")
      echo "readiness during the freeze: $rc in $rs s (+$(( $(ms) - killed )) ms)"
      read -r uc us < <(curl -s --max-time 40 -o /dev/null -w '%{http_code} %{time_total}\n' "$url/users/7/orders?limit=2")
      echo "uncached read during the freeze: $uc in $us s (+$(( $(ms) - killed )) ms)"
      sleep 0.5
    done ) > "$dir/freeze.log" &
fi
n=1 first503="" cached="" worst503=0 slowest=0 codes="" worstReady=0 back="" pgBack=""
while [ -z "$back" ] && [ $(( $(ms) - killed )) -lt 30000 ]; do
  read -r code secs < <(curl -s --max-time 40 -o /dev/null -w '%{http_code} %{time_total}\n' "$url/users/$n/orders?limit=2")
  now=$(ms); t=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')
  if [ "$code" = 503 ]; then
    if [ -z "$first503" ]; then
      first503="$(( now - killed )) ms after the kill, took $t ms"
      cached=$(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' "$url/products/1")
    fi
    [ "$t" -gt "$worst503" ] && worst503=$t
  elif [ "$code" = 200 ] && { [ -n "$first503" ] || { [ "$freeze" -gt 0 ] && [ $(( now - killed )) -gt $(( freeze * 1000 )) ]; }; }; then
    back=$(( now - killed ))
  fi
  [ "$t" -gt "$slowest" ] && slowest=$t
  codes="$codes $code"
  read -r rcode rsecs < <(curl -s --max-time 40 -o /dev/null -w '%{http_code} %{time_total}\n' "$url/health/ready")
  rt=$(awk -v s="$rsecs" 'BEGIN { printf "%d", s * 1000 }')
  [ "$rt" -gt "$worstReady" ] && worstReady=$rt
  if [ -z "$pgBack" ] && grep -q '^primary serves again' "$out"; then pgBack=$(( $(ms) - killed )); fi
  n=$(( n % 1000 + 1 ))
  sleep 0.05
done
echo "first 503: $first503"
echo "slowest 503: $worst503 ms; slowest readiness: $worstReady ms"
echo "slowest request: $slowest ms; statuses: $(echo $codes | tr ' ' '\n' | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
echo "kill (or freeze) to 200 again: ${back:-never} ms; supervisor's 'serves again' line seen ${pgBack:-never} ms after the kill"
echo "cached read while the database was down: $cached"
grep -E 'exited unexpectedly|serves again|unreachable|answers again|not restarting' "$out" || true
[ "$freeze" -gt 0 ] && { sleep 1; cat "$dir/freeze.log"; }
exit 0
