#!/usr/bin/env bash
# An L1 hit through TieredCache.get against a raw Caffeine getIfPresent (same size, every key present),
# as JMH runs alternating A B A B in one session; prints each round's scores, the medians and their ratio.
# Issue 4's goal: the ratio is at most 1.1.
#
# Usage: bench/cache-l1.sh [--rounds N] [--threads T]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=5 threads=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cache-l1.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
HEADROOM_JDK_NEED=build . "$root/scripts/find-jdk.sh"
jar="$root/headroom-benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl headroom-benchmarks -am) # package, not install: ~/.m2 is shared
fi
out=$(mktemp -d)
score() { # benchmark name -> ns/op
  "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$jar" "L1HitBenchmark.$1\$" -f 1 -wi 3 -w 1s -i 5 -r 1s -t "$threads" -rf json -rff "$out/$1.json" >/dev/null
  python3 -c "import json;print(json.load(open('$out/$1.json'))[0]['primaryMetric']['score'])"
}
for round in $(seq 1 "$rounds"); do
  raw=$(score rawCaffeine)
  tiered=$(score tieredCache)
  echo "round $round: raw Caffeine getIfPresent $raw ns/op | TieredCache.get (L1 hit) $tiered ns/op" | tee -a "$out/results"
done
python3 - "$out/results" <<'PY'
import re, statistics, sys
rows = open(sys.argv[1]).read().splitlines()
raw = [float(re.search(r"getIfPresent ([\d.]+)", l).group(1)) for l in rows]
tiered = [float(re.search(r"L1 hit\) ([\d.]+)", l).group(1)) for l in rows]
ratios = [t / r for t, r in zip(tiered, raw)]
print(f"\nmedian raw {statistics.median(raw):.1f} ns, tiered {statistics.median(tiered):.1f} ns: ratio of medians "
      f"{statistics.median(tiered) / statistics.median(raw):.3f} (per round: {', '.join(f'{x:.3f}' for x in ratios)})")
PY
