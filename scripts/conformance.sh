#!/usr/bin/env bash
# conformance.sh: runs the official MCP tooling against lmhunt's MCP core.
# Builds nothing: build the targets lmhunt and lmhunt_conformance_server first.
#
#   scripts/conformance.sh [BUILD_DIR]      (default: build, under the repo)
#
# Gates, one summary line each, then "gates: N passed, M failed":
#   suite      the conformance suite's active server scenarios
#              (@modelcontextprotocol/conformance) against
#              lmhunt_conformance_server --http, no expected failures
#   dns        its dns-rebinding-protection scenario against the real
#              `lmhunt serve --http`
#   insp-http  the MCP Inspector CLI's tools/list against `lmhunt serve --http`
#   insp-stdio the same against `lmhunt serve` over stdio
# Servers bind port 0 and print their URL on stderr; they are stopped on exit.
# Logs go to $LMHUNT_CONFORMANCE_LOGS (default: BUILD_DIR/conformance-logs).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_arg="${1:-build}"
if [[ -d "$build_arg" ]]; then
  build="$(cd "$build_arg" && pwd)"
elif [[ -d "$repo/$build_arg" ]]; then
  build="$(cd "$repo/$build_arg" && pwd)"
else
  echo "conformance: build directory '$build_arg' not found" >&2
  exit 2
fi
conformance_server="$build/tests/conformance/lmhunt_conformance_server"
lmhunt="$build/lmhunt"
for binary in "$conformance_server" "$lmhunt"; do
  if [[ ! -x "$binary" ]]; then
    echo "conformance: $binary is missing; build targets lmhunt and lmhunt_conformance_server" >&2
    exit 2
  fi
done
logs="${LMHUNT_CONFORMANCE_LOGS:-$build/conformance-logs}"
mkdir -p "$logs"

# shellcheck source=scripts/node-tools.sh
source "$repo/scripts/node-tools.sh" >/dev/null

server_pids=()
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${server_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# start_http_server LOG COMMAND...: starts COMMAND in the background, waits
# for the URL it prints on stderr and for the endpoint to answer HTTP, and
# sets server_url. Fails when the server exits or is silent for 20 s.
server_url=""
start_http_server() {
  local log="$1"
  shift
  : >"$log"
  "$@" 2>"$log" &
  local pid=$!
  server_pids+=("$pid")
  local deadline=$((SECONDS + 20))
  server_url=""
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "conformance: '$*' exited early; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    server_url="$(grep -o -m1 -E 'http://127\.0\.0\.1:[0-9]+/mcp' "$log" || true)"
    if [[ -n "$server_url" ]] && node -e '
        fetch(process.argv[1], {method: "GET", signal: AbortSignal.timeout(1000)})
          .then(() => process.exit(0), () => process.exit(1));' "$server_url"; then
      return 0
    fi
    sleep 0.1
  done
  echo "conformance: '$*' did not start serving within 20 s; its log:" >&2
  cat "$log" >&2
  return 1
}

passed=0
failed=0
gate() {  # gate NAME STATUS DETAIL
  printf 'gate %-10s %s  %s\n' "$1" "$2" "$3"
  if [[ "$2" == PASS ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# suite_gate: every active scenario against the fixture server.
suite_gate() {
  local log="$logs/suite.log" rc=0
  timeout -k 10 900 npx conformance server --url "$server_url" >"$log" 2>&1 || rc=$?
  sed -n '/=== SUMMARY ===/,$p' "$log"
  local total ok bad
  total="$(grep -E '^Total: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)"
  ok="$(grep -c '^✓ ' "$log" || true)"
  bad="$(grep -c '^✗ ' "$log" || true)"
  local detail="${total:-no Total line} ($ok scenarios passed, $bad failed; exit $rc)"
  if [[ "$rc" -eq 0 && -n "$total" && "$bad" -eq 0 && "$ok" -gt 0 ]]; then
    gate suite PASS "$detail"
  else
    gate suite FAIL "$detail; see $log"
  fi
}

# dns_gate: DNS rebinding protection of the real server.
dns_gate() {
  local log="$logs/dns.log" rc=0
  timeout -k 10 300 npx conformance server --url "$server_url" \
    --scenario dns-rebinding-protection >"$log" 2>&1 || rc=$?
  local summary
  summary="$(grep -E 'Passed: [0-9]+/[0-9]+' "$log" | tail -1 || true)"
  if [[ "$rc" -eq 0 ]]; then
    gate dns PASS "dns-rebinding-protection on lmhunt serve --http: ${summary:-ok}"
  else
    gate dns FAIL "dns-rebinding-protection exit $rc ${summary}; see $log"
  fi
}

# inspector_gate NAME LOG INSPECTOR-ARGS...: passes when the Inspector CLI
# exits 0 and prints a JSON result whose tools is an array.
inspector_gate() {
  local name="$1" log="$2" rc=0
  shift 2
  timeout -k 10 120 npx @modelcontextprotocol/inspector --cli --format json "$@" \
    >"$log.json" 2>"$log" || rc=$?
  local count
  count="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (!Array.isArray(r.result?.tools)) process.exit(1);
    console.log(r.result.tools.length);' "$log.json" 2>/dev/null || true)"
  if [[ "$rc" -eq 0 && -n "$count" ]]; then
    gate "$name" PASS "Inspector CLI tools/list: $count tool(s)"
  else
    gate "$name" FAIL "Inspector CLI tools/list exit $rc; see $log and $log.json"
  fi
}

if start_http_server "$logs/conformance-server.log" "$conformance_server" --http 127.0.0.1:0; then
  suite_gate
else
  gate suite FAIL "lmhunt_conformance_server did not start; see $logs/conformance-server.log"
fi
# The real server runs without a bearer token (loopback bind), whatever the
# environment holds.
if start_http_server "$logs/lmhunt-http.log" env -u LMHUNT_AUTH_TOKEN "$lmhunt" serve \
  --http 127.0.0.1:0; then
  dns_gate
  inspector_gate insp-http "$logs/inspector-http.log" "$server_url" --transport http \
    --method tools/list
else
  gate dns FAIL "lmhunt serve --http did not start; see $logs/lmhunt-http.log"
  gate insp-http FAIL "lmhunt serve --http did not start; see $logs/lmhunt-http.log"
fi
inspector_gate insp-stdio "$logs/inspector-stdio.log" --method tools/list -- \
  env -u LMHUNT_AUTH_TOKEN "$lmhunt" serve

echo "gates: $passed passed, $failed failed"
((failed == 0))
