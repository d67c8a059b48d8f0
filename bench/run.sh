#!/usr/bin/env bash
# bench/run.sh: the server throughput benchmark (docs/benchmarks.md). Builds
# lmhunt_bench_server and lmhunt_bench_load, puts Node 22 and the official
# TypeScript SDK on PATH (scripts/node-tools.sh), then measures tools/call of
# the trivial `echo` tool on our server and on the SDK's server, over
# Streamable HTTP and over stdio, with identical load, one after the other,
# in several rounds (each row is its server's median round).
# Four reference rows per transport come from lmhunt_bench_ceiling, a bare loop
# that is not an MCP server: the same calls answered by string search (the most
# requests/s this load generator lets any server reach here), after reading
# each request with simdjson's on-demand parser (no tree), after a
# nlohmann::json parse, and by our MCP core without our transports.
# Prints a Markdown table with the ratios against the targets and writes it
# into docs/benchmarks.md between the results markers.
#
#   bench/run.sh [--no-write]      --no-write: print only, leave the docs alone
#   bench/run.sh store             the event store benchmark instead (bench/store.sh)
#   bench/run.sh hunt              the hunt's speed and memory benchmark (bench/hunt.sh)
#   bench/run.sh load [--no-write] issue 7's load check (bench/load.sh)
#   bench/run.sh wrk               the HTTP rows again with wrk as the load generator
#                                  (bench/wrk_check.sh), a cross-check of this harness
#
# Environment (defaults in brackets):
#   LMHUNT_BENCH_DURATION [5]   measured seconds per run
#   LMHUNT_BENCH_WARMUP   [2]   warm-up seconds per run (calls not counted)
#   LMHUNT_BENCH_THREADS  [4]   HTTP client threads, one keep-alive session each
#   LMHUNT_BENCH_WINDOW   [64]  stdio requests kept outstanding
#   LMHUNT_BENCH_ROUNDS   [3]   rounds; each row is the round with the median requests/s
#   LMHUNT_BENCH_BUILD_DIR      build here (Release) instead of `cmake --preset dev`
#   LMHUNT_JOBS           [2]   build parallelism
# Everything runs on loopback; every run is bounded by its duration.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=SCRIPTDIR/results_block.sh
source "$root/bench/results_block.sh"

duration=${LMHUNT_BENCH_DURATION:-5}
warmup=${LMHUNT_BENCH_WARMUP:-2}
threads=${LMHUNT_BENCH_THREADS:-4}
window=${LMHUNT_BENCH_WINDOW:-64}
rounds=${LMHUNT_BENCH_ROUNDS:-3}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench/run.sh: LMHUNT_BENCH_ROUNDS must be a positive integer, not '$rounds'" >&2
  exit 2
fi
# `bench/run.sh store`: the event store benchmark instead (bench/store.sh).
if [[ "${1:-}" == store ]]; then
  exec "$root/bench/store.sh"
fi
# `bench/run.sh hunt`: the hunt's speed and memory benchmark instead (bench/hunt.sh).
if [[ "${1:-}" == hunt ]]; then
  exec "$root/bench/hunt.sh"
fi
# `bench/run.sh load`: issue 7's load check instead (bench/load.sh).
if [[ "${1:-}" == load ]]; then
  exec "$root/bench/load.sh" "${@:2}"
fi
# `bench/run.sh wrk`: the HTTP comparison with wrk as the load generator (bench/wrk_check.sh).
if [[ "${1:-}" == wrk ]]; then
  exec "$root/bench/wrk_check.sh"
fi
write_docs=1
case "${1:-}" in
  "") ;;
  --no-write) write_docs=0 ;;
  *)
    echo "usage: bench/run.sh [--no-write]" >&2
    exit 2
    ;;
esac

# --- build ------------------------------------------------------------------
# shellcheck source=SCRIPTDIR/build.sh
source "$root/bench/build.sh"
bench_build lmhunt_bench_server lmhunt_bench_load lmhunt_bench_ceiling
bench_server="$build_dir/bench/lmhunt_bench_server"
ceiling="$build_dir/bench/lmhunt_bench_ceiling"
load="$build_dir/bench/lmhunt_bench_load"

