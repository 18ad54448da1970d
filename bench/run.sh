#!/usr/bin/env bash
# Benchmarks the hub's POST /incidents against the bare pass-through of DESIGN.md §10 (bench/passthrough) on one fresh
# KRaft broker of its own (bench/broker): a cold run right after each target's readiness, then warm cells, with
# requests/s, records/s, p99, CPU per request, allocation per request, RSS and start-to-readiness time. Writes the
# markdown report to bench/results/<UTC timestamp>.md.
#
# Usage: bench/run.sh                  the full run (about 9 minutes on a quiet machine); see bench/README.md
#        BENCH_QUICK=1 bench/run.sh    a smoke run (about 2 minutes)
# Settings (environment): COLD=60s BUCKET=5s COLD_RECORDS=1 COLD_CONCURRENCY=32 WARMUP=30s DURATION=20s
#   CONCURRENCY="8 32" RECORDS="1 50" TARGETS="hub pass" (add pass-hub for the pass-through with the hub's codec)
#   HEAP_OPTS (both targets; default: the Dockerfile's JAVA_TOOL_OPTIONS with -Xmx512m), HUB_JAVA_OPTS, PASS_JAVA_OPTS,
#   KAFKA_PORT=19092, BODIES=bench/bodies, WRK_THREADS=2, PASS_THREADS=64, START_TIMEOUT=180, REBUILD=1, KEEP_WORK=1,
#   JFR=1 (record the hub over its warm cells, to bench/results/<timestamp>.hub.jfr), HUB_JAR (another hub jar),
#   HUB_ARGS (arguments to the hub, e.g. --camel.component.kafka.compression-codec=none), CDS=0 (the hub without its
#   class data sharing archive), HUB_JAVA (the hub's java, e.g. another JDK's bin/java; with CDS=0).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

if [[ -n "${BENCH_QUICK:-}" ]]; then
  : "${COLD:=15s}" "${WARMUP:=5s}" "${DURATION:=5s}"
fi
COLD="${COLD:-60s}"
BUCKET="${BUCKET:-5s}"
COLD_RECORDS="${COLD_RECORDS:-1}"
COLD_CONCURRENCY="${COLD_CONCURRENCY:-32}"
WARMUP="${WARMUP:-30s}"
DURATION="${DURATION:-20s}"
CONCURRENCY="${CONCURRENCY:-8 32}"
RECORDS="${RECORDS:-1 50}"
TARGETS="${TARGETS:-hub pass}"
BODIES="$(cd "${BODIES:-$BENCH/bodies}" && pwd)"
KAFKA_PORT="${KAFKA_PORT:-19092}"
WRK_THREADS="${WRK_THREADS:-2}"
PASS_THREADS="${PASS_THREADS:-64}"
START_TIMEOUT="${START_TIMEOUT:-180}"
STOP_TIMEOUT=30
APP_TOKEN="demo-app-token"
MAX_RECORDS=1000
MAX_BODY_BYTES=$((10 * 1024 * 1024))
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
CLK_TCK="$(getconf CLK_TCK)"
# Both targets get the image's JVM flags and a fixed 512 MiB heap (those flags give a 768 MiB container about 460 MiB).
DOCKER_OPTS="$(sed -n 's/.*JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' "$ROOT/Dockerfile" | head -n 1)"
HEAP_OPTS="${HEAP_OPTS:-$DOCKER_OPTS -Xmx512m}"
# The hub's codec, for the optional "pass-hub" column.
HUB_CODEC="$(sed -n 's/^ *compression-codec: *\${[A-Z_]*:\([a-z0-9]*\)}.*/\1/p; s/^ *compression-codec: *\([a-z0-9]*\) *$/\1/p' \
    "$ROOT/src/main/resources/application.yaml" | head -n 1)"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in java javac mvn curl jq timeout awk; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
command -v wrk >/dev/null || die "wrk is not installed. On Debian/Ubuntu: apt-get install -y wrk"

