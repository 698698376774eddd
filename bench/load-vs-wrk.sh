#!/usr/bin/env bash
# headroom load vs wrk -t1 on the same nginx `return 200` target, interleaved in one session.
#
# Each round runs wrk -t1 -c64 (closed loop), then `headroom load --concurrency 64` (closed model, the
# same 64 connections), then `headroom load --rate R` (open model) at each of --open-shares of the rate
# wrk reached in that round (default 0.8 and 0.9). An open-model rate counts as sustained only when the
# run is valid by the generator's own checks. nginx (one worker) is pinned to CPU 1, the generators to CPU 0.
# The open-model run warms up for --open-warmup seconds (default 15): on one core the JVM's JIT needs
# that long before the generator runs at full speed, and a backlog left from a cold start is measured.
#
# Usage: bench/load-vs-wrk.sh [--rounds N] [--duration S] [--open-warmup S] [--open-shares F,F...]
# Needs: nginx, wrk (apt-get install nginx-light wrk)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3 duration=15 open_warmup=15 open_shares=0.8,0.9
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --open-warmup) open_warmup=$2; shift 2 ;;
    --open-shares) open_shares=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "load-vs-wrk.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for tool in nginx wrk taskset; do command -v $tool >/dev/null || { echo "load-vs-wrk.sh: $tool not found" >&2; exit 2; }; done
out=$(mktemp -d)
"$root/headroom" --version >/dev/null
cp "$root/headroom-cli/target/headroom.jar" "$out/headroom.jar"
HEADROOM_JDK_NEED=run . "$root/scripts/find-jdk.sh"
taskset -c 1 nginx -p "$out" -c "$root/bench/nginx-return200.conf"
trap 'nginx -p "$out" -c "$root/bench/nginx-return200.conf" -s stop 2>/dev/null || true' EXIT
url=http://127.0.0.1:18888/
load() { taskset -c 0 "$JAVA_HOME/bin/java" -Xmx1g -jar "$out/headroom.jar" load --quiet "$@"; }
load --concurrency 64 --duration 5s "$url" >/dev/null   # warm-up of both
for round in $(seq 1 "$rounds"); do
  wrk_rps=$(taskset -c 0 wrk -t1 -c64 -d"${duration}s" "$url" | awk '/Requests\/sec/{print $2}')
  load --concurrency 64 --duration "${duration}s" --warmup 2s --json "$out/closed.json" "$url" >/dev/null || true
  closed=$(python3 -c "import json;print(json.load(open('$out/closed.json'))['achieved_rate'])")
  line="round $round: wrk $wrk_rps req/s | load closed $closed req/s |"
  for share in ${open_shares//,/ }; do
    open_rate=$(python3 -c "print(int($wrk_rps*$share))")
    load --rate "$open_rate" --duration "${duration}s" --warmup "${open_warmup}s" --json "$out/open.json" "$url" >/dev/null || true
    open=$(python3 -c "import json;d=json.load(open('$out/open.json'));print('valid' if d['valid'] else 'INVALID', 'p99', d['latency_ms']['p99'], 'ms, loop cpu', d['generator']['cpu_fraction'], d['invalid_reasons'] or '')")
    line="$line open $share x = ${open_rate}/s: $open |"
  done
  echo "$line" | tee -a "$out/results"
done
python3 - "$out/results" <<'PY'
import re, statistics, sys
rows = [l for l in open(sys.argv[1])]
wrk = [float(re.search(r"wrk ([\d.]+)", l).group(1)) for l in rows]
closed = [float(re.search(r"load closed ([\d.]+)", l).group(1)) for l in rows]
ratios = [c / w for c, w in zip(closed, wrk)]
print(f"\nmedian wrk {statistics.median(wrk):.0f} req/s, headroom load closed {statistics.median(closed):.0f} req/s, "
      f"ratio {statistics.median(ratios):.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
best = []
for l in rows:
    valid = [float(s) for s, v in re.findall(r"open ([\d.]+) x = [\d]+/s: (valid|INVALID)", l) if v == "valid"]
    best.append(max(valid) if valid else 0.0)
shares = sorted({s for l in rows for s in re.findall(r"open ([\d.]+) x", l)}, key=float)
for share in shares:
    n = sum(1 for l in rows if re.search(rf"open {re.escape(share)} x = \d+/s: valid", l))
    print(f"open model at {share} x wrk: valid in {n} of {len(rows)} rounds")
print(f"highest valid open-model share per round: {', '.join(f'{b:g}' for b in best)} (median {statistics.median(best):g})")
PY
