#!/usr/bin/env bash
# Benchmarks of docs/BENCHMARKS.md. Needs wrk and hey (apt-get install -y wrk hey), Redis on
# 127.0.0.1:6379 for the cache case, and a packaged gateway (./mvnw package -DskipTests).
#   load-tests/bench.sh latency|chat-latency|throughput|chat-throughput|chat-c32|chat-stream-c32|cache|open-breaker|inflight|key-check|warmup|answer-write|all
# Each case starts its own mock upstream(s) (MockUpstreamMain from the test-jar) and gateway, prints
# the tool's output, and stops them again. BENCH_JAVA_OPTS adds JVM options to the gateway
# (e.g. BENCH_JAVA_OPTS=-Xmx512m for a bigger heap); BENCH_SHIPPED_FLAGS replaces the flags bin/run ships
# (bin/jdk.sh), e.g. to compare with the flags shipped before. warmup: BENCH_AOT=on|off (off) runs the
# fresh gateway with or without the AOT cache, BENCH_SELF_WARMUP=50000 with the gateway's own warm-up before
# it reports ready (breakwater.warm-up.requests), WARMUP_WINDOWS (9) sets how many 10 s windows it measures.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
ROOT=$PWD
WORK=$(mktemp -d /tmp/breakwater-bench.XXXX)
CP="$ROOT/target/breakwater-0.1.0-SNAPSHOT-tests.jar:$ROOT/target/quarkus-app/lib/main/*"
PIDS=()
WARMUP=${WARMUP:-150}   # seconds of load before each measurement (per endpoint)
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
trap stop_all EXIT

BODY='{"text":"Flight to Berlin for the customer meeting"}'
CHAT='{"model":"primary","messages":[{"role":"user","content":"Flight to Berlin for the customer meeting"}]}'
printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[[%s]]\n' "$BODY" > "$WORK/categorize.lua"
printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[[%s]]\n' "$CHAT" > "$WORK/chat.lua"

# A leftover gateway or mock on these ports would silently be measured instead of the new one.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || { echo "port $1 is in use: stop that process first" >&2; exit 1; }; }

mock() { # port control-port latency-ms
  port_free "$1"; port_free "$2"
  java -Dmock.bind=127.0.0.1 -Dmock.port="$1" -Dmock.control.port="$2" -Dmock.latency.ms="$3" \
       -cp "$CP" dev.breakwater.testing.MockUpstreamMain > "$WORK/mock-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "localhost:$2/stats" >/dev/null && return; sleep 0.1; done
  echo "mock $1 did not start" >&2; exit 1
}

start_gateway() { # name chain-models(yaml list) cache(true|false) [extra java args]; sets START_MS (JVM start -> ready)
  port_free 18080
  local dir="$WORK/$1"; mkdir -p "$dir/config"
  cat > "$dir/config/gateway.yaml" <<YAML
breakwater:
  resilience:
    circuit-breaker: {failure-threshold: 5, recovery-timeout: 1h, success-threshold: 1}
    retry: {max-retries: 0, base-delay: 10ms, max-delay: 10ms, exponential-base: 2, min-delay: 10ms}
  models:
    - {name: primary, provider: openai, model: gpt-4o, base-url: 'http://127.0.0.1:18000/v1', api-key-env: BENCH_KEY, timeout: 10s}
    - {name: secondary, provider: openai, model: gpt-4o, base-url: 'http://127.0.0.1:18002/v1', api-key-env: BENCH_KEY, timeout: 10s}
    - {name: local, provider: local, model: all-minilm-l6-v2-q, timeout: 5s}
  chains:
    categorizer: {models: $2}
  cache: {enabled: $3}
  max-in-flight: 10000   # the shipped 256 MB heap admits 7,744 by default (24 KB a call); the inflight case sends 10,000
  upstream: {max-connections-per-host: 10000}   # 10,000 calls in flight need 10,000 HTTP/1.1 connections
YAML
  local started=$(date +%s%N)
  # The flags bin/run ships (bin/jdk.sh), then the case's own.
  (cd "$dir" && BENCH_KEY=bench exec java --enable-native-access=ALL-UNNAMED ${BENCH_SHIPPED_FLAGS:-$(shipped_jvm_flags)} ${BENCH_JAVA_OPTS:-} ${4:-} -Dquarkus.http.port=18080 \
       -Dquarkus.log.level=WARN -jar "$ROOT/target/quarkus-app/quarkus-run.jar" > "$dir/gateway.log" 2>&1) &
  GATEWAY_PID=$!
  PIDS+=($GATEWAY_PID)
  for _ in $(seq 1 3600); do
    if curl -sf localhost:18080/q/health/ready >/dev/null; then
      START_MS=$(( ($(date +%s%N) - started) / 1000000 )); START_CPU_MS=$(( $(cpu_ticks) * 1000 / $(getconf CLK_TCK) )); return
    fi
    kill -0 "$GATEWAY_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "gateway $1 did not get ready; its log:" >&2; tail -20 "$dir/gateway.log" >&2; exit 1
}

