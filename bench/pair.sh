#!/usr/bin/env bash
# Before/after of two hub builds under the same load at the same moment: both hubs run side by side on one bench
# broker, and every cell loads both at once (one wrk each, same body, same concurrency), so that a change in the
# machine's own speed, which moves identical sequential runs by ±15 % and more here, moves both alike. Prints, per
# cell and round, each hub's requests/s, p99, CPU and allocation per request, and the ratio B/A.
#
# Usage: bench/pair.sh A.jar B.jar          (each jar runs from a scratch copy of this checkout's mappings and routes,
#                                            unless A_DIR / B_DIR name the checkout it belongs to)
# Settings (environment): ROUNDS=3 WARMUP=30s DURATION=10s CONCURRENCY="8 32" RECORDS="1 50" KAFKA_PORT=19092
#   HEAP_OPTS (default: the Dockerfile's JAVA_TOOL_OPTIONS with -Xmx512m, as bench/run.sh), A_ARGS / B_ARGS (the hub's
#   arguments), A_JAVA_OPTS / B_JAVA_OPTS (JVM flags after HEAP_OPTS).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
[[ $# -eq 2 && -f "$1" && -f "$2" ]] || { echo "usage: bench/pair.sh A.jar B.jar" >&2; exit 2; }
JAR[0]="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
JAR[1]="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
DIR[0]="${A_DIR:-$ROOT}"; DIR[1]="${B_DIR:-$ROOT}"
ARGS[0]="${A_ARGS:-}"; ARGS[1]="${B_ARGS:-}"
JOPTS[0]="${A_JAVA_OPTS:-}"; JOPTS[1]="${B_JAVA_OPTS:-}"
ROUNDS="${ROUNDS:-3}"; WARMUP="${WARMUP:-30s}"; DURATION="${DURATION:-10s}"
CONCURRENCY="${CONCURRENCY:-8 32}"; RECORDS="${RECORDS:-1 50}"; KAFKA_PORT="${KAFKA_PORT:-19092}"
DOCKER_OPTS="$(sed -n 's/.*JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' "$ROOT/Dockerfile" | head -n 1)"
HEAP_OPTS="${HEAP_OPTS:-$DOCKER_OPTS -Xmx512m}"
CLK_TCK="$(getconf CLK_TCK)"
log() { printf '[pair %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (apt-get install -y wrk)"

CP_FILE="$ROOT/target/bench-passthrough/classpath.txt"
[[ -s "$CP_FILE" && -f "$ROOT/target/bench-passthrough/classes/BenchBroker.class" ]] \
    || die "run bench/run.sh once first: it resolves the classpath and compiles the bench broker"
CP="$ROOT/target/bench-passthrough/classes:$(cat "$CP_FILE")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ingest-hub-pair.XXXXXX")"
declare -a PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  (( rc != 0 )) && for f in "$WORK"/*.log; do log "last lines of $f:"; tail -n 15 "$f" >&2; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

java -Xmx1g -Dlogback.configurationFile="$BENCH/passthrough/logback.xml" -Dport="$KAFKA_PORT" -Ddir="$WORK/kafka" \
    -cp "$CP" BenchBroker > "$WORK/broker.log" 2>&1 &
PIDS+=($!)
until (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; do sleep 0.2; done

for i in 0 1; do
  PORT[$i]=$(( 18180 + i ))
  mkdir -p "$WORK/hub$i"
  cp -r "${DIR[$i]}/mappings" "${DIR[$i]}/routes" "$WORK/hub$i/"
  [[ -d "${DIR[$i]}/config" ]] && cp -r "${DIR[$i]}/config" "$WORK/hub$i/"
  # Run as the image runs it: the extracted layout (a jar already extracted runs as it is).
  if [[ "$(jar tf "${JAR[$i]}")" == *BOOT-INF/lib/* ]]; then
    java -Djarmode=tools -jar "${JAR[$i]}" extract --destination "$WORK/hub$i/app" > "$WORK/extract$i.log" 2>&1 \
        || die "could not extract ${JAR[$i]}"
    JAR[$i]="$WORK/hub$i/app/$(basename "${JAR[$i]}")"
  fi
  # shellcheck disable=SC2086
  (cd "$WORK/hub$i" && exec env -u SPRING_PROFILES_ACTIVE -u JAVA_TOOL_OPTIONS KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" \
      SERVER_ADDRESS=127.0.0.1 SERVER_PORT="${PORT[$i]}" HUB_TOKENS_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
      java $HEAP_OPTS ${JOPTS[$i]} -jar "${JAR[$i]}" ${ARGS[$i]}) > "$WORK/hub$i.log" 2>&1 &
  PID[$i]=$!
  PIDS+=($!)
done
for i in 0 1; do
  deadline=$(( SECONDS + 180 ))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[$i]}/actuator/health/readiness")" == 200 ]]; do
    kill -0 "${PID[$i]}" 2>/dev/null || die "hub $i exited during start-up"
    (( SECONDS < deadline )) || die "hub $i was not ready in 180 s"
    sleep 0.2
  done
  TOKEN[$i]="$(curl -s -X POST -H 'Content-Type: application/json' \
      --data '{"grant_type":"password","client_id":"demo-app-token","username":"svc-ingest@demo.local","password":"demo-password"}' \
      "http://127.0.0.1:${PORT[$i]}/tenant-users/oauth2/token" | jq -r .access_token)"
  [[ -n "${TOKEN[$i]}" && "${TOKEN[$i]}" != null ]] || die "hub $i gave no token"
done
log "A: ${JAR[0]} (pid ${PID[0]}), B: ${JAR[1]} (pid ${PID[1]})"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
allocated() {
  curl -s --max-time 5 "http://127.0.0.1:$1/actuator/jolokia/read/java.lang:type=Threading/TotalThreadAllocatedBytes" \
      | jq -r '.value // 0'
}
# Loads both hubs at once with body $1 at concurrency $2 for $3; sets OUT_i to "req/s p99_ms cpu_ms/req alloc_KB/req".
both() {
  local n="$1" c="$2" d="$3" i
  for i in 0 1; do T0[$i]="$(ticks "${PID[$i]}")"; A0[$i]="$(allocated "${PORT[$i]}")"; done
  for i in 0 1; do
    BENCH_BODY="$BENCH/bodies/incidents.$n.json" BENCH_APP_TOKEN=demo-app-token BENCH_ACCESS_TOKEN="${TOKEN[$i]}" \
        wrk -t 1 -c "$c" -d "$d" --timeout 15s -s "$BENCH/post.lua" "http://127.0.0.1:${PORT[$i]}/incidents" \
        > "$WORK/wrk$i.out" 2>&1 &
    W[$i]=$!
  done
  wait "${W[0]}" "${W[1]}"
  for i in 0 1; do
    local line r dus p99 bad cpu alloc
    line="$(grep '^BENCH ' "$WORK/wrk$i.out")" || die "wrk gave no result: $(cat "$WORK/wrk$i.out")"
    r="$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")"; dus="$(sed 's/.*duration_us=\([0-9]*\).*/\1/' <<<"$line")"
    p99="$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<<"$line")"; bad="$(sed 's/.*non2xx=\([0-9]*\).*/\1/' <<<"$line")"
    (( bad == 0 )) || die "hub $i answered $bad requests with a status of 400 or more"
    cpu=$(( ($(ticks "${PID[$i]}") - T0[$i]) * 1000 / CLK_TCK ))
    alloc=$(( $(allocated "${PORT[$i]}") - A0[$i] ))
    OUT[$i]="$(awk -v r="$r" -v d="$dus" -v p="$p99" -v c="$cpu" -v a="$alloc" \
        'BEGIN { printf "%.0f %.1f %.3f %.0f", r * 1e6 / d, p / 1000, c / r, a / r / 1024 }')"
  done
}

for n in $RECORDS; do
  log "warm-up: $n record(s), c=32, $WARMUP, both at once"
  both "$n" 32 "$WARMUP"
done
printf '| round | records | c | A req/s | B req/s | B/A | A p99 ms | B p99 ms | A CPU ms/req | B CPU ms/req | B/A CPU | A alloc KB/req | B alloc KB/req |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for (( round = 1; round <= ROUNDS; round++ )); do
  for n in $RECORDS; do
    for c in $CONCURRENCY; do
      both "$n" "$c" "$DURATION"
      read -r ra pa ca aa <<<"${OUT[0]}"; read -r rb pb cb ab <<<"${OUT[1]}"
      awk -v R="$round" -v n="$n" -v c="$c" -v ra="$ra" -v rb="$rb" -v pa="$pa" -v pb="$pb" -v ca="$ca" -v cb="$cb" \
          -v aa="$aa" -v ab="$ab" 'BEGIN { printf "| %d | %d | %d | %d | %d | %.2f | %s | %s | %s | %s | %.2f | %d | %d |\n",
          R, n, c, ra, rb, rb / ra, pa, pb, ca, cb, cb / ca, aa, ab }'
    done
  done
done
# The largest resident set of each hub since its start (the kernel's VmHWM), both under the same load.
printf '\nLargest RSS since start: A %d MiB, B %d MiB\n' \
    $(( $(awk '/^VmHWM/ { print $2 }' "/proc/${PID[0]}/status") / 1024 )) \
    $(( $(awk '/^VmHWM/ { print $2 }' "/proc/${PID[1]}/status") / 1024 ))
