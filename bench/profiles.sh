#!/usr/bin/env bash
# Baseline vs optimized on the seed journey's two read paths, measured with wrk in one session.
#
# For each round it starts `headroom up` in one profile, drives each endpoint with wrk, stops it, then
# does the same for the other profile (rounds alternate the order: A B, B A, ...), so drift on this
# shared machine hits both profiles alike. The shop (with its PostgreSQL and Redis) is pinned to CPU 1,
# wrk to CPU 0. Switching profiles rebuilds or drops the indexes; that time is not measured.
#
# Usage: bench/profiles.sh [--rounds N] [--duration S] [--warmup S] [--connections N] [--data-dir DIR]
# Each endpoint is warmed up (--warmup, default 15 s) before it is measured: right after a restart the
# first reads come from disk and show tails of hundreds of milliseconds that are not the profile's.
# Needs: wrk (apt-get install wrk), taskset (util-linux). Prints a Markdown table with medians and ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=2 duration=20 warmup=15 connections=8 data_dir="$root/.headroom" port=18080
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profiles.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "profiles.sh: wrk not found; install it (apt-get install wrk)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "profiles.sh: taskset not found (util-linux)" >&2; exit 2; }

out=$(mktemp -d)
# Build once and run a private copy of the jar, so edits to the sources during the run change nothing.
"$root/headroom" --version >/dev/null
cp "$root/headroom-cli/target/headroom.jar" "$out/headroom.jar"
. "$root/scripts/find-jdk.sh"
declare -A endpoints=(
  [user-orders]="/users/{id}/orders?since=2026-05-01&limit=20 100000"
  [order]="/orders/{id} 1000000"
)
server_pid=""
route_of() { case "$1" in /orders/*) echo "/orders/:id" ;; /users/*/orders*) echo "/users/:id/orders" ;; esac; }
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
route_of() { case "$1" in /orders/*) echo "/orders/:id" ;; /users/*/orders*) echo "/users/:id/orders" ;; esac; }
}
trap stop_server EXIT

run_profile() {
  local profile=$1 round=$2 log="$out/up-$profile-$round.log"
  taskset -c 1 "$JAVA_HOME/bin/java" -Xss512k -XX:+UseG1GC -Xmx2g -jar "$out/headroom.jar" up --profile "$profile" --port "$port" --data-dir "$data_dir" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    grep -q '^ready ' "$log" && break
    kill -0 "$server_pid" 2>/dev/null || { echo "headroom up failed:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 1
  done
  local url; url=$(grep '^ready ' "$log" | awk '{print $2}')
  echo "round $round: $profile ready at $url" >&2
  for name in "${!endpoints[@]}"; do
    read -r template max_id <<<"${endpoints[$name]}"
    # a short warm-up, then the measured run
    PATH_TEMPLATE=$template MAX_ID=$max_id SEED=7 taskset -c 0 wrk -t1 -c"$connections" -d"${warmup}s" -s "$root/bench/random-path.lua" "$url" >/dev/null
    curl -s "$url/metrics" >"$out/before"
    refaults_before=$(awk '/^workingset_refault_file /{print $2}' /proc/vmstat)
    PATH_TEMPLATE=$template MAX_ID=$max_id SEED=$round taskset -c 0 wrk -t1 -c"$connections" -d"${duration}s" --timeout 30s \
      -s "$root/bench/random-path.lua" "$url" | grep '^RESULT' >"$out/wrk"
    curl -s "$url/metrics" >"$out/after"
    refaults=$(( $(awk '/^workingset_refault_file /{print $2}' /proc/vmstat) - refaults_before ))
    # the shop's own view of the same requests: its per-route histogram, after minus before
    server=$(python3 "$root/bench/server_percentiles.py" "$out/before" "$out/after" "$(route_of "$template")")
    echo "$(sed "s/^RESULT/$profile $name $round/" "$out/wrk") $server refaults=$refaults" | tee -a "$out/results" >&2
  done
  stop_server
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="baseline optimized"; else order="optimized baseline"; fi
  for profile in $order; do run_profile "$profile" "$round"; done
done

# Medians per (profile, endpoint), then optimized/baseline ratios.
python3 - "$out/results" "$connections" "$duration" "$rounds" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p, ep, rnd, *kv = line.split()
    rows[(p, ep)].append({k: float(v) for k, v in (x.split("=") for x in kv)})
def med(p, ep, k): return statistics.median(r[k] for r in rows[(p, ep)])
print(f"wrk -t1 -c{sys.argv[2]} -d{sys.argv[3]}s after a warm-up, {sys.argv[4]} rounds (medians); shop on CPU 1, wrk on CPU 0\n")
print("| endpoint | profile | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server p50 ms | server p99 ms | page-cache refaults |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for ep in sorted({e for _, e in rows}):
    for p in ("baseline", "optimized"):
        print(f"| {ep} | {p} | {med(p,ep,'rps'):.0f} | {med(p,ep,'p50_ms'):.2f} | {med(p,ep,'p90_ms'):.2f} | {med(p,ep,'p99_ms'):.2f} | {med(p,ep,'max_ms'):.1f} | {int(sum(r['errors'] for r in rows[(p,ep)]))} | {med(p,ep,'server_p50_ms'):.2f} | {med(p,ep,'server_p99_ms'):.2f} | {med(p,ep,'refaults'):.0f} |")
print("\n| endpoint | p50 baseline/optimized | p99 baseline/optimized | req/s optimized/baseline |")
print("|---|---:|---:|---:|")
for ep in sorted({e for _, e in rows}):
    print(f"| {ep} | {med('baseline',ep,'p50_ms')/med('optimized',ep,'p50_ms'):.0f}x | {med('baseline',ep,'p99_ms')/med('optimized',ep,'p99_ms'):.0f}x | {med('optimized',ep,'rps')/med('baseline',ep,'rps'):.0f}x |")
PY
