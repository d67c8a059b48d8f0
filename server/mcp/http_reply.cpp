#include "mcp/http_reply.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "mcp/jsonrpc.hpp"

namespace mcp::http {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

constexpr std::string_view kKeepalive = ": keepalive\n\n";

}  // namespace

void reply_error(httplib::Response& res, int status, int code, const std::string& message,
                 const Json& id) {
  reply_json(res, status, jsonrpc::encode(jsonrpc::make_error(id, Error{code, message, nullptr})));
}

void reply_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

bool accepts(const httplib::Request& req, std::string_view media_type) {
  const auto count = req.get_header_value_count("Accept");
  for (std::size_t i = 0; i < count; ++i) {
    if (lower(req.get_header_value("Accept", i)).find(media_type) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool has_json_body(const httplib::Request& req) {
  const auto type = lower(req.get_header_value("Content-Type"));
  constexpr std::string_view kJson = "application/json";
  if (type.compare(0, kJson.size(), kJson) != 0) return false;
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

// SseWriter is the state of one SSE response, shared by the content provider
// and the releaser httplib::Response calls when it is destroyed.
struct SseWriter {
  SseStream s;
  bool started = false;
  bool closed = false;

  // pump is the response's content provider: http::Front calls it in a loop
  // on a worker thread until it returns false (abort) or calls sink.done()
  // (clean end).
  bool pump(httplib::DataSink& sink) noexcept {
    try {
      if (!started) {
        started = true;
        if (!s.preamble.empty()) return sink.write(s.preamble.data(), s.preamble.size());
      }
      auto batch = s.channel->take(std::chrono::steady_clock::now() + s.keepalive);
      std::string out;
      for (const auto& frame : batch.frames) {
        out += sse_event("message", frame.json, s.next_event_id ? s.next_event_id() : 0);
      }
      const bool end = batch.finished || batch.closed;
      if (out.empty() && !end) out = kKeepalive;
      // Never write zero bytes: an empty chunk would end the stream.
      if (!out.empty() && !sink.write(out.data(), out.size())) return false;
      if (end) sink.done();
      return true;
    } catch (const std::exception& e) {
      spdlog::error("SSE writer failed: {}", e.what());
      return false;
    }
  }

  void finish() noexcept {
    if (closed) return;
    closed = true;
    try {
      if (s.on_close) s.on_close();
    } catch (const std::exception& e) {
      spdlog::error("SSE close hook failed: {}", e.what());
    }
    s.lease.reset();
  }
};

}  // namespace

void start_sse(httplib::Response& res, SseStream stream) {
  auto writer = std::make_shared<SseWriter>();
  writer->s = std::move(stream);
  if (writer->s.keepalive <= std::chrono::milliseconds(0)) {
    writer->s.keepalive = std::chrono::seconds(15);
  }
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [writer](std::size_t, httplib::DataSink& sink) { return writer->pump(sink); },
      [writer](bool) { writer->finish(); });
}

}  // namespace mcp::http