seconds() {
  case "$1" in
    *ms) echo 1 ;; *s) echo "${1%s}" ;; *m) echo $(( ${1%m} * 60 )) ;; *h) echo $(( ${1%h} * 3600 )) ;; *) echo "$1" ;;
  esac
}
for v in COLD BUCKET WARMUP DURATION; do
  [[ "$(seconds "${!v}")" =~ ^[0-9]+$ ]] || die "$v=${!v}: use e.g. 10s or 1m"
done
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for p in $(seq "$1" $(( $1 + 200 ))); do
    if ! port_open "$p"; then echo "$p"; return 0; fi
  done
  die "no free port in $1..$(( $1 + 200 ))"
}

# --- bodies --------------------------------------------------------------------------------------------------------
body_file() { echo "$BODIES/incidents.$1.json"; }
for n in $(tr ' ' '\n' <<<"$RECORDS $COLD_RECORDS" | sort -un); do
  f="$(body_file "$n")"
  [[ -f "$f" ]] || die "no body with $n records: $f (bench/bodies/build.sh makes 1 and 50)"
  count="$(jq 'if type == "array" then length else 1 end' "$f")"
  bytes="$(wc -c < "$f")"
  [[ "$count" == "$n" ]] || die "$f holds $count records, not $n"
  (( count <= MAX_RECORDS && bytes <= MAX_BODY_BYTES )) || die "$f is over the hub's default limits"
done

# --- build ---------------------------------------------------------------------------------------------------------
hub_jar() { find "$ROOT/target" -maxdepth 1 -name 'ingest-hub-*.jar' ! -name '*.original' 2>/dev/null | head -n 1; }
if [[ -z "${HUB_JAR:-}" && ( -n "${REBUILD:-}" || -z "$(hub_jar)" ) ]]; then
  log "building the hub jar (mvn -q -DskipTests package)"
  (cd "$ROOT" && timeout 900 mvn -q -DskipTests package) || die "the hub did not build"
fi
JAR="${HUB_JAR:-$(hub_jar)}"
log "hub jar: $JAR"