# shellcheck source=SCRIPTDIR/../scripts/node-tools.sh
source "$root/scripts/node-tools.sh"
ts_server=(node "$root/bench/ts/trivial-server.mjs")
http_available=0
[[ -f "$root/server/mcp/transport_http_server.cpp" ]] && http_available=1

# --- runs -------------------------------------------------------------------
declare -A result=() # "<server>.<transport>[.r<round>].<key>" -> value from a RESULT line

# measure SERVER TRANSPORT ROUND COMMAND...: one load run; its RESULT into `result`.
measure() {
  local server=$1 transport=$2 round=$3
  shift 3
  local shape=(--threads "$threads")
  [[ "$transport" == stdio ]] && shape=(--window "$window")
  echo "== $server over $transport, round $round" >&2
  local output status=0
  output=$("$load" --transport "$transport" "${shape[@]}" --duration "$duration" \
    --warmup "$warmup" --label "$server" -- "$@") || status=$?
  printf '%s\n' "$output" >&2
  local line kv
  line=$(grep '^RESULT ' <<<"$output" || true)
  for kv in $line; do
    [[ "$kv" == *=* ]] && result["$server.$transport.r$round.${kv%%=*}"]=${kv#*=}
  done
  result["$server.$transport.r$round.status"]=$status
}

# settle SERVER TRANSPORT: the row of the round with the median requests/s
# becomes the server's row (one whole run's numbers, not a mix of runs).
settle() {
  local server=$1 transport=$2 round median key
  median=$(for ((round = 1; round <= rounds; round++)); do
    echo "${result[$server.$transport.r$round.rps]:-0} $round"
  done | sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2) { print $2 }')
  for key in "${!result[@]}"; do
    if [[ "$key" == "$server.$transport.r$median."* ]]; then
      result["$server.$transport.${key#"$server.$transport.r$median."}"]=${result[$key]}
    fi
  done
}

# The machine's speed drifts by ±20 % within minutes (a shared VM), so each
# row is measured in `rounds` rounds, every server once per round, one after
# the other: a slow minute slows all servers of a round alike.
for ((round = 1; round <= rounds; round++)); do
  if ((http_available)); then
    measure lmhunt http "$round" "$bench_server" --http 127.0.0.1:0
    # The SDK's server answers in the same wire format as ours (SSE or JSON).
    ts_http=("${ts_server[@]}" --http 127.0.0.1:0)
    [[ "${result[lmhunt.http.r$round.response]:-}" == json ]] && ts_http+=(--json-response)
    measure ts-sdk http "$round" "${ts_http[@]}"
    for answer in scan ondemand parse core; do
      measure "ceiling-$answer" http "$round" "$ceiling" --answer "$answer" --http 127.0.0.1:0
    done
  fi
  measure lmhunt stdio "$round" "$bench_server"
  measure ts-sdk stdio "$round" "${ts_server[@]}"
  for answer in scan ondemand parse core; do
    measure "ceiling-$answer" stdio "$round" "$ceiling" --answer "$answer"
  done
done
for transport in http stdio; do
  for server in lmhunt ts-sdk ceiling-scan ceiling-ondemand ceiling-parse ceiling-core; do
    settle "$server" "$transport"
  done
done

# --- report -----------------------------------------------------------------
get() { echo "${result[$1]:-n/a}"; }
# ratio A B: A/B with two decimals, or n/a.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'
}
# check X OP LIMIT: yes when X OP LIMIT holds (OP is >= or <=), no, or n/a.
check() {
  awk -v x="$1" -v op="$2" -v m="$3" 'BEGIN {
    if (x == "n/a") { print "n/a"; exit }
    print ((op == ">=" ? x + 0 >= m : x + 0 <= m) ? "yes" : "no") }'
}

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n "$(git status --porcelain 2>/dev/null)" ]] && commit+=" + uncommitted changes"
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
sdk_version=$(node -p "require('$LMHUNT_TOOLS_DIR/node_modules/@modelcontextprotocol/sdk/package.json').version")
build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build_dir/CMakeCache.txt")

