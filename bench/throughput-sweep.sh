#!/usr/bin/env bash
# The throughput lab against nginx `return 200` and the shop, each pinned to CPU 1 with the generator on CPU 0.
#
# nginx: one worker, every doubling level 1 … --nginx-max (default 32768; levels given, so a fall does not stop
#        the sweep: it runs until the descriptor limit or a failed level), the plain GET of its one location.
# shop:  `headroom up --profile optimized` (embedded PostgreSQL and Redis on CPU 1 with it), warmed for 20 s,
#        then the shop mix of docs/examples/shop.scenario, every doubling level 1 … --shop-max (default 1024).
#        With --shop-path PATH (e.g. /products/7) the shop is swept with that one GET instead of the mix.
# Each writes JSON, CSV, SVG and HTML into --out (default docs/examples), named throughput-nginx.* and
# throughput-shop.* (throughput-shop-path.* with --shop-path). Either part can be skipped with --only nginx|shop.
#
# Usage: bench/throughput-sweep.sh [--only nginx|shop] [--nginx-max N] [--shop-max N] [--shop-path PATH]
#                                  [--duration 5s] [--out DIR]
# Needs: nginx and taskset (apt-get install nginx-light util-linux)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
only='' nginx_max=32768 shop_max=1024 shop_path='' duration=5s out=$root/docs/examples
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=$2; shift 2 ;;
    --nginx-max) nginx_max=$2; shift 2 ;;
    --shop-max) shop_max=$2; shift 2 ;;
    --shop-path) shop_path=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "throughput-sweep.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for tool in nginx taskset; do command -v $tool >/dev/null || { echo "throughput-sweep.sh: $tool not found" >&2; exit 2; }; done
work=$(mktemp -d)
"$root/headroom" --version >/dev/null
cp "$root/headroom-cli/target/headroom.jar" "$work/headroom.jar"
HEADROOM_JDK_NEED=run . "$root/scripts/find-jdk.sh"
lab() { taskset -c 0 "$JAVA_HOME/bin/java" -Xss512k -Xmx2g -jar "$work/headroom.jar" lab throughput "$@"; }
cleanup() {
  nginx -p "$work" -c "$root/bench/nginx-sweep.conf" -s stop 2>/dev/null || true
  [ -n "${shop_pid:-}" ] && kill "$shop_pid" 2>/dev/null && wait "$shop_pid" 2>/dev/null || true
}
trap cleanup EXIT
# 1,2,4,…,MAX as a --levels list: levels given all run, so one noisy fall does not end the curve early
doubling() {
  local levels=1 n=2
  while [ "$n" -lt "$1" ]; do levels+=",$n"; n=$((n * 2)); done
  [ "$1" -gt 1 ] && levels+=",$1"
  printf '%s' "$levels"
}

if [ "$only" != shop ]; then
  taskset -c 1 nginx -p "$work" -c "$root/bench/nginx-sweep.conf"
  echo "== nginx return 200, 1 … $nginx_max connections (ulimit -n $(ulimit -n))"
  lab http://127.0.0.1:18889/ --levels "$(doubling "$nginx_max")" --duration "$duration" \
      --json "$out/throughput-nginx.json" --csv "$out/throughput-nginx.csv" --svg "$out/throughput-nginx.svg" --html "$out/throughput-nginx.html" || true
  nginx -p "$work" -c "$root/bench/nginx-sweep.conf" -s stop
fi

if [ "$only" != nginx ]; then
  taskset -c 1 "$JAVA_HOME/bin/java" -Xss512k -Xmx2g -jar "$work/headroom.jar" up --profile optimized --port 18890 \
      --data-dir "$work/shop" > "$work/shop.log" 2>&1 &
  shop_pid=$!
  for _ in $(seq 1 600); do
    curl -sf http://127.0.0.1:18890/health/ready >/dev/null 2>&1 && break
    kill -0 "$shop_pid" 2>/dev/null || { echo "the shop did not start; its log:" >&2; cat "$work/shop.log" >&2; exit 1; }
    sleep 1
  done
  # A fresh JVM compiles for its first tens of seconds on the shop's one core: warm it, or the first levels
  # measure the JIT (and requests wait for the event loop outside the server's count).
  echo "== shop: warming up (20 s at 32 connections)"
  taskset -c 0 "$JAVA_HOME/bin/java" -Xmx1g -jar "$work/headroom.jar" load --quiet --scenario "$root/docs/examples/shop.scenario" \
      --concurrency 32 --duration 20s http://127.0.0.1:18890 > /dev/null || true
  if [ -n "$shop_path" ]; then
    echo "== shop (optimized), GET $shop_path, 1 … $shop_max connections"
    target=(http://127.0.0.1:18890"$shop_path") name=throughput-shop-path
  else
    echo "== shop (optimized), shop.scenario, 1 … $shop_max connections"
    target=(--scenario "$root/docs/examples/shop.scenario" http://127.0.0.1:18890) name=throughput-shop
  fi
  lab "${target[@]}" --levels "$(doubling "$shop_max")" --duration "$duration" \
      --json "$out/$name.json" --csv "$out/$name.csv" --svg "$out/$name.svg" --html "$out/$name.html" || true
fi
