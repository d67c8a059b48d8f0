#!/usr/bin/env bash
# bench/hunt.sh (run as `bench/run.sh hunt`): the hunt's speed and memory benchmark
# (docs/benchmarks.md, "Hunt"). Builds lmhunt, lmhunt-sim and lmhunt_bench_hunt in Release, runs
# one hunt against three lmhunt-sim servers with --latency-ms, compares its wall time with the
# downstream critical path and with the same calls made one at a time, then hunts synthetic
# events with max_events_per_query 50 / 500 / 5000. Prints Markdown tables; edits no docs.
#
# Environment (defaults in brackets):
#   LMHUNT_HUNT_LATENCY_MS  [100]               lmhunt-sim --latency-ms for the speed run
#   LMHUNT_HUNT_EVENTS      [200000]            synthetic events for the memory check
#   LMHUNT_HUNT_BUILD_DIR   [build-bench-hunt]  Release build directory
#   LMHUNT_JOBS             [2]                 build parallelism
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
latency=${LMHUNT_HUNT_LATENCY_MS:-100}
events=${LMHUNT_HUNT_EVENTS:-200000}
build_dir=${LMHUNT_HUNT_BUILD_DIR:-$root/build-bench-hunt}
jobs=${LMHUNT_JOBS:-2}

[[ -f "$build_dir/CMakeCache.txt" ]] ||
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target lmhunt lmhunt-sim lmhunt_bench_hunt -j "$jobs" >&2

status=0
output=$("$build_dir/bench/lmhunt_bench_hunt" --lmhunt "$build_dir/lmhunt" \
  --sim "$build_dir/lmhunt-sim" --latency-ms "$latency" --memory-events "$events") || status=$?
printf '%s\n' "$output" >&2

# field LINE KEY: the value of KEY=… in LINE.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print substr($0, length(k) + 2) }'; }
check() { awk -v x="$1" -v op="$2" -v m="$3" 'BEGIN { print ((op == ">=" ? x + 0 >= m : x + 0 <= m) ? "yes" : "no") }'; }

speed=$(grep '^RESULT section=speed' <<<"$output" || true)
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
  "lmhunt $(git rev-parse --short HEAD 2>/dev/null || echo unknown) (Release)."
if [[ -n "$speed" ]]; then
  echo
  echo "| Stage | Calls | Critical path ms |"
  echo "|---|---:|---:|"
  grep '^STAGE ' <<<"$output" | sed -E 's/^STAGE name="([^"]*)" calls=([0-9]+) critical_ms=([0-9]+)/| \1 | \2 | \3 |/'
  echo
  echo "| Measure | Value | Target | Met |"
  echo "|---|---:|---|---|"
  echo "| Downstream calls (latency $(field "$speed" latency_ms) ms each, concurrency $(field "$speed" concurrency)) | $(field "$speed" calls) | | |"
  echo "| Hunt wall time, first hunt (starts the servers) ms | $(field "$speed" cold_wall_ms) | | |"
  echo "| Hunt wall time ms | $(field "$speed" wall_ms) | | |"
  echo "| Downstream critical path ms | $(field "$speed" critical_ms) | | |"
  echo "| Wall / critical path | $(field "$speed" wall_over_critical)× | ≤ 1.15× | $(check "$(field "$speed" wall_over_critical)" "<=" 1.15) |"
  echo "| Same calls one at a time ms | $(field "$speed" sequential_ms) | | |"
  echo "| One at a time / wall | $(field "$speed" sequential_over_wall)× | ≥ 5× | $(check "$(field "$speed" sequential_over_wall)" ">=" 5) |"
  echo "| Report text / downstream bytes | $(field "$speed" report_bytes) / $(field "$speed" downstream_bytes) = $(field "$speed" report_over_downstream) | ≤ 0.01 | $(check "$(field "$speed" report_over_downstream)" "<=" 0.01) |"
  echo "| structuredContent bytes | $(field "$speed" structured_bytes) | | |"
  echo "| lmhunt peak RSS MiB (two hunts) | $(field "$speed" rss_mib) | | |"
fi
memory=$(grep '^RESULT section=memory' <<<"$output" || true)
if [[ -n "$memory" ]]; then
  echo
  echo "| Events in the SIEM | max_events_per_query | Searches (truncated) | Events returned | Downstream MiB | Wall s | lmhunt peak RSS MiB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  while read -r line; do
    echo "| $(field "$line" events) | $(field "$line" max_events) | $(field "$line" queries) ($(field "$line" truncated)) |" \
      "$(field "$line" events_returned) | $(awk -v b="$(field "$line" downstream_bytes)" 'BEGIN { printf "%.1f", b / 1048576 }') |" \
      "$(awk -v m="$(field "$line" wall_ms)" 'BEGIN { printf "%.1f", m / 1000 }') | $(field "$line" rss_mib) |"
  done <<<"$memory"
fi
exit "$status"
