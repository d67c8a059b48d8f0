#pragma once
// HttpServerTransport::Impl, shared by transport_http_server.cpp (lifecycle,
// routing, request checks), http_streamable.cpp (POST/GET/DELETE on the MCP
// endpoint) and http_legacy.cpp (GET /sse, POST /messages).

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mcp/http_channel.hpp"
#include "mcp/http_front.hpp"
#include "mcp/http_reply.hpp"
#include "mcp/http_security.hpp"
#include "mcp/http_sessions.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/transport_http_server.hpp"

namespace mcp {

struct HttpServerTransport::Impl {
  using Request = http::Request;
  using Response = http::Response;

  Impl(Server& server, Executor& executor, HttpServerOptions options);
  ~Impl();

  // --- transport_http_server.cpp
  // route answers one request (http::Front's handler, on an I/O thread).
  void route(http::Exchange& exchange);
  // error_reply answers a request http::Front refuses itself.
  void error_reply(Response& res, int status) const;
  // refuse fills in the refusal of a request that fails the checks every
  // request passes first: header limits, Host, Origin, bearer token.
  bool refuse(const Request& req, Response& res);
  // housekeeping runs during run(): sweeps idle sessions and, once stop() is
  // called, does the stopping that is not safe in a signal handler.
  void housekeeping() noexcept;
  void shut_down();
  void wake() noexcept;

  // --- http_streamable.cpp
  // `wait` is set, instead of answering, by a POST whose call has not
  // answered yet; it runs on a thread of its own (see http::Exchange).
  using Wait = std::function<void(Response&)>;
  void handle_post(const Request& req, Response& res, Wait& wait);
  void handle_get(const Request& req, Response& res);
  void handle_delete(const Request& req, Response& res);
  void initialize(jsonrpc::Message message, const Request& req, Response& res);
  // answer sends `message` (a request) into the session and answers the POST
  // with its JSON response or an SSE stream; if the call has produced nothing
  // yet, it sets `wait` to do that once it has (or sse_switch_after passed).
  void answer(const http::SessionRef& session, jsonrpc::Message message, const Request& req,
              Response& res, Wait& wait);
  // finish_answer answers the POST once its call's first message (`first`) is known.
  void finish_answer(const http::SessionRef& session, const std::string& version,
                     bool is_initialize, const std::shared_ptr<http::StreamChannel>& channel,
                     http::StreamChannel::First first, Response& res);
  // session_for resolves Mcp-Session-Id and MCP-Protocol-Version for a
  // non-initialize request; empty after answering the error.
  http::SessionRef session_for(const Request& req, Response& res);
  // new_session builds a session around `stream` (its default channel).
  Result<std::shared_ptr<http::HttpSession>> new_session(
      bool legacy, const std::shared_ptr<http::StreamChannel>& stream);

  // --- http_legacy.cpp
  void handle_legacy_stream(const Request& req, Response& res);
  void handle_legacy_post(const Request& req, Response& res);

  bool refuse_when_stopping(Response& res);
  void reply_full(Response& res);

  Server& server_;
  Executor& executor_;
  const HttpServerOptions options_;
  std::unique_ptr<http::Front> front_;  // made by bind()
  http::SessionRegistry registry_;
  http::ChannelSet channels_;
  const http::BearerToken token_;
  bool loopback_bind_ = true;
  bool bound_ = false;
  int port_ = -1;
  std::atomic<std::uint64_t> sessions_created_{0};

  // stop() only sets stopping_ and writes to the wake pipe (both safe in a
  // signal handler, where the CLI calls it); housekeeping does the rest.
  std::atomic<bool> stopping_{false};
  int wake_fds_[2] = {-1, -1};
};

}  // namespace mcp
