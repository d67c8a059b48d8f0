#!/usr/bin/env bash
# bench/load.sh (run as `bench/run.sh load`): issue 7's load check (docs/benchmarks.md, "Load").
# Builds lmhunt, lmhunt-sim and lmhunt_bench_load_check in Release, runs --hunts concurrent hunts
# over HTTP against `lmhunt serve` on the embedded demo plus --lists concurrent tools/list calls,
# checks that every call succeeded, every hunt confirmed the demo's lateral movement, memory stayed
# under the limit and the server came back to its baseline threads, descriptors and children,
# prints the figures as a Markdown table and, unless --no-write, writes it into docs/benchmarks.md
# between the load results markers. Exits 1 when a check failed.
#
#   bench/run.sh load [--no-write]
#
# Environment (defaults in brackets):
#   LMHUNT_LOAD_HUNTS         [50]    concurrent hunts (one MCP session each)
#   LMHUNT_LOAD_LISTS         [1000]  concurrent tools/list calls (one connection each)
#   LMHUNT_LOAD_MAX_RSS_MIB   [768]   the server's peak RSS limit
#   LMHUNT_LOAD_BUILD_DIR     [build-bench-load]  Release build directory
#   LMHUNT_JOBS               [2]     build parallelism
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=SCRIPTDIR/results_block.sh
source "$root/bench/results_block.sh"
hunts=${LMHUNT_LOAD_HUNTS:-50}
lists=${LMHUNT_LOAD_LISTS:-1000}
max_rss=${LMHUNT_LOAD_MAX_RSS_MIB:-768}
build_dir=${LMHUNT_LOAD_BUILD_DIR:-$root/build-bench-load}
jobs=${LMHUNT_JOBS:-2}
write_docs=1
case "${1:-}" in
  "") ;;
  --no-write) write_docs=0 ;;
  *)
    echo "usage: bench/run.sh load [--no-write]" >&2
    exit 2
    ;;
esac

[[ -f "$build_dir/CMakeCache.txt" ]] ||
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target lmhunt lmhunt-sim lmhunt_bench_load_check -j "$jobs" >&2

status=0
started=$(date +%s)
output=$("$build_dir/bench/lmhunt_bench_load_check" --lmhunt "$build_dir/lmhunt" \
  --hunts "$hunts" --lists "$lists" --max-rss-mib "$max_rss") || status=$?
elapsed=$(($(date +%s) - started))
printf '%s\n' "$output" >&2

# field KEY: the value of KEY=… in the RESULT line.
result=$(grep '^RESULT ' <<<"$output" || true)
field() { tr ' ' '\n' <<<"$result" | awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2) }'; }
# check NAME: yes/no from the CHECK line of that name.
check() { grep "^CHECK name=$1 " <<<"$output" | sed -E 's/.* ok=(yes|no).*/\1/'; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n "$(git status --porcelain 2>/dev/null)" ]] && commit+=" + uncommitted changes"
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
table() {
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs (${cpu_model:-unknown CPU}),"
  echo "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; lmhunt $commit"
  echo "(Release, \`$(basename "$build_dir")\`); whole run ${elapsed} s."
  echo
  echo "| lmhunt process | Baseline (after one hunt) | Peak under load | After the load |"
  echo "|---|---:|---:|---:|"
  echo "| Threads | $(field base_threads) | $(field peak_threads) | $(field after_threads) |"
  echo "| Open descriptors | $(field base_fds) | $(field peak_fds) | $(field after_fds) |"
  echo "| Child processes | $(field base_children) | $(field peak_children) | $(field after_children) |"
  echo "| RSS MiB (at start-up: $(field idle_rss_mib)) | $(field base_rss_mib) | $(field peak_rss_mib) (VmHWM) | $(field after_rss_mib) |"
  echo "| RSS MiB of the three lmhunt-sim | | $(field sims_peak_rss_mib) | |"
  echo
  echo "| Check | Result | Met |"
  echo "|---|---|---|"
  echo "| $(field hunts) hunts at once, each to its final report | all done in $(field load_s) s (each: median $(field hunt_p50_s) s, slowest $(field hunt_max_s) s; $(field polls) get_hunt_result polls) | $(check hunts) |"
  echo "| $(field lists) tools/list at once | p50 $(field list_p50_ms) ms, p99 $(field list_p99_ms) ms, slowest $(field list_max_ms) ms | $(check tools_list) |"
  echo "| Errors (failed calls, isError, hunts not completed+confirmed) | $(field errors) | $(check hunts) |"
  echo "| Server log warnings/errors | $(field log_problems) lines | $(check server_log) |"
  echo "| Peak RSS ≤ $max_rss MiB | $(field peak_rss_mib) MiB | $(check memory) |"
  echo "| Back to baseline threads, descriptors, children | in $(field settle_s) s | $(check leaks) |"
  echo "| SIGTERM: exit 0, no lmhunt-sim left | | $(check clean_exit) / $(check no_process_left) |"
}

text=$(table)
echo
echo "$text"
if ((write_docs)) && [[ -n "$result" ]]; then
  write_results_block "$root/docs/benchmarks.md" "load results" "$text"
fi
exit "$status"
