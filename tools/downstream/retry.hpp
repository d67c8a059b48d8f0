// retry.hpp — one downstream operation as calls: route, call, decode, record, retry.
//
// Every attempt that reaches a server is recorded in ctx.log. Only transient failures are
// retried (is_transient: timeouts, lost connections, rate limiting), with exponential backoff
// and jitter, and never past ctx.deadline. Operations that change things pass
// idempotent=false: a failure after the request was sent is then not retried, and the Error
// carries data {"ambiguous": true} when the change may or may not have happened (timeout,
// lost connection, empty answer), so the caller can read back before trying again.
#pragma once

#include <functional>
#include <string>

#include "tools/downstream/decode.hpp"
#include "tools/downstream/pool.hpp"

namespace downstream {

// ArgsBuilder makes the arguments for the tool the route chose (names may differ by server).
using ArgsBuilder = std::function<Json(const mcp::Tool& tool)>;
// Decoder turns a raw CallToolResult into a value; it may set Decoded::empty for "nothing".
using Decoder = std::function<mcp::Result<Decoded>(const Json& call_result, const mcp::Tool& tool)>;

struct Invocation {
  std::string op;  // operation key, e.g. "search"
  ArgsBuilder args;
  Decoder decode;
  bool idempotent = true;
  // summarize names a success for the CallRecord ("14 events"); optional.
  std::function<std::string(const Decoded&)> summarize;
};

struct Invoked {
  Decoded decoded;
  std::string server;
  std::string tool;
};

mcp::Result<Invoked> invoke(Pool& pool, const Invocation& invocation, const CallContext& ctx);

// arg_name returns the first of `candidates` that the tool's inputSchema declares, else the
// first candidate (servers name the same argument differently).
std::string arg_name(const mcp::Tool& tool, std::initializer_list<const char*> candidates);

// retry_backoff: initial·2^(attempt-1), capped, with jitter in [50%, 100%].
std::chrono::milliseconds retry_backoff(const RetrySettings& settings, int attempt);

// sleep_until waits until `when` or the stop token; false when stopped.
bool sleep_until(Clock::time_point when, std::stop_token stop);

}  // namespace downstream
