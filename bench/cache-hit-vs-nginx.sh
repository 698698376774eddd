#!/usr/bin/env bash
# A cache hit on the shop against nginx serving the same bytes from a file, interleaved in one session.
#
# Starts `headroom up --cache l1` on small data (10,000 users, 1,000 products, 10,000 orders) for each shop
# jar (default: this checkout's; --shop NAME=JAR, repeatable, compares builds in the same session), each in
# a scratch data folder of its own. It reads --path (default /products/7) until it is cached, saves the exact
# response body, and serves that file from nginx (one worker, open_file_cache). Every server is pinned to
# CPU 1 (a shop then sees one processor, so it runs one event loop), wrk and the load generator to CPU 0.
# Each target is warmed up with wrk (--warmup s), then every round runs wrk -t1 -c64 -d(--duration)s
# against every target, the order reversed each round (A B, B A). Beside req/s it reports each server's
# CPU time per request (from /proc, over the wrk run), and each round's ratio to nginx in that round.
# Last, `headroom load --rate R` at half each target's median rate gives the p99 corrected for coordinated
# omission. The shop's SQL statements during the wrk runs are counted: an L1 entry lives 60 s
# (ShopCaches.L1_TTL), so a product read all along is loaded again about once a minute, and nothing else.
#
# Usage: bench/cache-hit-vs-nginx.sh [--rounds N] [--duration S] [--warmup S] [--path P] [--shop NAME=JAR]...
# Needs: nginx, wrk (apt-get install nginx-light wrk), taskset, curl, python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3 duration=10 warmup=10 path=/products/7 shops=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --path) path=$2; shift 2 ;;
    --shop) shops+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cache-hit-vs-nginx.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for tool in nginx wrk taskset curl python3; do
  command -v $tool >/dev/null || { echo "cache-hit-vs-nginx.sh: $tool not found" >&2; exit 2; }
