#!/usr/bin/env bash
# Rebuilds the benchmark bodies from the ServiceNow incident sample: one record, and an array of 50 copies
# that differ in sys_id and number (distinct Kafka keys). Usage: bench/bodies/build.sh [path/to/incidents.single.json]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sample="${1:-$here/incidents.1.json}"
[[ -f "$sample" ]] || { echo "no sample at $sample" >&2; exit 1; }
if [[ "$sample" != "$here/incidents.1.json" ]]; then
  jq . "$sample" > "$here/incidents.1.json"
fi
ids=()
for i in $(seq 1 50); do
  ids+=("$(printf 'ingest-hub bench record %d' "$i" | md5sum | cut -c1-32)")
done
printf '%s\n' "${ids[@]}" | jq -R . | jq -c -s --slurpfile rec "$here/incidents.1.json" '
  to_entries | map($rec[0] + {
    sys_id: .value,
    number: ("INC" + ((10041207 + .key) | tostring)[1:])
  })' > "$here/incidents.50.json"
echo "wrote $here/incidents.1.json ($(wc -c < "$here/incidents.1.json") bytes)"
echo "wrote $here/incidents.50.json ($(jq length "$here/incidents.50.json") records, $(wc -c < "$here/incidents.50.json") bytes)"
