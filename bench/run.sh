#!/usr/bin/env bash
# Benchmarks the hub's POST /incidents against the bare pass-through (bench/passthrough) on one in-process Kafka broker,
# with wrk at several concurrencies and body sizes, and writes the table to bench/results/<UTC timestamp>.md.
#
# Usage: bench/run.sh                      (from anywhere; see bench/README.md)
# Settings (environment): DURATION=10s WARMUP=5s CONCURRENCY="1 8 32" RECORDS="1 50" KAFKA_PORT=19092
#   BODIES=bench/bodies (a folder with incidents.<records>.json),
#   HUB_PORT / PASS_PORT (default: a free port), WRK_THREADS=2, PASS_THREADS=64, START_TIMEOUT=180 (seconds),
#   REBUILD=1 (rebuild the hub jar even if one exists), HUB_JAVA_OPTS / PASS_JAVA_OPTS (extra JVM flags),
#   KEEP_WORK=1 (keep the throwaway directory with logs and broker data),
#   JFR=1 (record the hub with Java Flight Recorder over the measured runs, to bench/results/<timestamp>.hub.jfr).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
CONCURRENCY="${CONCURRENCY:-1 8 32}"
RECORDS="${RECORDS:-1 50}"
BODIES="$(cd "${BODIES:-$BENCH/bodies}" && pwd)"
KAFKA_PORT="${KAFKA_PORT:-19092}"
HUB_PORT="${HUB_PORT:-}"
PASS_PORT="${PASS_PORT:-}"
WRK_THREADS="${WRK_THREADS:-2}"
PASS_THREADS="${PASS_THREADS:-64}"
START_TIMEOUT="${START_TIMEOUT:-180}"
STOP_TIMEOUT=30
APP_TOKEN="demo-app-token"
# The hub's default limits (hub.limits.max-records, hub.limits.max-body-bytes = 10MB = 10 MiB in Spring's DataSize).
MAX_RECORDS=1000
MAX_BODY_BYTES=$((10 * 1024 * 1024))
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
banner() {
  printf '\n%s\n' "################################################################################" >&2
  for line in "$@"; do printf '### %s\n' "$line" >&2; done
  printf '%s\n\n' "################################################################################" >&2
}

# --- tools -------------------------------------------------------------------------------------------------------
for tool in java javac jcmd mvn curl jq timeout; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
command -v wrk >/dev/null || die "wrk is not installed. On Debian/Ubuntu: sudo apt-get install -y wrk"

# "10s", "2m", "1h" or plain seconds -> seconds (for the time limit around each wrk run).
seconds() {
  local d="$1"
  case "$d" in
    *ms) echo 1 ;;
    *s) echo "${d%s}" ;;
    *m) echo $(( ${d%m} * 60 )) ;;
    *h) echo $(( ${d%h} * 3600 )) ;;
    *) echo "$d" ;;
  esac
}
[[ "$(seconds "$DURATION")" =~ ^[0-9]+$ ]] || die "DURATION=$DURATION: use e.g. 10s or 1m"
[[ "$(seconds "$WARMUP")" =~ ^[0-9]+$ ]] || die "WARMUP=$WARMUP: use e.g. 5s or 1m"

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
for n in $RECORDS; do
  f="$(body_file "$n")"
  [[ -f "$f" ]] || die "no body with $n records: $f (bench/bodies/build.sh makes 1 and 50 in bench/bodies)"
  count="$(jq 'if type == "array" then length else 1 end' "$f")"
  bytes="$(wc -c < "$f")"
  [[ "$count" == "$n" ]] || die "$f holds $count records, not $n"
  (( count <= MAX_RECORDS )) || die "$f holds $count records, over the hub's default max-records $MAX_RECORDS"
  (( bytes <= MAX_BODY_BYTES )) || die "$f is $bytes bytes, over the hub's default max-body-bytes $MAX_BODY_BYTES"
  log "body $f: $count record(s), $bytes bytes (limits: $MAX_RECORDS records, $MAX_BODY_BYTES bytes)"
done

# --- build ---------------------------------------------------------------------------------------------------------
hub_jar() { find "$ROOT/target" -maxdepth 1 -name 'ingest-hub-*.jar' ! -name '*.original' 2>/dev/null | head -n 1; }
if [[ -n "${REBUILD:-}" || -z "$(hub_jar)" ]]; then
  log "building the hub jar (mvn -q -DskipTests package)"
  (cd "$ROOT" && timeout 900 mvn -q -DskipTests package) || die "the hub did not build"
fi
JAR="$(hub_jar)"
[[ -n "$JAR" ]] || die "no hub jar under $ROOT/target"
log "hub jar: $JAR"

