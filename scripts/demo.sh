#!/usr/bin/env bash
# demo.sh: sets up, builds lmhunt and shows it answering as an MCP server:
# a client's initialize, tools/list and a tool call over stdio, the way Cline
# launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target lmhunt >/dev/null
echo "lmhunt built: $(build/lmhunt --version)"
echo

frames=(
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"demo","version":"1"}}}'
  '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
  # The runbook's own example query uses CONTAINS, which UDM Search does not have.
  '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"validate_udm_query","arguments":{"query":"metadata.product_event_type = \"ServiceInstalled\" AND target.process.file.full_path CONTAINS \"PSEXESVC.exe\""}}}'
)
if [ -n "${LMHUNT_DEMO_CALL:-}" ]; then frames+=("$LMHUNT_DEMO_CALL"); fi
printf '%s\n' "${frames[@]}" | sed 's/^/client → /'
echo
printf '%s\n' "${frames[@]}" | build/lmhunt serve --log-level warn | while IFS= read -r line; do
  echo "lmhunt → $(jq -rc 'if .result.tools then .result.tools |= map({name, title})
         elif .result.content then .result.content[0].text else . end' <<<"$line")"
done