PT="$ROOT/target/bench-passthrough"
mkdir -p "$PT/classes"
if [[ ! -s "$PT/classpath.txt" || "$ROOT/pom.xml" -nt "$PT/classpath.txt" ]]; then
  log "resolving the hub's dependency jars for the pass-through and the broker"
  (cd "$ROOT" && timeout 600 mvn -q -o dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$PT/classpath.txt") || die "could not resolve the hub's classpath"
fi
CP="$PT/classes:$(cat "$PT/classpath.txt")"
for src in "$BENCH/passthrough/Passthrough.java" "$BENCH/broker/BenchBroker.java"; do
  cls="$PT/classes/$(basename "$src" .java).class"
  if [[ ! -f "$cls" || "$src" -nt "$cls" ]]; then
    log "compiling ${src#"$ROOT"/}"
    javac -d "$PT/classes" -cp "$CP" "$src" || die "${src#"$ROOT"/} did not compile"
  fi
done

# --- processes -----------------------------------------------------------------------------------------------------
port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken; set KAFKA_PORT (the broker also takes the next port)"
port_open $(( KAFKA_PORT + 1 )) && die "port $(( KAFKA_PORT + 1 )) is taken; set KAFKA_PORT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ingest-hub-bench.XXXXXX")"
# The hub runs as the image runs it, in the extracted layout (Dockerfile); a jar that is not a Spring Boot jar with
# nested libraries (one already extracted) runs as it is.
HUB_RUN_JAR="$JAR"
if [[ " $TARGETS " == *" hub "* && "$(jar tf "$JAR")" == *BOOT-INF/lib/* ]]; then
  log "extracting the hub jar as the image does (java -Djarmode=tools -jar … extract)"
  java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/hub-app" > "$WORK/extract.log" 2>&1 \
      || die "could not extract $JAR: $(tail -n 3 "$WORK/extract.log")"
  HUB_RUN_JAR="$WORK/hub-app/$(basename "$JAR")"
fi
# ... and with the class data sharing archive the image's training run writes (docker/cds-archive.sh); CDS=0 skips it.
HUB_CDS_OPTS=""
if [[ " $TARGETS " == *" hub "* && "${CDS:-1}" != 0 ]]; then
  log "writing the hub's class data sharing archive as the image does (docker/cds-archive.sh)"
  (cd "$ROOT" && JAVA_TOOL_OPTIONS="$HEAP_OPTS" docker/cds-archive.sh "$HUB_RUN_JAR" "$WORK/hub.jsa") \
      > "$WORK/cds.log" 2>&1 || die "the class data sharing archive failed: $(tail -n 5 "$WORK/cds.log")"
  HUB_CDS_OPTS="-XX:SharedArchiveFile=$WORK/hub.jsa"
fi
declare -A PID=() PORT=() URL=() READY_S=() RSS_MAX=()
declare -A NAME=([hub]="hub" [pass]="pass-through" [pass-hub]="pass-through, hub's codec ($HUB_CODEC)")

stop() {
  local name="$1" pid="${PID[$1]:-}" deadline
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( SECONDS + STOP_TIMEOUT ))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for t in pass-hub pass hub broker; do stop "$t"; done
  if (( rc != 0 )); then
    for f in "$WORK"/*.log; do [[ -s "$f" ]] && { log "last lines of $f:"; tail -n 20 "$f" >&2; }; done
  fi
  if [[ -n "${KEEP_WORK:-}" ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls $url every 0.1 s until it answers 200; prints the milliseconds it took from $since.
wait_ready() {
  local name="$1" url="$2" since="$3" deadline=$(( SECONDS + START_TIMEOUT ))
  while (( SECONDS < deadline )); do
    kill -0 "${PID[$name]}" 2>/dev/null || die "$name exited during start-up"
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" == 200 ]] && { echo $(( $(now_ms) - since )); return 0; }
    sleep 0.1
  done
  die "$name was not ready within ${START_TIMEOUT}s ($url)"
}
wait_port() {
  local deadline=$(( SECONDS + START_TIMEOUT ))
  until port_open "$1"; do
    kill -0 "${PID[broker]}" 2>/dev/null || die "the broker exited during start-up"
    (( SECONDS < deadline )) || die "the broker did not listen on $1 within ${START_TIMEOUT}s"
    sleep 0.2
  done
}

log "starting the bench broker on 127.0.0.1:$KAFKA_PORT (data in $WORK/kafka)"
java -Xmx1g -Dlogback.configurationFile="$BENCH/passthrough/logback.xml" -Dport="$KAFKA_PORT" -Ddir="$WORK/kafka" \
    -cp "$CP" BenchBroker > "$WORK/broker.log" 2>&1 &
PID[broker]=$!
wait_port "$KAFKA_PORT"
BROKERS="127.0.0.1:$KAFKA_PORT"

start_target() {
  local t="$1" since
  PORT[$t]="$(free_port 18080)"
  since="$(now_ms)"
  case "$t" in
    hub)
      # shellcheck disable=SC2086
      (cd "$ROOT" && exec env -u SPRING_PROFILES_ACTIVE -u JAVA_TOOL_OPTIONS KAFKA_BROKERS="$BROKERS" \
          SERVER_ADDRESS=127.0.0.1 SERVER_PORT="${PORT[$t]}" \
          HUB_TOKENS_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
          "${HUB_JAVA:-java}" $HEAP_OPTS $HUB_CDS_OPTS ${HUB_JAVA_OPTS:-} -jar "$HUB_RUN_JAR" ${HUB_ARGS:-}) > "$WORK/hub.log" 2>&1 &
      PID[$t]=$!
      URL[$t]="http://127.0.0.1:${PORT[$t]}"
      READY_S[$t]="$(wait_ready "$t" "${URL[$t]}/actuator/health/readiness" "$since")"
      ;;
    pass|pass-hub)
      local codec=""
      [[ "$t" == pass-hub ]] && codec="$HUB_CODEC"
      # shellcheck disable=SC2086
      env -u JAVA_TOOL_OPTIONS java $HEAP_OPTS ${PASS_JAVA_OPTS:-} -Dlogback.configurationFile="$BENCH/passthrough/logback.xml" \
          -Dsun.net.httpserver.nodelay=true -Dport="${PORT[$t]}" -Dbrokers="$BROKERS" -Dthreads="$PASS_THREADS" \
          -Dcompression="$codec" -Dtopic="bench.$t.v1" -cp "$CP" Passthrough > "$WORK/$t.log" 2>&1 &
      PID[$t]=$!
      URL[$t]="http://127.0.0.1:${PORT[$t]}"
      READY_S[$t]="$(wait_ready "$t" "${URL[$t]}/" "$since")"
      ;;
  esac
  log "${NAME[$t]} ready after ${READY_S[$t]} ms (pid ${PID[$t]}, port ${PORT[$t]})"
}

# --- measuring ------------------------------------------------------------------------------------------------------
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# CPU of the threads that serve requests: all but the JIT compilers, the GC and the VM thread.
app_ticks() {
  # A thread that ends between the glob and the read (idle workers, the JVM's dynamic compiler threads) is skipped;
  # without the `|| true`, pipefail would end the whole run without a word.
  { cat "/proc/$1"/task/*/stat 2>/dev/null || true; } | awk '{
    o = index($0, "("); c = index($0, ") "); name = substr($0, o + 1, c - o - 1); split(substr($0, c + 2), a, " ")
    if (name !~ /Compiler|GC Thr|G1 |VM Thread|VM Periodic|Sweeper/) t += a[12] + a[13]
  } END { print t + 0 }'
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# Bytes allocated by all the target's threads since its start (ThreadMXBean.getTotalThreadAllocatedBytes).
allocated() {
  case "$1" in
    hub) curl -s --max-time 5 "${URL[hub]}/actuator/jolokia/read/java.lang:type=Threading/TotalThreadAllocatedBytes" \
           | jq -r '.value // empty' 2>/dev/null || true ;;
    *) curl -s --max-time 5 "${URL[$1]}/bench/allocated" || true ;;
  esac
}

