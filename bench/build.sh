#!/usr/bin/env bash
# build.sh — sourced by bench/run.sh and bench/wrk_check.sh (from the repository root, with
# $root set): bench_build TARGET... builds the targets in $LMHUNT_BENCH_BUILD_DIR (a Release
# build, configured on first use) or, without it, in the dev preset's build/, with
# $LMHUNT_JOBS [2] jobs, and sets build_dir.
bench_build() {
  local root=${root:?bench_build needs root, the repository root}
  if [[ -n "${LMHUNT_BENCH_BUILD_DIR:-}" ]]; then
    build_dir=$LMHUNT_BENCH_BUILD_DIR
    [[ -f "$build_dir/CMakeCache.txt" ]] ||
      cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  else
    build_dir="$root/build"
    cmake --preset dev >/dev/null
  fi
  cmake --build "$build_dir" --target "$@" -j "${LMHUNT_JOBS:-2}"
}