gateway() { # as start_gateway, then the warm-up
  start_gateway "$@"
  # Warm up: on 2 busy cores the JIT needs minutes of load before throughput stops climbing
  # (measured on /v1/categorize: 720 -> 1,900 -> 2,600 -> 3,450 req/s over the first 3 minutes).
  warm_up categorize "$WARMUP"
  curl -s localhost:18080/v1/categorize -H 'content-type: application/json' -d "$BODY"; echo
}

warm_up() { # body (categorize|chat|chat-stream: $WORK/<body>.lua) seconds
  local path=/v1/categorize; [ "$1" != categorize ] && path=/v1/chat/completions
  wrk -t2 -c64 -d"$2"s -s "$WORK/$1.lua" "http://127.0.0.1:18080$path" > /dev/null
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat"; }   # the gateway's user + system CPU so far

cpu_per_request() { # cpu_ticks before the run, wrk's output: the gateway's CPU per request wrk completed, in µs
  echo $(( ($(cpu_ticks) - $1) * 1000000 / $(getconf CLK_TCK) / $(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<< "$2") ))
}

thread_ticks() { # the gateway's CPU so far by its live threads: "JIT-compilers GC other"
  awk '{ name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Z] .*/, "", name)
         rest = $0; sub(/.*\) /, "", rest); split(rest, f, " "); t = f[12] + f[13]
         if (name ~ /^C[12] CompilerThre/) jit += t; else if (name ~ /^(GC |G1 |VM Thread)/) gc += t; else other += t }
       END { print jit + 0, gc + 0, other + 0 }' /proc/"$GATEWAY_PID"/task/*/stat 2>/dev/null
}

stop_gateway() { kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; }

machine() { echo "== $(date -u +%FT%TZ) $(nproc) cores, $(lscpu | sed -n 's/Model name: *//p'), load average:$(uptime | sed 's/.*load average://')"; }

latency() {
  stop_all
  mock 18000 18001 0
  echo "-- direct to the mock, concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/chat.lua" http://127.0.0.1:18000/v1/chat/completions
  gateway latency '[primary, local]' false
  echo "-- through the gateway (/v1/categorize, cache off), concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/categorize.lua" http://127.0.0.1:18080/v1/categorize
  stop_gateway
}

