-- bench/wrk_check.lua: wrk's side of bench/wrk_check.sh. Every request is a
-- tools/call of the benchmark's `echo` tool on the session in $MCP_SESSION,
-- with an id no other request in flight shares (thread number * 1e9 + count),
-- and every answer is checked: a 200 whose body carries this tool's text and
-- no JSON-RPC error. Answers that fail the check are counted and reported;
-- bench/wrk_check.sh refuses a run with any.
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("base", next_thread * 1000000000)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  count = 0
  bad = 0
  first_bad = ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  wrk.headers["MCP-Protocol-Version"] = os.getenv("MCP_PROTOCOL_VERSION")
  wrk.headers["Mcp-Session-Id"] = os.getenv("MCP_SESSION")
end

function request()
  count = count + 1
  local id = base + count
  return wrk.format(nil, nil, nil,
    '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":' ..
    '{"name":"echo","arguments":{"text":"hello ' .. id .. '"}}}')
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"hello ', 1, true) or body:find('"error"', 1, true) or
      body:find('"isError":true', 1, true) then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. body:sub(1, 200) end
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  local first = ""
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
    if first == "" then first = thread:get("first_bad") end
  end
  io.write(string.format("WRK rps=%.0f requests=%d bad=%d socket_errors=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests / (summary.duration / 1e6), summary.requests, total_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  if total_bad > 0 then io.write("WRK first bad answer: " .. first .. "\n") end
end