done
out=$(mktemp -d)
# Private copies of the jars, so a rebuild during the run changes nothing; the load generator is this checkout's.
"$root/headroom" --version >/dev/null
cp "$root/headroom-cli/target/headroom.jar" "$out/headroom.jar"
[ ${#shops[@]} -gt 0 ] || shops=("shop=$out/headroom.jar")
HEADROOM_JDK_NEED=run . "$root/scripts/find-jdk.sh"

pids=()
nginx_conf="$out/nginx.conf"
stop_all() {
  [ -f "$out/nginx.pid" ] && nginx -p "$out" -c "$nginx_conf" -s stop 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$out" # the jars and data folders: half a gigabyte per shop
}
trap stop_all EXIT

names=() urls=()
port=18080
for spec in "${shops[@]}"; do
  name=${spec%%=*} jar=${spec#*=}
  [ -f "$jar" ] || { echo "cache-hit-vs-nginx.sh: no jar $jar for --shop $name" >&2; exit 2; }
  [ "$jar" = "$out/headroom.jar" ] || { cp "$jar" "$out/$name.jar"; jar="$out/$name.jar"; }
  log="$out/up-$name.log"
  taskset -c 1 "$JAVA_HOME/bin/java" -Xss512k -XX:+UseG1GC -Xmx2g -jar "$jar" up --cache l1 --port "$port" \
    --data-dir "$out/data-$name" --users 10000 --products 1000 --orders 10000 >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q '^ready ' "$log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "headroom up ($name) failed:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 1
  done
  url=$(grep '^ready ' "$log" | awk '{print $2}')
  [ -n "$url" ] || { echo "headroom up ($name) not ready after 300 s" >&2; exit 1; }
  names+=("$name") urls+=("$url$path")
  port=$((${url##*:} + 1))
done

# The body every shop serves for the path, byte for byte, as nginx's file.
mkdir -p "$out/www$(dirname "$path")"
chmod -R a+rX "$out"
for i in "${!urls[@]}"; do
  curl -sf "${urls[$i]}" -o "$out/body-${names[$i]}" && curl -sf "${urls[$i]}" -o "$out/body-${names[$i]}"
  cmp -s "$out/body-${names[0]}" "$out/body-${names[$i]}" || { echo "${names[$i]} serves other bytes than ${names[0]}" >&2; exit 1; }
done
cp "$out/body-${names[0]}" "$out/www$path"
chmod a+r "$out/www$path"
cat >"$nginx_conf" <<EOF
worker_processes 1;
daemon on;
pid nginx.pid;
error_log error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  open_file_cache max=16;
  default_type application/json;
  server { listen 127.0.0.1:18899; root $out/www; }
}
EOF
taskset -c 1 nginx -p "$out" -c "$nginx_conf"
names+=(nginx) urls+=("http://127.0.0.1:18899$path")
curl -sf "${urls[-1]}" | cmp -s - "$out/www$path" || { echo "nginx does not serve the saved body" >&2; exit 1; }
echo "body: $(wc -c <"$out/www$path") bytes from $path; servers on CPU 1, wrk on CPU 0; $(uptime | sed 's/.*load/load/')" >&2

statements() { # the shop's SQL statements so far, over every route
  curl -sf "${1%$path}/metrics" | awk '/^shop_sql_statements_per_request_sum/{s+=$2} END{print s+0}'
}
for i in "${!urls[@]}"; do taskset -c 0 wrk -t1 -c64 -d"${warmup}s" "${urls[$i]}" >/dev/null; done
declare -A sql_before
for i in "${!names[@]}"; do [ "${names[$i]}" = nginx ] || sql_before[$i]=$(statements "${urls[$i]}"); done
# CPU time per request besides req/s: on this shared machine a neighbour's build takes CPU 1 from the
# server at times, which lowers its req/s more than the CPU time it spends on each request.
cpu_pids=("${pids[@]}" "$(pgrep -P "$(cat "$out/nginx.pid")" | head -1)") # the shops, then nginx's worker
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq 1 "$rounds"); do
  order=$(seq 0 $((${#urls[@]} - 1)))
  [ $((round % 2)) -eq 1 ] || order=$(echo "$order" | tac)
  for i in $order; do
    before=$(cpu_ticks "${cpu_pids[$i]}")
    taskset -c 0 wrk -t1 -c64 -d"${duration}s" "${urls[$i]}" >"$out/wrk"
    after=$(cpu_ticks "${cpu_pids[$i]}")
    ! grep -q Non-2xx "$out/wrk" || { echo "${names[$i]} answered other than 2xx:" >&2; cat "$out/wrk" >&2; exit 1; }
    rps=$(awk '/Requests\/sec/{print $2}' "$out/wrk")
    us=$(awk -v t=$((after - before)) -v hz="$hz" '/requests in/{printf "%.1f", t * 1e6 / hz / $1}' "$out/wrk")
    echo "round $round ${names[$i]} $rps $us" | tee -a "$out/results" >&2
  done
done
for i in "${!names[@]}"; do
  [ "${names[$i]}" = nginx ] || echo "${names[$i]}: $(python3 -c "print(int($(statements "${urls[$i]}") - ${sql_before[$i]}))")" \
    "SQL statements during the wrk runs (one a minute is the L1 TTL)" >&2
done
for i in "${!names[@]}"; do
  median=$(awk -v n="${names[$i]}" '$3 == n {print $4}' "$out/results" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  rate=$(python3 -c "print(int($median / 2))")
  taskset -c 0 "$JAVA_HOME/bin/java" -Xmx1g -jar "$out/headroom.jar" load --quiet --rate "$rate" --duration 20s --warmup 15s \
    --json "$out/load-${names[$i]}.json" "${urls[$i]}" >/dev/null || true
  python3 -c "import json;d=json.load(open('$out/load-${names[$i]}.json'));print('load ${names[$i]}', $rate, d['latency_ms']['p99'], 'valid' if d['valid'] else 'INVALID ' + str(d['invalid_reasons']))" >>"$out/results"
done
python3 - "$out/results" "$rounds" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
rps, cpu, load = {}, {}, {}
for r in rows:
    if r[0] == "round":
        rps.setdefault(r[2], []).append(float(r[3]))
        cpu.setdefault(r[2], []).append(float(r[4]))
    else:
        load[r[1]] = (int(r[2]), r[3], " ".join(r[4:]))
ref, ref_cpu = statistics.median(rps["nginx"]), statistics.median(cpu["nginx"])
print(f"\n{sys.argv[2]} rounds, wrk -t1 -c64, medians. × nginx: median req/s over nginx's; per round: the median of "
      f"each round's req/s over nginx's in that round; CPU × nginx: nginx's median CPU time per request over the target's\n")
print("| target | req/s per round | median req/s | × nginx | per round | CPU µs per request | CPU × nginx | corrected p99 at half rate |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for name, v in rps.items():
    rate, p99, valid = load[name]
    c = statistics.median(cpu[name])
    paired = statistics.median(x / n for x, n in zip(v, rps["nginx"]))
    print(f"| {name} | {', '.join(f'{x:.0f}' for x in v)} | {statistics.median(v):.0f} | {statistics.median(v) / ref:.2f} | {paired:.2f} "
          f"| {c:.1f} ({', '.join(f'{x:.1f}' for x in cpu[name])}) | {ref_cpu / c:.2f} | {p99} ms at {rate}/s ({valid}) |")
PY