chat_latency() {
  stop_all
  mock 18000 18001 0
  echo "-- direct to the mock, concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/chat.lua" http://127.0.0.1:18000/v1/chat/completions
  gateway chat-latency '[primary, local]' false
  warm_up chat "$WARMUP"
  echo "-- through the gateway (/v1/chat/completions), concurrency 1"; machine
  local before=$(cpu_ticks) out
  out=$(wrk -t1 -c1 -d20s --latency -s "$WORK/chat.lua" http://127.0.0.1:18080/v1/chat/completions)
  echo "$out"
  # CPU per request shows what the latency hides: at concurrency 1 the cores are idle, so work that costs
  # cores (hand-offs between threads, wake-ups) shows here before it shows in a percentile.
  echo "gateway CPU per request: $(cpu_per_request "$before" "$out") us"
  # The floor under that: a request the gateway answers itself (same filters, auth, request log and metrics;
  # no upstream), so what is left of the chat figure is the upstream leg and the chain.
  wrk -t1 -c1 -d10s http://127.0.0.1:18080/v1/models > /dev/null
  echo "-- the gateway alone (GET /v1/models, no upstream), concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency http://127.0.0.1:18080/v1/models
  stop_gateway
}

chat_c32() {
  # The proxy's share of the mock's own throughput, both measured in the same run at 32 connections.
  stop_all
  mock 18000 18001 0
  echo "-- direct to the mock, 32 connections"; machine
  wrk -t2 -c32 -d20s --latency -s "$WORK/chat.lua" http://127.0.0.1:18000/v1/chat/completions
  gateway chat-c32 '[primary, local]' false
  warm_up chat "$WARMUP"
  echo "-- through the gateway (/v1/chat/completions), 32 connections"; machine
  local before=$(cpu_ticks) out
  out=$(wrk -t2 -c32 -d20s --latency -s "$WORK/chat.lua" http://127.0.0.1:18080/v1/chat/completions)
  echo "$out"
  # The share moves with whatever else the 2 cores run (the mock alone served 34k-67k req/s in runs minutes apart);
  # the gateway's CPU per request moves less and is what a change to the path changes.
  echo "gateway CPU per request: $(cpu_per_request "$before" "$out") us"
  stop_gateway
}

chat_stream_c32() {
  # Streamed completions at 32 connections, as chat-c32; then how many connections the mock accepted
  # (a pool that keeps its connections opens about 32 for the whole run).
  stop_all
  mock 18000 18001 0
  printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[[%s]]\n' \
    "${CHAT%\}},\"stream\":true}" > "$WORK/chat-stream.lua"
  echo "-- direct to the mock, streamed, 32 connections"; machine
  wrk -t2 -c32 -d20s --latency -s "$WORK/chat-stream.lua" http://127.0.0.1:18000/v1/chat/completions
  gateway chat-stream-c32 '[primary, local]' false
  warm_up chat-stream "$WARMUP"
  echo "-- through the gateway (/v1/chat/completions, streamed), 32 connections"; machine
  wrk -t2 -c32 -d20s --latency -s "$WORK/chat-stream.lua" http://127.0.0.1:18080/v1/chat/completions
  curl -s localhost:18001/stats; echo "  <- upstream requests and connections (the mock-alone run and the warm-ups included)"
  stop_gateway
}

chat_throughput() {
  stop_all
  mock 18000 18001 0
  gateway chat-throughput '[primary, local]' false
  warm_up chat "$WARMUP"
  echo "-- /v1/chat/completions at saturation, 0 ms upstream, 64 connections"; machine
  wrk -t2 -c64 -d30s --latency -s "$WORK/chat.lua" http://127.0.0.1:18080/v1/chat/completions
  curl -s localhost:18001/stats; echo "  <- upstream calls (warm-ups included)"
  stop_gateway
}

throughput() {
  stop_all
  mock 18000 18001 0
  gateway throughput '[primary, local]' false
  echo "-- saturation, 0 ms upstream, 64 connections"; machine
  wrk -t2 -c64 -d30s --latency -s "$WORK/categorize.lua" http://127.0.0.1:18080/v1/categorize
  stop_gateway
}

cache() {
  stop_all
  mock 18000 18001 0
  gateway cache '[primary, local]' true
  echo "-- cache hit (same text every time), concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/categorize.lua" http://127.0.0.1:18080/v1/categorize
  stop_gateway
}

open_breaker() {
  stop_all
  mock 18000 18001 0
  mock 18002 18003 0
  gateway baseline '[secondary, local]' false
  echo "-- baseline: chain [secondary], concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/categorize.lua" http://127.0.0.1:18080/v1/categorize
  stop_gateway
  curl -s -X POST localhost:18001/fault/unavailable; echo
  gateway skipping '[primary, secondary, local]' false   # the warm-up opens primary's breaker (1 h)
  echo "-- chain [primary (breaker open), secondary], concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/categorize.lua" http://127.0.0.1:18080/v1/categorize
  curl -s localhost:18001/stats; echo "  <- primary calls: those in flight when the breaker opened (the warm-up uses 64 connections), then none"
  stop_gateway
}

burst_summary() { # hey's summary: totals, the latency percentiles and the status codes
  grep -E 'Total:|Slowest:|Fastest:|Average:|Requests/sec:|(10|50|90|99)% in|responses$|Error distribution|Post "' || true
}

inflight() {
  stop_all
  # The mock starts fast so the warm-up gets the JIT through thousands of requests, then turns slow.
  mock 18000 18001 0
  gateway inflight '[primary, local]' false
  warm_up chat "$WARMUP"
  curl -s -X POST localhost:18001/latency/2000 > /dev/null
  echo "-- 10,000 concurrent chat completions, 2 s upstream, no fallback model (a failure is an error)"; machine
  ( peak=0; while kill -0 "$GATEWAY_PID" 2>/dev/null; do
      rss=$(ps -o rss= -p "$GATEWAY_PID" 2>/dev/null || echo 0); [ "${rss:-0}" -gt "$peak" ] && peak=$rss
      echo "$peak" > "$WORK/peak-rss"; sleep 0.2; done ) &
  PIDS+=($!)
  echo "gateway RSS before: $(ps -o rss= -p "$GATEWAY_PID") KiB; upstream $(curl -s localhost:18001/stats)"
  # The same burst straight to the mock first: its median is the floor the gateway's is held against.
  echo "-- direct to the mock: 10,000 concurrent, 2 s upstream"
  hey -n 10000 -c 10000 -t 60 -m POST -T application/json -d "$CHAT" http://127.0.0.1:18000/v1/chat/completions | burst_summary
  sleep 5   # let the mock's 10,000 connections close before the gateway's burst
  echo "-- through the gateway: 10,000 concurrent"
  hey -n 10000 -c 10000 -t 60 -m POST -T application/json -d "$CHAT" http://127.0.0.1:18080/v1/chat/completions | burst_summary
  sleep 1
  echo "gateway peak RSS during the run: $(cat "$WORK/peak-rss") KiB"
  curl -s localhost:18001/stats; echo "  <- upstream calls (warm-up and the direct burst included)"
  echo "breaker after the run:"; curl -s localhost:18080/health/circuit-breakers; echo
  stop_gateway
}

key_check() {
  # The gateway times every key check (in-memory lookup + the Lua round trip to Redis at 127.0.0.1:6379)
  # in breakwater_key_check_seconds; everything it times here runs at concurrency 1, warm-up included.
  stop_all
  mock 18000 18001 0
  local key="bw-bench-$$-0123456789abcdef"
  printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.headers["Authorization"]="Bearer %s"\nwrk.body=[[%s]]\n' \
    "$key" "$CHAT" > "$WORK/chat-keyed.lua"
  gateway key-check '[primary, local]' false "-Dbreakwater.auth.mode=keys -Dbreakwater.auth.redis-prefix=breakwater-bench-$$
    -Dbreakwater.auth.keys[0].name=bench -Dbreakwater.auth.keys[0].key-env=BENCH_CALLER_KEY -DBENCH_CALLER_KEY=$key
    -Dbreakwater.auth.keys[0].rpm=1000000000 -Dbreakwater.auth.keys[0].tpm=1000000000000"
  wrk -t1 -c1 -d"$WARMUP"s -s "$WORK/chat-keyed.lua" http://127.0.0.1:18080/v1/chat/completions > /dev/null
  echo "-- keyed /v1/chat/completions (rpm and tpm set), concurrency 1"; machine
  wrk -t1 -c1 -d20s --latency -s "$WORK/chat-keyed.lua" http://127.0.0.1:18080/v1/chat/completions
  echo "-- the key check inside the gateway (lookup + admit), over the last 2 minutes:"
  curl -s localhost:18080/q/metrics | grep -e '^breakwater_key_check_seconds' -e '^breakwater_limits_degraded'
  stop_gateway
}

warmup() {
  # A fresh replica under load at once, without any warm-up: start time (JVM start -> ready) and req/s
  # at 32 connections in consecutive 10 s windows; the first window as a share of the plateau (the mean
  # of the last 3). BENCH_AOT=on starts it with target/quarkus-app/app.aot (bin/aot-cache trains it if
  # it is stale; -XX:AOTMode=on makes a cache the JVM cannot use fail the run instead of being ignored).
  # Beside each window: requests per second of the gateway's own CPU time (JIT threads included), which
  # other processes on a shared machine move much less than req/s.
  stop_all
  local aot=""
  case "${BENCH_AOT:-off}" in
    on) bin/aot-cache $(shipped_jvm_flags) ${BENCH_JAVA_OPTS:-} || exit 1
        aot="-XX:AOTCache=$ROOT/target/quarkus-app/app.aot -XX:AOTMode=on" ;;
    off) ;;
    *) echo "BENCH_AOT is on or off" >&2; exit 2 ;;
  esac
  mock 18000 18001 0
  echo "-- direct to the mock, 32 connections, 10 s"; machine
  wrk -t2 -c32 -d10s -s "$WORK/chat.lua" http://127.0.0.1:18000/v1/chat/completions | grep -e Requests/sec -e Non-2xx || true
  # BENCH_SELF_WARMUP=50000: the gateway's own warm-up (breakwater.warm-up.requests) runs before it reports ready.
  local self=""
  [ -n "${BENCH_SELF_WARMUP:-}" ] && self="-Dbreakwater.warm-up.requests=$BENCH_SELF_WARMUP -Dquarkus.log.category.\"dev.breakwater.warmup\".level=INFO"
  start_gateway warmup '[primary, local]' false "$aot $self"
  echo "-- fresh gateway, AOT cache ${BENCH_AOT:-off}, self warm-up ${BENCH_SELF_WARMUP:-off}, BENCH_JAVA_OPTS='${BENCH_JAVA_OPTS:-}':" \
       "ready ${START_MS} ms after the JVM started (${START_CPU_MS} ms of CPU)"
  grep -h 'warm-up done' "$WORK/warmup/gateway.log" || true
  echo "-- /v1/chat/completions, 32 connections, ${WARMUP_WINDOWS:-9} windows of 10 s"; machine
  local windows=() i out before requests cpu_ms threads_before threads_after
  for i in $(seq 1 "${WARMUP_WINDOWS:-9}"); do
    before=$(cpu_ticks); threads_before=$(thread_ticks)
    out=$(wrk -t2 -c32 -d10s -s "$WORK/chat.lua" http://127.0.0.1:18080/v1/chat/completions)
    cpu_ms=$(( ($(cpu_ticks) - before) * 1000 / $(getconf CLK_TCK) )); threads_after=$(thread_ticks)
    requests=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<< "$out")
    windows+=("$(sed -n 's/^Requests\/sec: *//p' <<< "$out"):$requests:$cpu_ms")
    echo "window $i ($(( (i - 1) * 10 ))-$(( i * 10 )) s): $(sed -n 's/^Requests\/sec: *//p' <<< "$out") req/s," \
         "gateway CPU $cpu_ms ms = $(( requests * 1000 / (cpu_ms > 0 ? cpu_ms : 1) )) requests per CPU-second $(grep -o 'Non-2xx.*' <<< "$out" || true)"
    awk -v hz="$(getconf CLK_TCK)" -v a="$threads_before" -v b="$threads_after" 'BEGIN { split(a, x, " "); split(b, y, " ")
      printf "  its CPU by thread: JIT compilers %d ms, GC %d ms, the rest (event loops, request threads, ...) %d ms\n",
             (y[1] - x[1]) * 1000 / hz, (y[2] - x[2]) * 1000 / hz, (y[3] - x[3]) * 1000 / hz }'
  done
  python3 - "${windows[@]}" <<'PY'
