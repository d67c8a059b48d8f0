#include "mcp/http_reply.hpp"

#include <spdlog/spdlog.h>

#include "mcp/jsonrpc.hpp"

namespace mcp::http {
namespace {

constexpr std::string_view kKeepalive = ": keepalive\n\n";

}  // namespace

void reply_error(Response& res, int status, int code, const std::string& message, const Json& id) {
  reply_json(res, status, jsonrpc::encode(jsonrpc::make_error(id, Error{code, message, nullptr})));
}

void reply_json(Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

bool accepts(const Request& req, std::string_view media_type) {
  for (const auto& [name, value] : req.headers) {
    if (iequals(name, "Accept") && icontains(value, media_type)) return true;
  }
  return false;
}

bool has_json_body(const Request& req) {
  const auto type = req.header("Content-Type");
  constexpr std::string_view kJson = "application/json";
  if (type.size() < kJson.size() || !iequals(type.substr(0, kJson.size()), kJson)) {
    return false;
  }
  return type.size() == kJson.size() || type[kJson.size()] == ';' || type[kJson.size()] == ' ';
}

std::string sse_event(std::string_view event, std::string_view data, std::uint64_t id) {
  std::string out;
  out.reserve(data.size() + 48);
  if (!event.empty()) out.append("event: ").append(event).append("\n");
  if (id != 0) out.append("id: ").append(std::to_string(id)).append("\n");
  // Frames are compact JSON (jsonrpc::encode) or fixed text: never a newline.
  out.append("data: ").append(data).append("\n\n");
  return out;
}

namespace {

// SseWriter is the state of one SSE response. The response's stream holds
// it; it finishes (on_close, then the lease) when the response is destroyed,
// however the stream ended.
struct SseWriter {
  SseStream s;
  bool started = false;

  SseWriter() = default;
  SseWriter(const SseWriter&) = delete;
  SseWriter& operator=(const SseWriter&) = delete;
  ~SseWriter() {
    try {
      if (s.on_close) s.on_close();
    } catch (const std::exception& e) {
      spdlog::error("SSE close hook failed: {}", e.what());
    }
  }

  // step is the response's body stream: http::Front calls it on a worker
  // thread until it answers kDone (clean end) or kFailed (abort).
  BodyStep step(const BodyWrite& write) noexcept {
    try {
      if (!started) {
        started = true;
        if (!s.preamble.empty()) return write(s.preamble) ? BodyStep::kMore : BodyStep::kFailed;
      }
      auto batch = s.channel->take(std::chrono::steady_clock::now() + s.keepalive);
      std::string out;
      for (const auto& frame : batch.frames) {
        out += sse_event("message", frame.json, s.next_event_id ? s.next_event_id() : 0);
      }
      const bool end = batch.finished || batch.closed;
      if (out.empty() && !end) out = kKeepalive;
      if (!out.empty() && !write(out)) return BodyStep::kFailed;
      return end ? BodyStep::kDone : BodyStep::kMore;
    } catch (const std::exception& e) {
      spdlog::error("SSE writer failed: {}", e.what());
      return BodyStep::kFailed;
    }
  }
};

}  // namespace

void start_sse(Response& res, SseStream stream) {
  auto writer = std::make_shared<SseWriter>();
  writer->s = std::move(stream);
  if (writer->s.keepalive <= std::chrono::milliseconds(0)) {
    writer->s.keepalive = std::chrono::seconds(15);
  }
  res.status = 200;
  res.set_header("Content-Type", "text/event-stream");
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.stream = [writer](const BodyWrite& write) { return writer->step(write); };
}

}  // namespace mcp::http
