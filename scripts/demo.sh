#!/usr/bin/env bash
# demo.sh: sets up, builds lmhunt and lmhunt-sim, and runs one lateral-movement hunt over the
# bundled demo enterprise — exactly what `lateral_movement_hunt` does for a client, printed as the
# report a person reads. Three lmhunt-sim processes play secops-mcp, gti-mcp and secops-soar; the
# hunt's SOAR comment lands in a SQLite case store under the state directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target lmhunt lmhunt-sim >/dev/null
echo "built: $(build/lmhunt --version)"
echo "running: build/lmhunt demo"
echo
build/lmhunt demo