PT="$ROOT/target/bench-passthrough"
mkdir -p "$PT/classes"
if [[ ! -s "$PT/classpath.txt" || "$ROOT/pom.xml" -nt "$PT/classpath.txt" ]]; then
  log "resolving the hub's dependency jars for the pass-through"
  (cd "$ROOT" && timeout 600 mvn -q dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$PT/classpath.txt") || die "could not resolve the hub's classpath"
fi
PASS_CP="$PT/classes:$(cat "$PT/classpath.txt")"
if [[ ! -f "$PT/classes/Passthrough.class" || "$BENCH/passthrough/Passthrough.java" -nt "$PT/classes/Passthrough.class" ]]; then
  log "compiling bench/passthrough/Passthrough.java"
  javac -d "$PT/classes" -cp "$PASS_CP" "$BENCH/passthrough/Passthrough.java" || die "the pass-through did not compile"
fi

# --- start ---------------------------------------------------------------------------------------------------------
port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken; set KAFKA_PORT to a free port (it also uses the next one)"
port_open $(( KAFKA_PORT + 1 )) && die "port $(( KAFKA_PORT + 1 )) (the broker's controller) is taken; set KAFKA_PORT"
HUB_PORT="${HUB_PORT:-$(free_port 18080)}"
PASS_PORT="${PASS_PORT:-$(free_port $(( HUB_PORT + 1 )))}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ingest-hub-bench.XXXXXX")"
HUB_PID=""
PASS_PID=""

stop() {
  local name="$1" pid="$2" deadline
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( SECONDS + STOP_TIMEOUT ))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop within ${STOP_TIMEOUT}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop pass-through "$PASS_PID"
  stop hub "$HUB_PID"
  if (( rc != 0 )); then
    for f in "$WORK/hub.log" "$WORK/passthrough.log"; do
      [[ -s "$f" ]] && { log "last lines of $f:"; tail -n 25 "$f" >&2; }
    done
  fi
  if [[ -n "${KEEP_WORK:-}" ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls $url until it answers 200, the process $pid exits, or $timeout seconds pass.
wait_ready() {
  local name="$1" url="$2" pid="$3" timeout="$4" deadline code
  deadline=$(( SECONDS + timeout ))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up"
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
    [[ "$code" == 200 ]] && return 0
    sleep 0.5
  done
  die "$name was not ready within ${timeout}s ($url)"
}

log "starting the hub on 127.0.0.1:$HUB_PORT with its broker on 127.0.0.1:$KAFKA_PORT (data in $WORK/kafka)"
# shellcheck disable=SC2086
(cd "$ROOT" && exec env -u KAFKA_BROKERS -u SPRING_PROFILES_ACTIVE \
    SERVER_ADDRESS=127.0.0.1 SERVER_PORT="$HUB_PORT" \
    HUB_KAFKA_EMBEDDED_PORT="$KAFKA_PORT" \
    HUB_KAFKA_EMBEDDED_DATA_DIR="$WORK/kafka" \
    HUB_TOKENS_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
    java ${HUB_JAVA_OPTS:-} -jar "$JAR") > "$WORK/hub.log" 2>&1 &
HUB_PID=$!
started=$SECONDS
wait_ready hub "http://127.0.0.1:$HUB_PORT/actuator/health/readiness" "$HUB_PID" "$START_TIMEOUT"
log "hub ready after $(( SECONDS - started ))s"

log "starting the pass-through on 127.0.0.1:$PASS_PORT against the same broker"
# shellcheck disable=SC2086
java ${PASS_JAVA_OPTS:-} -Dlogback.configurationFile="$BENCH/passthrough/logback.xml" \
    -Dsun.net.httpserver.nodelay=true \
    -Dport="$PASS_PORT" -Dbrokers="127.0.0.1:$KAFKA_PORT" -Dthreads="$PASS_THREADS" \
    -cp "$PASS_CP" Passthrough > "$WORK/passthrough.log" 2>&1 &
PASS_PID=$!
started=$SECONDS
wait_ready pass-through "http://127.0.0.1:$PASS_PORT/" "$PASS_PID" "$START_TIMEOUT"
log "pass-through ready after $(( SECONDS - started ))s"

# --- authentication ------------------------------------------------------------------------------------------------
ACCESS_TOKEN=""
code="$(curl -sS -o "$WORK/token.json" -w '%{http_code}' --max-time 10 -X POST \
    -H 'Content-Type: application/json' \
    --data '{"grant_type":"password","client_id":"demo-app-token","username":"svc-ingest@demo.local","password":"demo-password"}' \
    "http://127.0.0.1:$HUB_PORT/tenant-users/oauth2/token" || true)"
case "$code" in
  200)
    ACCESS_TOKEN="$(jq -r '.access_token // empty' "$WORK/token.json")"
    [[ -n "$ACCESS_TOKEN" ]] || die "the token endpoint answered 200 without an access_token"
    AUTH="on (x-app-token + bearer token from /tenant-users/oauth2/token)"
    log "got an access token; every request carries x-app-token and Authorization: Bearer"
    ;;
  404)
    AUTH="NOT PRESENT: the token endpoint answered 404; requests carry x-app-token only"
    banner "WARNING: AUTHENTICATION IS NOT PRESENT IN THIS HUB BUILD" \
           "POST /tenant-users/oauth2/token answered 404, so there is no bearer token." \
           "The benchmark runs WITHOUT auth: its numbers do not include authentication cost" \
           "and are not comparable with the performance goal, which is measured with auth on."
    ;;
  *)
    die "the token endpoint answered ${code:-no answer}: $(head -c 400 "$WORK/token.json" 2>/dev/null)"
    ;;
