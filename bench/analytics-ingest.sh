#!/usr/bin/env bash
# The ingest path alone: ClickstreamGenerator (its own JVM, pinned to core 1) sends binary frames over TCP to an
# IngestServer with a counting sink (IngestBench, its own JVM, pinned to core 0), under the bench lock.
# Prints the generator's JSON line (sent, rate, behind_ms, cpu_ms) and the server's (events counted, rate, CPU).
# Issue 17's goal: 1M events/s with parsing, every event sent counted.
#
# Usage: bench/analytics-ingest.sh [--rate EVENTS_PER_S] [--duration S] [--batch EVENTS_PER_FRAME]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rate=1000000 duration=10 batch=1000 port=7171
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "analytics-ingest.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
# headroom-analytics is built for release 25.
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
HEADROOM_JDK_NEED=build . "$root/scripts/find-jdk.sh"
cd "$root"
./mvnw -o -q -B -pl headroom-analytics -am test-compile -Denforcer.skip -Dmdep.analyze.skip
./mvnw -o -q -B -pl headroom-analytics dependency:build-classpath -Dmdep.outputFile=target/cp-ingest.txt
cp="headroom-analytics/target/classes:headroom-analytics/target/test-classes:$(cat headroom-analytics/target/cp-ingest.txt)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
exec 9>/tmp/headroom-bench.lock
flock 9
taskset -c 0 "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" dev.headroom.analytics.ingest.IngestBench "$port" 2>"$log" &
server=$!
until grep -q listening "$log" || ! kill -0 "$server" 2>/dev/null; do sleep 0.1; done
taskset -c 1 "$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" dev.headroom.analytics.generator.ClickstreamGenerator --port "$port" \
  --rate "$rate" --duration "$duration" --batch "$batch" || kill "$server"
wait "$server"
