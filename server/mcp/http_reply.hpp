#pragma once
// Replies of the HTTP transport: JSON-RPC error bodies with the statuses of
// mcp-protocol.md §6, content negotiation, and the SSE writer that drains a
// StreamChannel into a chunked text/event-stream response.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mcp/http_channel.hpp"
#include "mcp/http_message.hpp"

namespace mcp::http {

inline constexpr const char* kSessionHeader = "Mcp-Session-Id";
inline constexpr const char* kProtocolVersionHeader = "MCP-Protocol-Version";
// A request without MCP-Protocol-Version is taken to speak this (transports.mdx).
inline constexpr std::string_view kAssumedProtocolVersion = "2025-03-26";
// Priming events (empty data) are sent only to clients of this version or
// later: older SDK clients fail to parse an event with empty data (the TS and
// Python SDK servers apply the same rule).
inline constexpr std::string_view kPrimingSinceVersion = "2025-11-25";
// The status for a session not found, with its JSON-RPC code.
inline constexpr int kSessionNotFoundCode = -32001;

// reply_error answers `status` with {"jsonrpc":"2.0","error":{code,message},"id":id}.
void reply_error(Response& res, int status, int code, const std::string& message,
                 const Json& id = nullptr);
// reply_json answers `status` with one JSON body.
void reply_json(Response& res, int status, std::string body);

// accepts: the Accept header lists `media_type` (case-insensitive; wildcards
// do not count, as the transport requires explicit types).
bool accepts(const Request& req, std::string_view media_type);
// has_json_body: Content-Type is application/json, parameters allowed.
bool has_json_body(const Request& req);

// SseStream describes one SSE response.
struct SseStream {
  std::shared_ptr<StreamChannel> channel;
  // next_event_id numbers events ("id:" lines); null for streams without ids.
  std::function<std::uint64_t()> next_event_id;
  std::string preamble;  // raw SSE text written first (priming or endpoint event)
  std::chrono::milliseconds keepalive{15000};
  // on_close runs once when the response is done with, however it ended.
  std::function<void()> on_close;
  std::shared_ptr<void> lease;  // held while the stream is open
};

// start_sse makes `res` a 200 text/event-stream response fed from the
// channel: each frame becomes "event: message", ":" comments keep the
// connection alive while idle, and the stream ends when the channel's request
// finishes or the channel closes. A failed write ends it too (a disconnect is
// not a cancellation: the request runs on, its later sends fail).
void start_sse(Response& res, SseStream stream);

// sse_event formats one event; `id` 0 means no id line.
std::string sse_event(std::string_view event, std::string_view data, std::uint64_t id = 0);

}  // namespace mcp::http