esac

# --- one request each, to see what the table measures ---------------------------------------------------------------
probe() {
  local url="$1" body="$2"
  local -a headers=(-H 'Content-Type: application/json' -H "x-app-token: $APP_TOKEN")
  [[ -n "$ACCESS_TOKEN" ]] && headers+=(-H "Authorization: Bearer $ACCESS_TOKEN")
  curl -sS -o "$WORK/probe.json" -w '%{http_code}' --max-time 20 -X POST "${headers[@]}" \
      --data-binary "@$body" "$url" || true
}
PROBE_NOTE=""
for n in $RECORDS; do
  code="$(probe "http://127.0.0.1:$PASS_PORT/incidents" "$(body_file "$n")")"
  [[ "$code" == 200 ]] || die "the pass-through answered ${code:-nothing} for $n record(s): $(head -c 300 "$WORK/probe.json")"
  code="$(probe "http://127.0.0.1:$HUB_PORT/incidents" "$(body_file "$n")")"
  if [[ "$code" == 200 ]]; then
    log "hub accepted the $n-record body (200)"
  else
    summary="$(jq -c '{status, title, detail, accepted, rejected, first_error: .results[0].errors[0]}
        | with_entries(select(.value != null))' \
        "$WORK/probe.json" 2>/dev/null || head -c 300 "$WORK/probe.json")"
    PROBE_NOTE+="The hub answered $code to the $n-record body: $summary. "
    banner "WARNING: THE HUB ANSWERS $code TO THE $n-RECORD SERVICENOW BODY, NOT 200" \
           "$summary" \
           "Its rows measure that answer (counted as non-2xx when >= 400), not accepted records."
  fi
done

# --- load ------------------------------------------------------------------------------------------------------------
declare -A URL=([hub]="http://127.0.0.1:$HUB_PORT/incidents" [pass]="http://127.0.0.1:$PASS_PORT/incidents")
declare -A NAME=([hub]="hub" [pass]="pass-through")
declare -A RPS RECS P50 P99 NON2XX SOCKERR