report() {
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs (${cpu_model:-unknown CPU}),"
  echo "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; lmhunt $commit"
  echo "($build_type build), Node $(node --version), @modelcontextprotocol/sdk $sdk_version."
  echo "Load: HTTP $threads client threads (keep-alive, one session each), stdio window $window;"
  echo "${warmup} s warm-up, then ${duration} s measured, per run; $rounds rounds, every server once"
  echo "per round; each row is its server's round with the median requests/s."
  echo
  echo "| Server | Transport | Requests/s | p50 ms | p99 ms | Peak RSS MiB | Server CPU µs/call |" \
    "Load generator CPU µs/call | Errors |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  local transport server label name
  for transport in http stdio; do
    for server in lmhunt ts-sdk ceiling-scan ceiling-ondemand ceiling-parse ceiling-core; do
      case $server in
        lmhunt) label="lmhunt (C++)" ;;
        ts-sdk) label="TypeScript SDK" ;;
        ceiling-scan) label="Bare loop: string search (not MCP)" ;;
        ceiling-ondemand) label="Bare loop: simdjson on-demand read, no tree (not MCP)" ;;
        ceiling-parse) label="Bare loop: nlohmann::json parse (not MCP)" ;;
        *) label="Bare loop: lmhunt's MCP core (not our transport)" ;;
      esac
      if [[ $transport == http ]] && ((!http_available)); then
        echo "| $label | Streamable HTTP | not built yet | | | | | | |"
        continue
      fi
      name=stdio
      [[ $transport == http ]] && name="Streamable HTTP ($(get "$server.http.response"))"
      echo "| $label | $name | $(get "$server.$transport.rps") | $(get "$server.$transport.p50_ms") |" \
        "$(get "$server.$transport.p99_ms") | $(get "$server.$transport.rss_mib") |" \
        "$(get "$server.$transport.cpu_us_per_req") | $(get "$server.$transport.load_cpu_us_per_req") |" \
        "$(get "$server.$transport.errors") |"
    done
  done
  echo
  echo "| Transport | Requests/s vs TS (target ≥ 10×) | Each round |" \
    "Peak RSS vs TS (target ≤ 0.20×) | Server CPU per call, TS ÷ lmhunt | Targets met |" \
    "Bare loop vs TS: search, on-demand, parse, core |"
  echo "|---|---:|---:|---:|---:|---|---:|"
  local speed memory cost scan ondemand parsed core ts_rps each round
  for transport in http stdio; do
    ts_rps=$(get "ts-sdk.$transport.rps")
    speed=$(ratio "$(get "lmhunt.$transport.rps")" "$ts_rps")
    memory=$(ratio "$(get "lmhunt.$transport.rss_mib")" "$(get "ts-sdk.$transport.rss_mib")")
    cost=$(ratio "$(get "ts-sdk.$transport.cpu_us_per_req")" "$(get "lmhunt.$transport.cpu_us_per_req")")
    scan=$(ratio "$(get "ceiling-scan.$transport.rps")" "$ts_rps")
    ondemand=$(ratio "$(get "ceiling-ondemand.$transport.rps")" "$ts_rps")
    parsed=$(ratio "$(get "ceiling-parse.$transport.rps")" "$ts_rps")
    core=$(ratio "$(get "ceiling-core.$transport.rps")" "$ts_rps")
    each=""
    for ((round = 1; round <= rounds; round++)); do
      each+="${each:+, }$(ratio "$(get "lmhunt.$transport.r$round.rps")" \
        "$(get "ts-sdk.$transport.r$round.rps")")×"
    done
    echo "| $transport | ${speed}× | $each | ${memory}× | ${cost}× |" \
      "requests/s: $(check "$speed" ">=" 10), RSS: $(check "$memory" "<=" 0.2) |" \
      "${scan}×, ${ondemand}×, ${parsed}×, ${core}× |"
  done
}

table=$(report)
echo
echo "$table"

if ((write_docs)); then
  write_results_block "$root/docs/benchmarks.md" "results" "$table"
fi

status=0
for key in "${!result[@]}"; do
  [[ "$key" == *.status && "${result[$key]}" != 0 ]] && status=1
done
exit "$status"
