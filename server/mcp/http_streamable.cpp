// The MCP endpoint of the Streamable HTTP transport (basic/transports.mdx,
// 2025-11-25; statuses as mcp-protocol.md §6): POST carries one JSON-RPC
// message, GET opens the session's server→client stream, DELETE ends it.
#include <spdlog/spdlog.h>

#include "mcp/http_impl.hpp"
#include "mcp/types.hpp"

namespace mcp {

using http::StreamChannel;
using jsonrpc::kServerError;

namespace {

constexpr const char* kNeedSessionId = "Bad Request: Mcp-Session-Id header is required";
constexpr const char* kSessionNotFound = "Session not found";

// protocol_version is the request's MCP-Protocol-Version, or the assumed
// version when absent.
std::string protocol_version(const http::Request& req) {
  if (!req.has_header(http::kProtocolVersionHeader)) {
    return std::string(http::kAssumedProtocolVersion);
  }
  return std::string(req.header(http::kProtocolVersionHeader));
}

std::string supported_list() {
  std::string out;
  for (const auto& v : supported_protocol_versions()) out += (out.empty() ? "" : ", ") + v;
  return out;
}

}  // namespace

bool HttpServerTransport::Impl::refuse_when_stopping(Response& res) {
  if (!stopping_) return false;
  http::reply_error(res, 503, kServerError, "Service Unavailable: the server is shutting down");
  return true;
}

void HttpServerTransport::Impl::reply_full(Response& res) {
  // 503 rather than 429: the limit is the server's capacity, not this
  // client's rate. Idle sessions expire, so retrying later can succeed.
  res.set_header("Retry-After", "30");
  http::reply_error(res, 503, kServerError,
                    "Service Unavailable: too many sessions (limit " +
                        std::to_string(options_.max_sessions) +
                        "); end unused sessions with DELETE or retry later");
}

http::SessionRef HttpServerTransport::Impl::session_for(const Request& req, Response& res) {
  const auto id = req.header(http::kSessionHeader);
  if (id.empty()) {
    http::reply_error(res, 400, kServerError, kNeedSessionId);
    return {};
  }
  auto session = registry_.find(id);
  if (!session || session->legacy) {
    http::reply_error(res, 404, http::kSessionNotFoundCode, kSessionNotFound);
    return {};
  }
  const auto version = protocol_version(req);
  if (!is_supported_protocol_version(version)) {
    http::reply_error(res, 400, kServerError,
                      "Bad Request: Unsupported protocol version: " + version.substr(0, 64) +
                          " (supported versions: " + supported_list() + ")");
    return {};
  }
  res.set_header(http::kSessionHeader, session->id);
  return session;
}

Result<std::shared_ptr<http::HttpSession>> HttpServerTransport::Impl::new_session(
    bool legacy, const std::shared_ptr<StreamChannel>& stream) {
  auto id = http::random_session_id();
  if (!id) return id.error();
  if (!channels_.add(stream)) return Error{kServerError, "the server is shutting down", nullptr};
  auto session = std::make_shared<http::HttpSession>();
  session->id = std::move(id.value());
  session->legacy = legacy;
  session->stream = stream;
  const auto n = ++sessions_created_;
  session->server_session =
      server_.connect(stream, executor_, (legacy ? "sse-" : "http-") + std::to_string(n));
  return session;
}

void HttpServerTransport::Impl::handle_post(const Request& req, Response& res, Wait& wait) {
  if (refuse_when_stopping(res)) return;
  if (!http::accepts(req, "application/json") || !http::accepts(req, "text/event-stream")) {
    return http::reply_error(
        res, 406, kServerError,
        "Not Acceptable: Client must accept both application/json and text/event-stream");
  }
  if (!http::has_json_body(req)) {
    return http::reply_error(res, 415, kServerError,
                             "Unsupported Media Type: Content-Type must be application/json");
  }
  auto decoded = jsonrpc::decode(req.body);
  if (auto* bad = std::get_if<jsonrpc::DecodeError>(&decoded)) {
    return http::reply_error(res, 400, bad->error.code, bad->error.message, bad->id);
  }
  auto message = std::get<jsonrpc::Message>(std::move(decoded));
  if (message.is_request() && message.method == "initialize" &&
      !req.has_header(http::kSessionHeader)) {
    return initialize(std::move(message), req, res);
  }
  auto session = session_for(req, res);
  if (!session) return;
  if (!message.is_request()) {
    // A notification, or the client's answer to a server→client request.
    session->rpc().receive(std::move(message), nullptr);
    res.status = 202;
    return;
  }
  answer(session, std::move(message), req, res, wait);
}

void HttpServerTransport::Impl::initialize(jsonrpc::Message message, const Request& req,
                                           Response& res) {
  if (!registry_.has_room()) return reply_full(res);
  auto stream = std::make_shared<StreamChannel>(StreamChannel::Mode::kStandalone);
  auto created = new_session(false, stream);
  if (!created) {
    return http::reply_error(res, stopping_ ? 503 : 500, kServerError, created.error().message);
  }
  auto session = created.value();
  auto reply = std::make_shared<StreamChannel>(StreamChannel::Mode::kRequest, message.id);
  // initialize runs inline (Dispatch::kInline): its response is queued when
  // receive returns.
  session->rpc().receive(std::move(message), reply);
  auto batch = reply->take(std::chrono::steady_clock::now());
  reply->close();
  if (batch.frames.empty() || !batch.frames.front().answers_request) {
    session->server_session->close("initialize was not answered");
    return http::reply_error(res, 500, jsonrpc::kInternalError, "Internal error");
  }
  const auto& answer = batch.frames.front();
  if (answer.is_error) {
    // No session without a successful initialize. The HTTP exchange worked,
    // so the JSON-RPC error travels in a 200 like any other request's.
    session->server_session->close("initialize failed");
    return http::reply_json(res, 200, answer.json);
  }
  if (!registry_.add(session)) {
    session->server_session->close("no room");
    if (stopping_) return (void)refuse_when_stopping(res);
    return reply_full(res);
  }
  spdlog::info("[{}] HTTP session started from {}", session->rpc().name(), req.remote_addr);
  res.set_header(http::kSessionHeader, session->id);
  http::reply_json(res, 200, answer.json);
}

void HttpServerTransport::Impl::answer(const http::SessionRef& session, jsonrpc::Message message,
                                       const Request& req, Response& res, Wait& wait) {
  const bool is_initialize = message.method == "initialize";
  auto channel = std::make_shared<StreamChannel>(StreamChannel::Mode::kRequest, message.id);
  if (!channels_.add(channel)) return (void)refuse_when_stopping(res);
  session->rpc().receive(std::move(message), channel);
  std::string version = req.has_header(http::kProtocolVersionHeader)
                            ? std::string(req.header(http::kProtocolVersionHeader))
                            : session->server_session->protocol_version();

  // A handler that ran inline has answered already: the common case, answered
  // on the I/O thread. Otherwise the wait for the call's first message runs on
  // a thread of its own.
  const auto first = channel->wait_first(std::chrono::steady_clock::now());
  if (first != StreamChannel::First::kTimeout) {
    return finish_answer(session, version, is_initialize, channel, first, res);
  }
  wait = [this, session, version = std::move(version), is_initialize, channel](Response& later) {
    const auto first =
        channel->wait_first(std::chrono::steady_clock::now() + options_.sse_switch_after);
    finish_answer(session, version, is_initialize, channel, first, later);
  };
}

void HttpServerTransport::Impl::finish_answer(const http::SessionRef& session,
                                              const std::string& version, bool is_initialize,
                                              const std::shared_ptr<StreamChannel>& channel,
                                              StreamChannel::First first, Response& res) {
  // JSON when the response is the first thing the request produces; SSE as
  // soon as anything else comes first, or nothing comes for a while.
  switch (first) {
    case StreamChannel::First::kResponse: {
      auto batch = channel->take(std::chrono::steady_clock::now());
      channel->close();
      auto& frame = batch.frames.front();
      // A second initialize is refused by the session's gate (-32600); the
      // transport's table makes that a 400.
      return http::reply_json(res, is_initialize && frame.is_error ? 400 : 200,
                              std::move(frame.json));
    }
    case StreamChannel::First::kFinished:
      // Cancelled (notifications/cancelled) before producing anything: the
      // spec says no response is sent. 202 ends the POST without a body and
      // without an SSE stream; an empty stream carrying a priming event id
      // would invite the client to resume it with GET + Last-Event-ID.
      channel->close();
      res.status = 202;
      return;
    case StreamChannel::First::kClosed:  // only stop() closes a POST's channel early
      return http::reply_error(res, 503, kServerError,
                               "Service Unavailable: the server is shutting down");
    case StreamChannel::First::kOther:
    case StreamChannel::First::kTimeout:
      break;
  }

  auto owner = session.session;
  http::SseStream stream;
  stream.channel = channel;
  stream.next_event_id = [owner] { return owner->next_event_id++; };
  if (version >= http::kPrimingSinceVersion) {
    stream.preamble = http::sse_event("", "", owner->next_event_id++);
  }
  stream.keepalive = options_.keepalive_interval;
  stream.on_close = [channel] { channel->close(); };
  stream.lease = session.lease;
  http::start_sse(res, std::move(stream));
}

void HttpServerTransport::Impl::handle_get(const Request& req, Response& res) {
  if (req.method == "HEAD") {
    res.set_header("Allow", "GET, POST, DELETE");
    return http::reply_error(res, 405, kServerError, "Method Not Allowed");
  }
  if (refuse_when_stopping(res)) return;
  if (!http::accepts(req, "text/event-stream")) {
    // 406, not 405: GET is supported, this request just cannot take SSE.
    return http::reply_error(res, 406, kServerError,
                             "Not Acceptable: Client must accept text/event-stream");
  }
  auto session = session_for(req, res);
  if (!session) return;
  auto stream = session->stream;
  if (!stream->attach()) {
    return http::reply_error(res, 409, kServerError,
                             "Conflict: Only one SSE stream is allowed per session");
  }
  spdlog::debug("[{}] GET stream opened", session->rpc().name());
  auto owner = session.session;
  http::SseStream sse;
  sse.channel = stream;
  sse.next_event_id = [owner] { return owner->next_event_id++; };
  sse.keepalive = options_.keepalive_interval;
  // The stream ends; the session's channel goes back to parking notifications.
  sse.on_close = [stream, name = owner->rpc().name()] {
    spdlog::debug("[{}] GET stream closed", name);
    stream->detach();
  };
  sse.lease = session.lease;
  http::start_sse(res, std::move(sse));
}

void HttpServerTransport::Impl::handle_delete(const Request& req, Response& res) {
  auto session = session_for(req, res);
  if (!session) return;
  registry_.remove(session->id, "client ended the session (DELETE)");
  res.status = 204;
}

}  // namespace mcp
