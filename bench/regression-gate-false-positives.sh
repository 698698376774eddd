#!/usr/bin/env bash
# How often the regression gate (headroom load --baseline URL) cries wolf, and how often it catches a real change.
#
# Starts three delay servers (headroom load delay-server, each its own JVM): REF and SAME hold every answer 2.0 ms,
# SLOW 2.4 ms. Then, --trials times, alternating so that the machine's drift falls on both:
#   A/A: headroom load --baseline REF SAME   (two identical servers: any exit code 4 is a false positive)
#   A/B: headroom load --baseline REF SLOW   (2.4 vs 2.0 ms: every exit code 4 is a true positive)
# each an open-model run at --rate over --rounds interleaved rounds (--duration split between them), threshold
# --max-regression. Two identical server processes, not one server behind two ports: the A/A test must include
# what differs between two processes of the same build (JIT, heap, where the scheduler puts them), because a real
# comparison always has it. Nothing is pinned unless --pin: then the servers run on CPU 1 and the generator on CPU 0
# (taskset), as in load-vs-wrk.sh.
#
# Prints one line per trial, then the false-positive and true-positive rates (exit code 3, an invalid run, is
# counted apart: it is neither), how often an A/A interval missed 0 and how wide the intervals were (from each
# trial's --json; needs python3), and what each server really added per request.
#
# Usage: bench/regression-gate-false-positives.sh [--trials N] [--rounds N] [--duration T] [--rate R] [--max-regression P] [--pin]
# Defaults: 20 trials of each, 6 rounds, 6s (1 s a run), 500/s, 10%: about 12 minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
trials=20 rounds=6 duration=6s rate=500 threshold=10% pin=false
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --max-regression) threshold=$2; shift 2 ;;
    --pin) pin=true; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "regression-gate-false-positives.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d)
"$root/headroom" --version >/dev/null   # builds the jar once if sources changed; the copy below is what runs
cp "$root/headroom-cli/target/headroom.jar" "$out/headroom.jar"
HEADROOM_JDK_NEED=run . "$root/scripts/find-jdk.sh"
if [ "$pin" = true ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  servers_cpu=(taskset -c 1) generator_cpu=(taskset -c 0)
else
  servers_cpu=() generator_cpu=()
fi
java=("$JAVA_HOME/bin/java" -Xss512k -XX:+UseG1GC -Xmx1g -jar "$out/headroom.jar")
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
serve() { # name delay
  ${servers_cpu[@]+"${servers_cpu[@]}"} "${java[@]}" load delay-server --delay "$2" >"$out/$1.log" 2>&1 &
  pids+=($!)
}
serve ref 2ms
serve same 2ms
serve slow 2.4ms
origin() { # name: waits for the server's first line and prints its origin
  local i
  for i in $(seq 1 100); do
    if grep -q 'listening on' "$out/$1.log" 2>/dev/null; then
      sed -n 's|.*listening on \(http://[0-9.:]*\)/.*|\1|p' "$out/$1.log"
      return 0
    fi
    sleep 0.1
  done
  echo "regression-gate-false-positives.sh: the $1 server did not start; its log:" >&2
  cat "$out/$1.log" >&2
  exit 1
}
ref=$(origin ref) same=$(origin same) slow=$(origin slow)
echo "servers: ref $ref (2.0 ms), same $same (2.0 ms), slow $slow (2.4 ms); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "each trial: headroom load --rate $rate --duration $duration --rounds $rounds --max-regression $threshold --baseline $ref TARGET"
gate() { # kind (aa, ab) target trial
  local code=0 label
  label=$([ "$1" = aa ] && echo A/A || echo A/B)
  ${generator_cpu[@]+"${generator_cpu[@]}"} "${java[@]}" load --quiet --rate "$rate" --duration "$duration" --rounds "$rounds" \
      --max-regression "$threshold" --baseline "$ref" --json "$out/$1-$3.json" "$2/" >"$out/$1-$3.out" 2>&1 || code=$?
  echo "$code" >>"$out/$1.codes"
  printf '%s trial %2d: exit %d  %s\n' "$label" "$3" "$code" \
      "$(grep -E '^(regression|ok): p50 ' "$out/$1-$3.out" || grep -m1 'not compared' "$out/$1-$3.out" || true)"
}
for t in $(seq 1 "$trials"); do
  if [ $((t % 2)) -eq 1 ]; then gate aa "$same" "$t"; gate ab "$slow" "$t"; else gate ab "$slow" "$t"; gate aa "$same" "$t"; fi
done
stop
trap - EXIT
rate_of() { # kind: "k of n (invalid: i)"
  awk '{n++} $1==4{k++} $1==3{i++} END{printf "%d of %d (%.0f%%; invalid runs, exit 3: %d)", k, n, 100*k/n, i}' "$out/$1.codes"
}
echo
echo "false positives, A/A 2.0 vs 2.0 ms: exit 4 in $(rate_of aa)"
echo "true positives,  A/B 2.4 vs 2.0 ms: exit 4 in $(rate_of ab)"
python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
for kind, label in (("aa", "A/A"), ("ab", "A/B")):
    figures = {}
    for f in sorted(glob.glob(os.path.join(sys.argv[1], kind + "-*.json"))):
        g = json.load(open(f)).get("regression", {})
        for name, v in g.get("figures", {}).items():
            figures.setdefault(name, []).append(v)
    for name, vs in figures.items():
        missed = sum(1 for v in vs if v["ci"][0] > 0 or v["ci"][1] < 0)
        print(f"{label} {name}: median change {100 * statistics.median(v['change'] for v in vs):+.1f}%, median 95% interval width "
              f"{100 * statistics.median(v['ci'][1] - v['ci'][0] for v in vs):.1f} points, interval misses 0 in {missed} of {len(vs)}")
PY
for s in ref same slow; do echo "$s: $(grep 'requests; added' "$out/$s.log" || echo 'no summary')"; done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); outputs in $out"