import sys
windows = [tuple(float(x) for x in w.split(":")) for w in sys.argv[1:]]
rates = [w[0] for w in windows]
efficiency = [w[1] / max(w[2], 1) * 1000 for w in windows]
last = min(3, len(rates))
plateau, plateau_eff = sum(rates[-last:]) / last, sum(efficiency[-last:]) / last
print(f"first 10 s: {rates[0]:.0f} req/s = {rates[0] / plateau:.0%} of the plateau ({plateau:.0f} req/s, mean of the last 3 windows);"
      f" per CPU-second {efficiency[0]:.0f} = {efficiency[0] / plateau_eff:.0%} of the plateau's {plateau_eff:.0f}")
# The same on the gateway's own clock: what it served with its first 12 s of CPU (about its first 10 s when
# it has the machine's 2 cores to share with wrk and the mock only), against its plateau's requests per CPU-second.
served, cpu = 0.0, 0.0
for _, requests, ms in windows:
    if cpu + ms >= 12000:
        served += requests * (12000 - cpu) / max(ms, 1)
        print(f"first 12 s of gateway CPU: {served:.0f} requests = {served / (plateau_eff * 12):.0%} of what the plateau serves with it")
        break
    served, cpu = served + requests, cpu + ms
PY
  machine
  stop_gateway
}

case "${1:-all}" in
  latency) latency ;;
  throughput) throughput ;;
  chat-latency) chat_latency ;;
  chat-throughput) chat_throughput ;;
  chat-c32) chat_c32 ;;
  chat-stream-c32) chat_stream_c32 ;;
  cache) cache ;;
  open-breaker) open_breaker ;;
  inflight) inflight ;;
  key-check) key_check ;;
  warmup) warmup ;;
  answer-write) machine; java -cp "$CP:$ROOT/target/quarkus-app/app/*" dev.breakwater.providers.AnswerWriteLoop ;;
  all) latency; chat_latency; throughput; chat_throughput; chat_c32; chat_stream_c32; cache; open_breaker; inflight; key_check; warmup ;;
  *) echo "usage: $0 latency|chat-latency|throughput|chat-throughput|chat-c32|chat-stream-c32|cache|open-breaker|inflight|key-check|warmup|answer-write|all" >&2; exit 2 ;;
esac
