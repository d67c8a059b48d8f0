#!/usr/bin/env bash
# bench/store.sh (run as `bench/run.sh store`): the event store benchmark (docs/benchmarks.md,
# "Event store"). Builds lmhunt_bench_store in Release, which writes N synthetic UDM JSON lines,
# times ingest, reports RSS and times catalog-like queries; then runs jq with the PsExec query's
# equivalent filter over the same file and reports the ratios. Prints only; edits no docs.
#
# Environment (defaults in brackets):
#   LMHUNT_STORE_EVENTS     [1000000]                 events to generate
#   LMHUNT_STORE_BUILD_DIR  [build-bench-store]       Release build directory
#   LMHUNT_JOBS             [2]                       build parallelism
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
events=${LMHUNT_STORE_EVENTS:-1000000}
build_dir=${LMHUNT_STORE_BUILD_DIR:-$root/build-bench-store}
jobs=${LMHUNT_JOBS:-2}

[[ -f "$build_dir/CMakeCache.txt" ]] ||
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target lmhunt_bench_store -j "$jobs" >&2

file=$(mktemp --suffix=.jsonl)
trap 'rm -f "$file"' EXIT
output=$("$build_dir/bench/lmhunt_bench_store" --events "$events" --file "$file" --keep)
printf '%s\n' "$output"

declare -A result=()
read -ra fields <<<"$(grep '^RESULT ' <<<"$output")"
for kv in "${fields[@]}"; do
  [[ "$kv" == *=* ]] && result[${kv%%=*}]=${kv#*=}
done

# The catalog's PsExec query as a jq filter over the same lines.
filter='select(.metadata.event_type == "PROCESS_LAUNCH" and
  ((.target.process.file.full_path // "") | test("\\\\psexesvc\\.exe$"; "i")))'
start=$(date +%s.%N)
jq_count=$(jq -c "$filter" "$file" | wc -l)
end=$(date +%s.%N)
jq_ms=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", (b - a) * 1000 }')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1f", a / b; else print "n/a" }'; }
ingest_ms=$(awk -v s="${result[ingest_s]}" 'BEGIN { printf "%.0f", s * 1000 }')
echo
echo "| Measure | lmhunt store | jq 1.6 | Ratio |"
echo "|---|---:|---:|---:|"
echo "| PsExec query, events found | ${result[q_psexec_events]} | $jq_count | |"
echo "| PsExec query on the loaded store, ms | ${result[q_psexec_ms]} | $jq_ms (whole file) |" \
  "$(ratio "$jq_ms" "${result[q_psexec_ms]}")× faster |"
echo "| Ingest once + query, ms | $ingest_ms + ${result[q_psexec_ms]} | $jq_ms |" \
  "$(ratio "$jq_ms" "$(awk -v a="$ingest_ms" -v b="${result[q_psexec_ms]}" 'BEGIN { print a + b }')")× |"
echo
echo "Targets: ingest ≥ 200000 events/s (got ${result[ingest_eps]} wall;" \
  "${result[ingest_cpu_eps]} per CPU-second over all threads); typical query < 100 ms" \
  "(psexec ${result[q_psexec_ms]} ms wall, ${result[q_psexec_cpu_ms]} ms CPU;" \
  "wmi_child ${result[q_wmi_child_ms]} ms wall, ${result[q_wmi_child_cpu_ms]} ms CPU);" \
  "RSS ≤ 2× the JSON (got ${result[rss_ratio]}×). Load average: $(cut -d' ' -f1-3 /proc/loadavg)."
[[ "$jq_count" == "${result[q_psexec_events]}" ]] || {
  echo "jq and the store disagree on the PsExec query" >&2
  exit 1
}
