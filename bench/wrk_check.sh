#!/usr/bin/env bash
# bench/wrk_check.sh: the HTTP throughput comparison again, with wrk (Debian's
# package) as the load generator instead of our own (bench/mcp_load.cpp). A
# cross-check of the harness, not a replacement for it: wrk is an event-loop
# generator (no thread per connection), so if ours handicapped one server, the
# two would disagree. docs/benchmarks.md, "Cross-check with wrk".
#
#   bench/wrk_check.sh
#
# For lmhunt_bench_server and the SDK's server (JSON answers, as bench/run.sh
# runs it), in turn: start it, open one MCP session with curl (initialize,
# then notifications/initialized), check one tools/call answer, then run wrk
# (bench/wrk_check.lua: unique ids, every answer checked) with
# LMHUNT_WRK_THREADS [2] threads and LMHUNT_WRK_CONNECTIONS [4] keep-alive
# connections on that session, 2 s of warm-up and then LMHUNT_BENCH_DURATION
# [5] s measured. Builds like bench/run.sh (LMHUNT_BENCH_BUILD_DIR for a
# Release build elsewhere). Exits non-zero when an answer was wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${LMHUNT_BENCH_DURATION:-5}
wrk_threads=${LMHUNT_WRK_THREADS:-2}
connections=${LMHUNT_WRK_CONNECTIONS:-4}
protocol=2025-11-25

if ! command -v wrk >/dev/null; then
  echo "wrk_check: installing wrk" >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get install -y -qq wrk >/dev/null 2>&1 ||
    { as_root apt-get update -qq && as_root apt-get install -y -qq wrk >/dev/null; }
fi
# shellcheck source=SCRIPTDIR/build.sh
source "$root/bench/build.sh"
bench_build lmhunt_bench_server >/dev/null
# shellcheck source=SCRIPTDIR/../scripts/node-tools.sh
source "$root/scripts/node-tools.sh"

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# post URL SESSION BODY: POST one JSON-RPC message; the answer's head and body in $work.
post() {
  local headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
  [[ -n "$2" ]] && headers+=(-H "Mcp-Session-Id: $2" -H "MCP-Protocol-Version: $protocol")
  curl -sS -D "$work/head" -o "$work/body" "${headers[@]}" -d "$3" "$1"
}

# cpu_ticks PID: the process's user + system CPU time in clock ticks.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# check NAME COMMAND...: one server's row into $work/rows; false on a wrong answer.
check() {
  local name=$1 url='' session
  shift
  "$@" >"$work/out" 2>"$work/err" &
  server_pid=$!
  for _ in $(seq 100); do
    url=$(head -n1 "$work/out")
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "wrk_check: $name printed no URL: $(cat "$work/err")" >&2; return 1; }
  post "$url" "" '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"'$protocol'","capabilities":{},"clientInfo":{"name":"wrk_check","version":"1"}}}'
  session=$(tr -d '\r' <"$work/head" | awk -F': ' 'tolower($1) == "mcp-session-id" { print $2 }')
  [[ -n "$session" ]] || { echo "wrk_check: $name gave no session: $(cat "$work/body")" >&2; return 1; }
  post "$url" "$session" '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  post "$url" "$session" '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello 1"}}}'
  grep -q '"text":"hello 1"' "$work/body" ||
    { echo "wrk_check: $name answered the check call with: $(cat "$work/body")" >&2; return 1; }
  local run=(wrk -t"$wrk_threads" -c"$connections" -s "$root/bench/wrk_check.lua" "$url")
  MCP_SESSION=$session MCP_PROTOCOL_VERSION=$protocol "${run[@]}" -d2s >/dev/null
  local output line before after wrk_cpu TIMEFORMAT='%U %S'
  # CPU seconds: the server's from /proc (clock ticks), wrk's from `time`.
  before=$(cpu_ticks "$server_pid")
  { time output=$(MCP_SESSION=$session MCP_PROTOCOL_VERSION=$protocol "${run[@]}" -d"${duration}s"); } \
    2>"$work/time"
  after=$(cpu_ticks "$server_pid")
  wrk_cpu=$(tail -n1 "$work/time")
  line=$(grep '^WRK rps=' <<<"$output")
  line+=$(awk -v b="$before" -v a="$after" -v w="$wrk_cpu" -v hz="$(getconf CLK_TCK)" '
    { for (i = 1; i <= NF; i++) if ($i ~ /^requests=/) { split($i, kv, "="); n = kv[2] } }
    END { if (n > 0) { split(w, t, " ")
      printf " server_cpu_us=%.1f wrk_cpu_us=%.1f", (a - b) / hz / n * 1e6, (t[1] + t[2]) / n * 1e6 } }' <<<"$line")
  echo "== $name: $line" >&2
  grep '^WRK first bad answer' <<<"$output" >&2 || true
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  echo "$name $line" >>"$work/rows"
  [[ "$line" == *" bad=0 socket_errors=0 "* ]]
}

status=0
check lmhunt "$build_dir/bench/lmhunt_bench_server" --http 127.0.0.1:0 || status=1
check ts-sdk node "$root/bench/ts/trivial-server.mjs" --http 127.0.0.1:0 --json-response || status=1

echo "wrk $(wrk -v 2>&1 | head -n1 | cut -d' ' -f2), $wrk_threads threads, $connections connections, ${duration} s measured; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
  END {
    printf "| Server | Requests/s | p50 ms | p99 ms | Server CPU µs/call | wrk CPU µs/call | Wrong answers |\n"
    printf "|---|---:|---:|---:|---:|---:|---:|\n"
    split("lmhunt ts-sdk", names, " ")
    for (n = 1; n <= 2; n++) printf "| %s | %s | %s | %s | %s | %s | %s |\n", names[n], v[names[n], "rps"], v[names[n], "p50_ms"], v[names[n], "p99_ms"], v[names[n], "server_cpu_us"], v[names[n], "wrk_cpu_us"], v[names[n], "bad"] + v[names[n], "socket_errors"]
    if (v["ts-sdk", "rps"] > 0) printf "\nlmhunt / SDK requests/s: %.2fx\n", v["lmhunt", "rps"] / v["ts-sdk", "rps"]
  }' "$work/rows"
exit $status
