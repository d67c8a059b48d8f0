#!/usr/bin/env bash
# setup.sh: installs what lmhunt needs to build and test on Debian bookworm.
# Idempotent; installs only what is missing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcpp-httplib-dev libboost-dev nlohmann-json3-dev libspdlog-dev catch2 libssl-dev
  libre2-dev libsqlite3-dev libevtx-dev libsimdjson-dev json-schema-test-suite
  clang-format shellcheck jq curl docker-compose clang-14 libclang-rt-14-dev
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# valijson is header-only, but Debian's libvalijson-dev depends on the
# libraries of every adapter it ships (Qt, Poco, Boost, ...). We use only its
# nlohmann adapter, so we unpack the package's headers without its dependencies.
if [ ! -f /usr/include/valijson/validator.hpp ] && [ ! -f /usr/local/include/valijson/validator.hpp ]; then
  echo "setup: installing valijson headers"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download libvalijson-dev >/dev/null 2>&1) || {
    as_root apt-get update -qq
    (cd "$tmp" && apt-get download libvalijson-dev >/dev/null)
  }
  dpkg-deb -x "$tmp"/libvalijson-dev_*.deb "$tmp/root"
  as_root mkdir -p /usr/local/include
  as_root cp -r "$tmp/root/usr/include/valijson" /usr/local/include/
fi
echo "setup: build dependencies present"
