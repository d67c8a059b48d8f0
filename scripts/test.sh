#!/usr/bin/env bash
# test.sh: sets up and runs every test gate of lmhunt — formatting, shell
# lint, a warnings-as-errors build with all unit and integration tests, an
# ASan+UBSan build running the same tests, the official MCP conformance suite,
# the MCP Inspector CLI and the docker-compose file's validation. Prints one
# line per gate, then the test runner's own totals. Exit status is non-zero
# when any gate failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
jobs=${LMHUNT_JOBS:-$(nproc)}
logs="$root/build-logs"
mkdir -p "$logs"
summary=()
failed=0

gate() {  # gate NAME COMMAND... : runs a gate, logs it, records one summary line
  local name=$1
  shift
  local start=$SECONDS
  echo "== $name"
  if "$@" >"$logs/$name.log" 2>&1; then
    summary+=("PASS  $name ($((SECONDS - start))s)")
  else
    summary+=("FAIL  $name ($((SECONDS - start))s) — see build-logs/$name.log")
    failed=1
    tail -n 40 "$logs/$name.log"
  fi
}

bash scripts/setup.sh || exit 1
# shellcheck source=scripts/node-tools.sh
source scripts/node-tools.sh || exit 1

format_check() {
  git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
}
shell_lint() {
  shellcheck -x scripts/*.sh .ci/run
}
build_and_test() {  # build_and_test PRESET
  # The TypeScript SDK interop tests must run here, not skip (scripts/node-tools.sh set it up).
  cmake --preset "$1" && cmake --build --preset "$1" -j "$jobs" &&
    LMHUNT_REQUIRE_INTEROP=1 LMHUNT_TOOLS_DIR="$root/.tools" \
      ctest --preset "$1" -j "$jobs" --timeout 300
}
compose_check() {  # docker-compose config needs the env file; validate with .env.example's keys
  local dir
  dir=$(mktemp -d)
  cp .env.example "$dir/.env"
  docker-compose --project-directory "$dir" -f docker-compose.yml --profile demo config -q
  local rc=$?
  rm -rf "$dir"
  return "$rc"
}

gate format format_check
gate shellcheck shell_lint
gate tests build_and_test ci
gate sanitizers build_and_test asan
# Fuzzing (docs/fuzzing.md): its own Clang build in build-fuzz/; every target runs
# LMHUNT_FUZZ_SECONDS (here 20 by default) over its corpus; a crash fails the gate.
gate fuzz env LMHUNT_FUZZ_SECONDS="${LMHUNT_FUZZ_SECONDS:-20}" bash scripts/fuzz.sh
gate conformance bash scripts/conformance.sh build-ci
gate compose compose_check

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
echo
# The test runner's own closing lines (warnings-as-errors build).
grep -E "tests passed|tests failed|Total Test time" "$logs/tests.log" | tail -n 2 || true
exit "$failed"
