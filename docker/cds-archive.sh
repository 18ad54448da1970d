#!/usr/bin/env bash
# Writes a class data sharing archive (dynamic AppCDS) for the hub's extracted layout, so that every later start maps
# the classes it loads instead of reading, verifying and linking them again. A training run starts the application
# context in the local default and exits once it is refreshed (Spring Boot's spring.context.exit=onRefresh).
#
# Usage: docker/cds-archive.sh APP_JAR ARCHIVE
#   APP_JAR   the application jar of the extracted layout (java -Djarmode=tools -jar <jar> extract)
#   ARCHIVE   the archive to write; start the hub with -XX:SharedArchiveFile=ARCHIVE and the same JVM and jars
# Run it in the directory the hub runs in (routes/ and mappings/ are read from there). The JVM flags of
# JAVA_TOOL_OPTIONS apply to the training run too. The run publishes nothing and keeps nothing: its Kafka address
# answers nobody, it listens on a free port of 127.0.0.1 for the seconds it runs, and its registry and secret are
# random ones of its own, deleted when it ends.
set -euo pipefail
(( $# == 2 )) || { echo "usage: $0 APP_JAR ARCHIVE" >&2; exit 2; }
jar="$1" archive="$2"
[[ -f "$jar" ]] || { echo "$0: no jar at $jar" >&2; exit 2; }
rm -f "$archive"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
cat > "$tmp/tenants.yaml" <<YAML
tenants:
  training:
    data-sources:
      training-servicenow: { mappings: servicenow }
    apps:
      training:
        app-token: "{sha256}$(random)"
        data-source: training-servicenow
YAML
if ! env -u SPRING_PROFILES_ACTIVE KAFKA_BROKERS=127.0.0.1:9 HUB_REGISTRY_FILE="$tmp/tenants.yaml" \
    HUB_DEFAULTTENANT=training HUB_TOKENS_SECRET="$(random)" \
    SERVER_ADDRESS=127.0.0.1 SERVER_PORT=0 \
    java -XX:ArchiveClassesAtExit="$archive" -Dspring.context.exit=onRefresh -jar "$jar" > "$tmp/training.log" 2>&1; then
  echo "$0: the training run failed; its last lines:" >&2
  tail -n 30 "$tmp/training.log" >&2
  exit 1
fi
[[ -s "$archive" ]] || { echo "$0: the training run wrote no archive" >&2; tail -n 30 "$tmp/training.log" >&2; exit 1; }
echo "$0: wrote $archive ($(( $(stat -c %s "$archive") / 1024 / 1024 )) MiB)"