# Runs wrk once; sets R_requests, R_duration_us, R_p50_us, R_p99_us, R_non2xx and R_sockerr.
wrk_run() {
  local url="$1" body="$2" conc="$3" dur="$4" threads out line kv
  threads=$(( conc < WRK_THREADS ? conc : WRK_THREADS ))
  out="$(BENCH_BODY="$body" BENCH_APP_TOKEN="$APP_TOKEN" BENCH_ACCESS_TOKEN="$ACCESS_TOKEN" \
      timeout --kill-after=5 $(( $(seconds "$dur") + 30 )) \
      wrk -t "$threads" -c "$conc" -d "$dur" --timeout 15s -s "$BENCH/post.lua" "$url" 2>&1)" \
      || die "wrk failed or overran against $url: $out"
  line="$(grep '^BENCH ' <<<"$out" || true)"
  [[ -n "$line" ]] || die "wrk printed no result line: $out"
  for kv in ${line#BENCH }; do
    printf -v "R_${kv%%=*}" '%s' "${kv#*=}"
  done
  # shellcheck disable=SC2154
  R_sockerr=$(( R_connect + R_read + R_write + R_timeout ))
}

for target in hub pass; do
  for n in $RECORDS; do
    max_conc="$(tr ' ' '\n' <<<"$CONCURRENCY" | sort -n | tail -n 1)"
    log "warm-up: ${NAME[$target]}, $n record(s)/body, concurrency $max_conc, $WARMUP"
    wrk_run "${URL[$target]}" "$(body_file "$n")" "$max_conc" "$WARMUP"
  done
done

mkdir -p "$BENCH/results"
if [[ -n "${JFR:-}" ]]; then
  log "recording the hub with JFR (settings=profile)"
  timeout 30 jcmd "$HUB_PID" JFR.start name=bench settings=profile >/dev/null || die "could not start JFR in the hub"
fi

for n in $RECORDS; do
  for c in $CONCURRENCY; do
    for target in hub pass; do
      wrk_run "${URL[$target]}" "$(body_file "$n")" "$c" "$DURATION"
      key="$target|$n|$c"
      RPS[$key]="$(awk -v r="$R_requests" -v d="$R_duration_us" 'BEGIN { printf "%.1f", (d > 0 ? r * 1e6 / d : 0) }')"
      # Records in answers below 400 only: a refused request ingested nothing.
      RECS[$key]="$(awk -v r="$R_requests" -v bad="$R_non2xx" -v d="$R_duration_us" -v n="$n" \
          'BEGIN { printf "%.1f", (d > 0 ? (r - bad) * n * 1e6 / d : 0) }')"
      P50[$key]="$R_p50_us"
      P99[$key]="$R_p99_us"
      NON2XX[$key]="$R_non2xx"
      SOCKERR[$key]="$R_sockerr"
      log "$(printf '%-12s %2s rec c=%-3s %9s req/s  p50 %6.2f ms  p99 %7.2f ms  non-2xx %s  socket errors %s' \
          "${NAME[$target]}" "$n" "$c" "${RPS[$key]}" "$(awk -v u="$R_p50_us" 'BEGIN{print u/1000}')" \
          "$(awk -v u="$R_p99_us" 'BEGIN{print u/1000}')" "$R_non2xx" "$R_sockerr")"
    done
  done
done

if [[ -n "${JFR:-}" ]]; then
  timeout 60 jcmd "$HUB_PID" JFR.stop name=bench filename="$BENCH/results/$STAMP.hub.jfr" >/dev/null \
      || die "could not write the JFR recording"
  log "wrote $BENCH/results/$STAMP.hub.jfr (summarise it with bench/jfr_top.py)"
fi

# --- report ----------------------------------------------------------------------------------------------------------
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
REPORT="$BENCH/results/$STAMP.md"
{
  echo "# ingest-hub benchmark $STAMP"
  echo
  echo "- commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), load average before the run: $LOAD_BEFORE"
  echo "- java: $(java -version 2>&1 | head -n 1)"
  echo "- wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), up to $WRK_THREADS threads; duration $DURATION per cell, warm-up $WARMUP per target and body"
  echo "- endpoint: POST /incidents with the bodies in ${BODIES#"$ROOT"/}"
  echo "- authentication: $AUTH"
  [[ -n "$PROBE_NOTE" ]] && echo "- WARNING: $PROBE_NOTE"
  echo "- broker: the hub's in-process KRaft broker on 127.0.0.1:$KAFKA_PORT, shared by both targets"
  echo
  echo "| target | records/body | concurrency | requests/s | records/s | p50 ms | p99 ms | non-2xx | socket errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for n in $RECORDS; do
    for c in $CONCURRENCY; do
      for target in hub pass; do
        key="$target|$n|$c"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${NAME[$target]}" "$n" "$c" "${RPS[$key]}" \
            "${RECS[$key]}" \
            "$(ms "${P50[$key]}")" "$(ms "${P99[$key]}")" "${NON2XX[$key]}" "${SOCKERR[$key]}"
      done
    done
  done
  echo
  echo "Hub relative to the pass-through (performance goal: requests/s ≥ 0.60 with 1-record bodies and ≥ 0.70 with"
  echo "larger ones, p99 ≤ 1.5×):"
  echo
  echo "| records/body | concurrency | hub/pass requests/s | hub/pass p99 | goal met |"
  echo "| ---: | ---: | ---: | ---: | --- |"
  for n in $RECORDS; do
    for c in $CONCURRENCY; do
      h="hub|$n|$c"; p="pass|$n|$c"
      awk -v hr="${RPS[$h]}" -v pr="${RPS[$p]}" -v hp="${P99[$h]}" -v pp="${P99[$p]}" \
          -v bad="$(( NON2XX[$h] + SOCKERR[$h] ))" -v n="$n" -v c="$c" 'BEGIN {
        rr = pr > 0 ? hr / pr : 0; pr99 = pp > 0 ? hp / pp : 0
        goal = n == 1 ? 0.60 : 0.70
        ok = (rr >= goal && pr99 <= 1.5 && bad == 0) ? "yes" : "no"
        printf "| %s | %s | %.2f | %.2f | %s |\n", n, c, rr, pr99, ok
      }'
    done
  done
} > "$REPORT"

echo >&2
cat "$REPORT"
echo >&2
log "wrote $REPORT"
