#!/usr/bin/env bash
# fuzz.sh: builds the libFuzzer targets (the `fuzz` preset: Clang, ASan + UBSan, build-fuzz/) and
# runs each for LMHUNT_FUZZ_SECONDS seconds (default 30) over its seed corpus
# tests/fuzz/corpus/<target>/. Inputs that find new coverage go to build-fuzz/corpus/<target>/,
# so the committed seeds stay as written and later runs start from what earlier ones found.
# LMHUNT_FUZZ_TARGETS (space-separated) picks targets. Exits non-zero when any target crashes,
# leaks, times out or breaks an invariant, printing the reproducer's path and how to replay it.
# See docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
seconds=${LMHUNT_FUZZ_SECONDS:-30}
jobs=${LMHUNT_JOBS:-$(nproc)}
read -r -a targets <<<"${LMHUNT_FUZZ_TARGETS:-fuzz_jsonrpc fuzz_json_codec fuzz_http_checks fuzz_http_request fuzz_udm_query fuzz_windows_mapping fuzz_config}"

mkdir -p build-fuzz
if ! cmake --preset fuzz >build-fuzz/configure.log 2>&1; then
  cat build-fuzz/configure.log
  echo "fuzz: configuring the fuzz preset failed"
  exit 1
fi
cmake --build --preset fuzz -j "$jobs" || {
  echo "fuzz: building the fuzz targets failed"
  exit 1
}

failed=0
for target in "${targets[@]}"; do
  seeds="tests/fuzz/corpus/$target"
  work="build-fuzz/corpus/$target"
  artifacts="build-fuzz/artifacts/$target"
  log="build-fuzz/$target.log"
  mkdir -p "$work" "$artifacts"
  if "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    echo "PASS  $target: ${runs:-?} inputs in ${seconds}s, no crash"
  else
    failed=1
    reproducer=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n 1 | sed 's/Test unit written to //')
    echo "FAIL  $target: see $log"
    grep -E 'ERROR: |invariant broken|SUMMARY: ' "$log" | head -n 5
    if [ -n "$reproducer" ]; then
      echo "      reproducer: $reproducer"
      echo "      replay:     build-fuzz/tests/fuzz/$target $reproducer"
    fi
  fi
done
exit "$failed"
