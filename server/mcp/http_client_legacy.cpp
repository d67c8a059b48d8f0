// The client side of the legacy HTTP+SSE transport (2024-11-05
// basic/transports.mdx), type "sse" in mcpServers: GET the SSE URL, wait for
// the `endpoint` event, POST every frame there (202); all server messages,
// responses included, arrive as `message` events on the stream. The stream
// ending ends the Session, with the reason.
#include <spdlog/spdlog.h>

#include "mcp/http_client_impl.hpp"
#include "mcp/http_client_sse.hpp"
#include "mcp/transport_stdio.hpp"

namespace mcp {

using jsonrpc::kConnectionClosed;

namespace {

constexpr std::size_t kMaxErrorBody = 4096;
// An idle legacy stream is normal (the TypeScript SDK sends no keep-alives);
// close() aborts it, and each call has its own timeout.
constexpr auto kStreamReadTimeout = std::chrono::hours(24);

}  // namespace

Status HttpClientTransport::Impl::open_legacy() {
  stream_thread = std::thread([this] { read_legacy_stream(); });
  // Connecting may take connect_timeout; the endpoint event gets as long again.
  const auto wait = 2 * options.connect_timeout;
  std::unique_lock lock(mu);
  stream_cv.wait_for(lock, wait, [this] { return endpoint.has_value() || stream_ended; });
  if (endpoint) return Ok{};
  if (stream_ended) return Error{kConnectionClosed, where() + ": " + stream_error};
  return Error{kConnectionClosed, where() + ": the SSE stream sent no endpoint event within " +
                                      std::to_string(wait.count()) + " ms"};
}

void HttpClientTransport::Impl::read_legacy_stream() {
  httpc::Exchange exchange;
  exchange.method = "GET";
  exchange.url = url;
  for (const auto& [name, value] : options.headers) exchange.headers.emplace(name, value);
  exchange.headers.erase("Accept");
  exchange.headers.emplace("Accept", "text/event-stream");
  exchange.read_timeout = kStreamReadTimeout;

  std::string refusal;  // why the stream was dropped on our side
  std::string error_body;
  bool is_error = false;
  httpc::SseDecoder sse(
      [&](httpc::SseEvent&& event) {
        if (event.type == "endpoint") {
          auto target = httpc::resolve_url(url, event.data);
          if (!target) {
            refusal = "the endpoint event names an invalid URL: " + target.error().message;
          } else if (!target->same_origin(url)) {
            refusal = "refused the endpoint " + target->redacted() +
                      ": it is not on the SSE URL's origin";
          } else {
            std::lock_guard lock(mu);
            endpoint = std::move(target.value());
            stream_cv.notify_all();
          }
          return;
        }
        if (event.type != "message" || event.data.empty()) return;
        auto decoded = jsonrpc::decode(event.data);
        if (auto* bad = std::get_if<jsonrpc::DecodeError>(&decoded)) {
          spdlog::warn("[{}] skipped an SSE event that is not a JSON-RPC message ({}): {}",
                       options.name, bad->error.message, httpc::excerpt(event.data, 200));
          return;
        }
        session->receive(std::get<jsonrpc::Message>(std::move(decoded)), channel);
      },
      4 * kMaxFrameBytes);
  exchange.on_head = [&](const httplib::Response& res) {
    const auto type = res.get_header_value("Content-Type");
    is_error = res.status != 200 || type.find("text/event-stream") == std::string::npos;
    return true;
  };
  exchange.on_body = [&](std::string_view bytes) {
    if (is_error) {
      if (error_body.size() < kMaxErrorBody) {
        error_body.append(bytes.substr(0, kMaxErrorBody - error_body.size()));
      }
      return true;
    }
    if (!sse.feed(bytes)) refusal = "an SSE event exceeds the size limit";
    return refusal.empty();
  };
  const auto outcome = requester->perform(std::move(exchange));

  std::string reason;
  if (closing) {
    reason = "the connection was closed by the client";
  } else if (!refusal.empty()) {
    reason = refusal;
  } else if (is_error && outcome.status != 0) {
    if (outcome.status == 200) error_body = "not an event stream: " + error_body;
    reason = http_status_error("the SSE stream", outcome.headers, outcome.status, outcome.reason,
                               error_body)
                 .message;
  } else if (!outcome.error.empty()) {
    reason = "the SSE stream failed: " + outcome.error;
  } else {
    reason = "the server ended the SSE stream";
  }
  {
    std::lock_guard lock(mu);
    stream_ended = true;
    stream_error = reason;
  }
  stream_cv.notify_all();
  if (!closing) {
    failed = true;
    spdlog::warn("[{}] {}", options.name, reason);
    session->close(where() + ": " + reason);
  }
}

bool HttpClientTransport::Impl::send_legacy(const Json& message) {
  std::optional<httpc::Url> target;
  {
    std::lock_guard lock(mu);
    if (stream_ended) return false;
    target = endpoint;
  }
  if (!target) return false;
  const bool request = httpc::is_request(message);
  auto post_once = [this, message, target = *target, request]() -> bool {
    httpc::Exchange exchange;
    exchange.method = "POST";
    exchange.url = target;
    for (const auto& [name, value] : options.headers) exchange.headers.emplace(name, value);
    exchange.headers.erase("Content-Type");
    exchange.body = jsonrpc::encode(message);
    exchange.content_type = "application/json";
    exchange.read_timeout = options.read_timeout;
    std::string body;
    exchange.on_body = [&](std::string_view bytes) {
      if (body.size() < kMaxErrorBody) body.append(bytes.substr(0, kMaxErrorBody - body.size()));
      return true;
    };
    const auto outcome = requester->perform(std::move(exchange));
    std::optional<Error> error;
    if (!outcome.error.empty()) {
      error = Error{kConnectionClosed, where() + ": " + outcome.error};
    } else if (outcome.status < 200 || outcome.status >= 300) {
      error = http_status_error(where(), outcome.headers, outcome.status, outcome.reason, body);
    }
    if (!error) return true;
    if (request) {
      fail_request(message["id"], *error);
    } else {
      spdlog::warn("[{}] a message was not delivered: {}", options.name, error->message);
    }
    return false;
  };
  if (request) {
    posts->post([post_once]() noexcept { post_once(); });
    return true;
  }
  return post_once();
}

}  // namespace mcp
