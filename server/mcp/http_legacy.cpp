// The legacy HTTP+SSE transport (2024-11-05 basic/transports.mdx), kept for
// clients configured with type "sse" (Cline's default for a bare url):
// GET /sse opens a session whose stream carries every server message, the
// first event names the endpoint to POST to, and closing the stream ends the
// session.
#include <spdlog/spdlog.h>

#include "mcp/http_impl.hpp"

namespace mcp {

using http::StreamChannel;
using jsonrpc::kServerError;

namespace {
constexpr const char* kMessagesPath = "/messages";
}

void HttpServerTransport::Impl::handle_legacy_stream(const Request& req, Response& res) {
  if (req.method == "HEAD") {
    res.set_header("Allow", "GET");
    return http::reply_error(res, 405, kServerError, "Method Not Allowed");
  }
  if (refuse_when_stopping(res)) return;
  if (!registry_.has_room()) return reply_full(res);
  // The stream is the session's only way out: responses go there too, so it
  // is both the default channel and every request's reply channel.
  auto stream = std::make_shared<StreamChannel>(StreamChannel::Mode::kStream);
  auto created = new_session(true, stream);
  if (!created) {
    return http::reply_error(res, stopping_ ? 503 : 500, kServerError, created.error().message);
  }
  auto session = created.value();
  if (!registry_.add(session)) {
    session->server_session->close("no room");
    if (refuse_when_stopping(res)) return;
    return reply_full(res);
  }
  spdlog::info("[{}] legacy SSE session started from {}", session->rpc().name(), req.remote_addr);

  http::SseStream sse;
  sse.channel = stream;
  sse.preamble =
      http::sse_event("endpoint", std::string(kMessagesPath) + "?sessionId=" + session->id);
  sse.keepalive = options_.keepalive_interval;
  sse.on_close = [this, id = session->id] { registry_.remove(id, "legacy SSE stream closed"); };
  sse.lease = session->lease();
  http::start_sse(res, std::move(sse));
}

void HttpServerTransport::Impl::handle_legacy_post(const Request& req, Response& res) {
  if (refuse_when_stopping(res)) return;
  const auto id = req.get_param_value("sessionId");
  if (id.empty()) {
    return http::reply_error(res, 400, kServerError,
                             "Bad Request: the sessionId query parameter is required");
  }
  auto session = registry_.find(id);
  if (!session || !session->legacy) {
    return http::reply_error(res, 404, http::kSessionNotFoundCode, "Session not found");
  }
  if (!http::has_json_body(req)) {
    return http::reply_error(res, 415, kServerError,
                             "Unsupported Media Type: Content-Type must be application/json");
  }
  auto decoded = jsonrpc::decode(req.body);
  if (auto* bad = std::get_if<jsonrpc::DecodeError>(&decoded)) {
    return http::reply_error(res, 400, bad->error.code, bad->error.message, bad->id);
  }
  // Every reply, including this request's response, goes out on the stream.
  session->rpc().receive(std::get<jsonrpc::Message>(std::move(decoded)), session->stream);
  res.status = 202;
  res.set_content("Accepted", "text/plain");
}

}  // namespace mcp