ACCESS_TOKEN=""
fetch_token() {
  local code
  code="$(curl -sS -o "$WORK/token.json" -w '%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' \
      --data '{"grant_type":"password","client_id":"demo-app-token","username":"svc-ingest@demo.local","password":"demo-password"}' \
      "${URL[hub]}/tenant-users/oauth2/token" || true)"
  [[ "$code" == 200 ]] || die "the token endpoint answered ${code:-nothing}: $(head -c 300 "$WORK/token.json")"
  ACCESS_TOKEN="$(jq -r '.access_token' "$WORK/token.json")"
}
probe() {
  local t="$1" n="$2" code
  code="$(curl -sS -o "$WORK/probe.json" -w '%{http_code}' --max-time 20 -X POST -H 'Content-Type: application/json' \
      -H "x-app-token: $APP_TOKEN" -H "Authorization: Bearer $ACCESS_TOKEN" --data-binary "@$(body_file "$n")" \
      "${URL[$t]}/incidents" || true)"
  [[ "$code" == 200 ]] || die "${NAME[$t]} answered ${code:-nothing} to the $n-record body: $(head -c 300 "$WORK/probe.json")"
}

# Runs wrk once against target $1 with body $2 at concurrency $3 for $4; sets R_requests, R_duration_us, R_p50_us,
# R_p99_us, R_non2xx, R_sockerr, R_cpu_ms (CPU time the target used meanwhile), R_alloc (bytes it allocated, or
# empty) and R_rss_kib (its largest RSS, sampled every second).
wrk_run() {
  local t="$1" n="$2" conc="$3" dur="$4" threads out line kv cpu0 app0 a0 a1 sampler
  threads=$(( conc < WRK_THREADS ? conc : WRK_THREADS ))
  a0="$(allocated "$t")"; cpu0="$(cpu_ticks "${PID[$t]}")"; app0="$(app_ticks "${PID[$t]}")"
  ( m=0; while sleep 1; do r="$(rss_kib "${PID[$t]}" 2>/dev/null || echo 0)"; (( r > m )) && m=$r && echo "$m" > "$WORK/rss"; done ) &
  sampler=$!
  out="$(BENCH_BODY="$(body_file "$n")" BENCH_APP_TOKEN="$APP_TOKEN" BENCH_ACCESS_TOKEN="$ACCESS_TOKEN" \
      timeout --kill-after=5 $(( $(seconds "$dur") + 30 )) \
      wrk -t "$threads" -c "$conc" -d "$dur" --timeout 15s -s "$BENCH/post.lua" "${URL[$t]}/incidents" 2>&1)" \
      || { kill "$sampler" 2>/dev/null; die "wrk failed or overran against ${NAME[$t]}: $out"; }
  R_cpu_ms=$(( ($(cpu_ticks "${PID[$t]}") - cpu0) * 1000 / CLK_TCK ))
  R_app_ms=$(( ($(app_ticks "${PID[$t]}") - app0) * 1000 / CLK_TCK ))
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  a1="$(allocated "$t")"
  R_alloc=""; [[ -n "$a0" && -n "$a1" ]] && R_alloc=$(( a1 - a0 ))
  R_rss_kib="$(cat "$WORK/rss" 2>/dev/null || rss_kib "${PID[$t]}")"; rm -f "$WORK/rss"
  (( R_rss_kib > ${RSS_MAX[$t]:-0} )) && RSS_MAX[$t]=$R_rss_kib
  line="$(grep '^BENCH ' <<<"$out" || true)"
  [[ -n "$line" ]] || die "wrk printed no result line: $out"
  for kv in ${line#BENCH }; do printf -v "R_${kv%%=*}" '%s' "${kv#*=}"; done
  # shellcheck disable=SC2154
  R_sockerr=$(( R_connect + R_read + R_write + R_timeout ))
}
rps() { awk -v r="$R_requests" -v d="$R_duration_us" 'BEGIN { printf "%.0f", (d > 0 ? r * 1e6 / d : 0) }'; }

# Cold: back-to-back wrk runs of $BUCKET, from the moment the target is ready (token and probe included in the first).
declare -A COLD_RPS=() COLD_AT=()
cold_run() {
  local t="$1" ready_at="$2" i=0 buckets
  buckets=$(( $(seconds "$COLD") / $(seconds "$BUCKET") ))
  log "cold: ${NAME[$t]}, $COLD_RECORDS record(s), c=$COLD_CONCURRENCY, $buckets buckets of $BUCKET"
  while (( i < buckets )); do
    COLD_AT[$t|$i]=$(( ($(now_ms) - ready_at) / 1000 ))
    wrk_run "$t" "$COLD_RECORDS" "$COLD_CONCURRENCY" "$BUCKET"
    COLD_RPS[$t|$i]="$(rps)"
    i=$(( i + 1 ))
  done
  log "cold ${NAME[$t]}: $(for (( j = 0; j < buckets; j++ )); do printf '%s ' "${COLD_RPS[$t|$j]}"; done)req/s"
}

# --- run ------------------------------------------------------------------------------------------------------------
for t in $TARGETS; do
  start_target "$t"
  ready_at="$(now_ms)"
  [[ "$t" == hub ]] && fetch_token
  for n in $(tr ' ' '\n' <<<"$COLD_RECORDS $RECORDS" | sort -un); do probe "$t" "$n"; done
  (( $(seconds "$COLD") > 0 )) && cold_run "$t" "$ready_at"
done
:

for t in $TARGETS; do
  for n in $RECORDS; do
    log "warm-up: ${NAME[$t]}, $n record(s), c=32, $WARMUP"
    wrk_run "$t" "$n" 32 "$WARMUP"
  done
done

mkdir -p "$BENCH/results"
if [[ -n "${JFR:-}" ]]; then
  timeout 30 jcmd "${PID[hub]}" JFR.start name=bench settings=profile >/dev/null || die "could not start JFR in the hub"
fi
declare -A RPS=() RECS=() P99=() CPU=() APP=() ALLOC=() BAD=()
for n in $RECORDS; do
  for c in $CONCURRENCY; do
    for t in $TARGETS; do
      wrk_run "$t" "$n" "$c" "$DURATION"
      k="$t|$n|$c"
      RPS[$k]="$(rps)"
      RECS[$k]="$(awk -v r="$R_requests" -v bad="$R_non2xx" -v d="$R_duration_us" -v n="$n" \
          'BEGIN { printf "%.0f", (d > 0 ? (r - bad) * n * 1e6 / d : 0) }')"
      P99[$k]="$(awk -v u="$R_p99_us" 'BEGIN { printf "%.1f", u / 1000 }')"
      CPU[$k]="$(awk -v c="$R_cpu_ms" -v r="$R_requests" 'BEGIN { printf "%.3f", (r > 0 ? c / r : 0) }')"
      APP[$k]="$(awk -v c="$R_app_ms" -v r="$R_requests" 'BEGIN { printf "%.3f", (r > 0 ? c / r : 0) }')"
      ALLOC[$k]="$(awk -v a="$R_alloc" -v r="$R_requests" 'BEGIN { if (a == "" || r == 0) print "n/a"; else printf "%.0f", a / r / 1024 }')"
      BAD[$k]=$(( R_non2xx + R_sockerr ))
      log "$(printf '%-13s %2s rec c=%-3s %7s req/s  p99 %6s ms  CPU %s ms/req (app threads %s)  alloc %s KB/req  errors %s' \
          "$t" "$n" "$c" "${RPS[$k]}" "${P99[$k]}" "${CPU[$k]}" "${APP[$k]}" "${ALLOC[$k]}" "${BAD[$k]}")"
    done
  done
done
if [[ -n "${JFR:-}" ]]; then
  timeout 60 jcmd "${PID[hub]}" JFR.stop name=bench filename="$BENCH/results/$STAMP.hub.jfr" >/dev/null || die "JFR.stop failed"
  log "wrote $BENCH/results/$STAMP.hub.jfr (bench/jfr_top.py summarises it)"
fi

# --- report ---------------------------------------------------------------------------------------------------------
REPORT="$BENCH/results/$STAMP.md"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# Target of DESIGN.md §10 for the hub/pass-through requests/s ratio.
goal() { if [[ "$1" != 1 ]]; then echo 1.0; elif (( $2 >= 32 )); then echo 0.6; else echo 0.9; fi; }
{
  echo "# ingest-hub benchmark $STAMP"
  echo
  echo "- commit: $(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- src pom.xml routes mappings config 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average before the run: $LOAD_BEFORE"
  echo "- java: $(java -version 2>&1 | head -n 1)${HUB_JAVA:+ (the hub: $("$HUB_JAVA" -version 2>&1 | head -n 1))}; both targets: \`$HEAP_OPTS\`"
  echo "- broker: one fresh KRaft broker in its own process (bench/broker), shared by every target"
  echo "- load: wrk $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2), closed loop, POST /incidents with x-app-token and a bearer token;" \
       "cold $COLD in $BUCKET buckets at $COLD_RECORDS record(s) c=$COLD_CONCURRENCY, then warm-up $WARMUP per target and body, $DURATION per cell"
  echo "- hub: ${JAR#"$ROOT"/}${HUB_ARGS:+ $HUB_ARGS}, extracted, $([[ -n "$HUB_CDS_OPTS" ]] && echo "with" || echo "without") the class data sharing archive"
  echo "- pass-through: JDK HttpServer + Jackson + kafka-clients, Kafka's defaults except acks=all, enable.idempotence=true, linger.ms=5"
  echo
  echo "Start to readiness: $(for t in $TARGETS; do printf '%s %.1f s; ' "${NAME[$t]}" "$(awk -v m="${READY_S[$t]}" 'BEGIN{print m/1000}')"; done)"
  echo "largest RSS under load: $(for t in $TARGETS; do printf '%s %d MiB; ' "${NAME[$t]}" $(( ${RSS_MAX[$t]:-0} / 1024 )); done)"
  echo
  echo "Warm:"
  echo
  printf '| records | c |'; for t in $TARGETS; do printf ' %s req/s | records/s | p99 ms | CPU ms/req |' "${NAME[$t]}"; done
  echo ' hub app-thread CPU ms/req | hub alloc KB/req | hub/pass req/s (goal) | hub/pass p99 (≤ 1.5) | hub/pass CPU (≤ 2) |'
  printf '| ---: | ---: |'; for t in $TARGETS; do printf ' ---: | ---: | ---: | ---: |'; done; echo ' ---: | ---: | ---: | ---: | ---: |'
  for n in $RECORDS; do
    for c in $CONCURRENCY; do
      printf '| %s | %s |' "$n" "$c"
      for t in $TARGETS; do
        k="$t|$n|$c"; printf ' %s | %s | %s | %s |' "${RPS[$k]}" "${RECS[$k]}" "${P99[$k]}" "${CPU[$k]}"
        (( BAD[$k] > 0 )) && printf ' (%s errors)' "${BAD[$k]}"
      done
      h="hub|$n|$c"; p="pass|$n|$c"
      if [[ " $TARGETS " == *" pass "* ]]; then
        printf ' %s | %s | %s (%s) | %s | %s |\n' "${APP[$h]}" "${ALLOC[$h]}" "$( [[ "$n" == 1 ]] && ratio "${RPS[$h]}" "${RPS[$p]}" || ratio "${RECS[$h]}" "${RECS[$p]}")" \
            "$(goal "$n" "$c")" "$(ratio "${P99[$h]}" "${P99[$p]}")" "$(ratio "${CPU[$h]}" "${CPU[$p]}")"
      else
        printf ' %s | %s | | | |\n' "${APP[$h]}" "${ALLOC[$h]}"
      fi
    done
  done
  if (( $(seconds "$COLD") > 0 )); then
    buckets=$(( $(seconds "$COLD") / $(seconds "$BUCKET") ))
    echo
    echo "Cold: requests/s per $BUCKET bucket after readiness ($COLD_RECORDS record(s), c=$COLD_CONCURRENCY), and as a share of the same target's warm cell:"
    echo
    printf '| bucket |'; for t in $TARGETS; do printf ' %s s after ready | req/s | of warm |' "${NAME[$t]}"; done; echo
    printf '| ---: |'; for t in $TARGETS; do printf ' ---: | ---: | ---: |'; done; echo
    for (( i = 0; i < buckets; i++ )); do
      printf '| %d |' $(( i + 1 ))
      for t in $TARGETS; do
        warm="${RPS[$t|$COLD_RECORDS|$COLD_CONCURRENCY]:-}"
        printf ' %s | %s | %s |' "${COLD_AT[$t|$i]}" "${COLD_RPS[$t|$i]}" "$( [[ -n "$warm" ]] && ratio "${COLD_RPS[$t|$i]}" "$warm" || echo n/a)"
      done
      echo
    done
  fi
} > "$REPORT"

echo >&2
cat "$REPORT"
log "wrote $REPORT"
