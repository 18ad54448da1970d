#!/usr/bin/env bash
# Runs postman/ingest-hub.postman_collection.json with newman against a hub started here in the local default
# (in-process Kafka on free ports, throwaway data directory), the way the Dockerfile starts it (extracted layout, class
# data sharing archive). Exits non-zero when any request or test fails.
#   .ci/postman.sh            build the jar if it is missing or older than the sources, then run
#   HUB_JAR=path .ci/postman.sh   use that jar
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
COLLECTION=postman/ingest-hub.postman_collection.json
NODE_DIR=.ci/node
NEWMAN="$NODE_DIR/node_modules/.bin/newman"
START_TIMEOUT=${HUB_START_TIMEOUT:-180}

log() { printf '[postman] %s\n' "$*" >&2; }

# 1. newman, installed once into .ci/node (ignored by git)
if [ ! -x "$NEWMAN" ]; then
  log "installing newman into $NODE_DIR"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$NODE_DIR" newman@6 >&2
fi

# 2. the jar, rebuilt when a source is newer
JAR=${HUB_JAR:-$(ls target/ingest-hub-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 || true)}
if [ -z "${HUB_JAR:-}" ]; then
  if [ -z "$JAR" ] || [ -n "$(find pom.xml src docs -newer "$JAR" -type f -print -quit)" ]; then
    log "building the jar"
    mvn -q -B -DskipTests package >&2
    JAR=$(ls target/ingest-hub-*.jar | grep -v '\.original$' | head -n 1)
  fi
fi

# 3. free ports for HTTP and the in-process broker (broker + controller), and a throwaway data directory
read -r HTTP_PORT KAFKA_PORT CONTROLLER_PORT < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ingest-hub-postman.XXXXXX")
HUB_LOG="$WORK/hub.log"
HUB_PID=

cleanup() {
  if [ -n "$HUB_PID" ] && kill -0 "$HUB_PID" 2>/dev/null; then
    kill "$HUB_PID" 2>/dev/null || true
    wait "$HUB_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# 4. the hub started the way the Dockerfile starts it, its commands read from there: the extracted layout, the class
#    data sharing archive of its training run, the ENTRYPOINT's flags and its JAVA_TOOL_OPTIONS. -Xshare:on makes the
#    start fail unless the archive maps, so a broken training step fails here, not only in an image build.
APP="$WORK/app"
java -Djarmode=tools -jar "$ROOT/$JAR" extract --destination "$APP" >"$WORK/extract.log" 2>&1 \
  || { tail -n 20 "$WORK/extract.log" >&2; exit 1; }
mv "$APP/$(basename "$JAR")" "$APP/ingest-hub.jar"
TOOL_OPTIONS=$(sed -n 's/.*JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile | head -n 1)
TRAINING=$(sed -n 's|^RUN bash /app/cds-archive.sh ||p' Dockerfile)
ENTRY=$(sed -n 's/^ENTRYPOINT //p' Dockerfile | jq -r '.[1:][]' | tr '\n' ' ')
[ -n "$TOOL_OPTIONS" ] && [ -n "$TRAINING" ] && [ -n "$ENTRY" ] || { log "could not read the Dockerfile's start"; exit 1; }
log "training run of docker/cds-archive.sh ${TRAINING//\/app/$APP}"
# shellcheck disable=SC2086
JAVA_TOOL_OPTIONS="$TOOL_OPTIONS" docker/cds-archive.sh ${TRAINING//\/app/$APP} >&2
# 5. ... in the local default (no profile, no KAFKA_BROKERS), from the repository root for routes/, mappings/, config/;
#    its registry is the local default's plus the demo tenant's source data sources, whose secrets the collection signs with
log "starting java $TOOL_OPTIONS -Xshare:on ${ENTRY//\/app/$APP}on port $HTTP_PORT (Kafka on $KAFKA_PORT, data in $WORK)"
# shellcheck disable=SC2086
env -u KAFKA_BROKERS -u SPRING_PROFILES_ACTIVE JAVA_TOOL_OPTIONS="$TOOL_OPTIONS" \
  SERVER_PORT="$HTTP_PORT" \
  HUB_KAFKA_EMBEDDED_PORT="$KAFKA_PORT" \
  HUB_KAFKA_EMBEDDED_CONTROLLER_PORT="$CONTROLLER_PORT" \
  HUB_KAFKA_EMBEDDED_DATA_DIR="$WORK/kafka" \
  HUB_TOKENS_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
  HUB_REGISTRY_FILE=config/examples/sources.tenants.yaml \
  DEMO_JIRA_SECRET=demo-jira-secret \
  DEMO_PAGERDUTY_SECRET=demo-pagerduty-secret \
  java -Xshare:on ${ENTRY//\/app/$APP} >"$HUB_LOG" 2>&1 &
HUB_PID=$!

# 6. wait until ready (Kafka included), with a deadline
BASE="http://127.0.0.1:$HTTP_PORT"
deadline=$((SECONDS + START_TIMEOUT))
until curl -fs -o /dev/null "$BASE/actuator/health/readiness"; do
  if ! kill -0 "$HUB_PID" 2>/dev/null; then
    log "the hub exited before it was ready; its log:"
    tail -n 60 "$HUB_LOG" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "the hub was not ready within ${START_TIMEOUT}s; its log:"
    tail -n 60 "$HUB_LOG" >&2
    exit 1
  fi
  sleep 1
done
log "hub ready at $BASE"

# 7. the collection
status=0
"$NEWMAN" run "$COLLECTION" --env-var "baseUrl=$BASE" \
  --env-var "clientAppToken=datadog-token" --env-var "clientSecret=datadog-client-secret" --reporters cli --color off || status=$?
if [ "$status" -ne 0 ]; then
  log "newman failed ($status); last lines of the hub log:"
  tail -n 30 "$HUB_LOG" >&2
fi
exit "$status"
