#pragma once
// HttpServerTransport::Impl, shared by transport_http_server.cpp (lifecycle,
// routing, request checks), http_streamable.cpp (POST/GET/DELETE on the MCP
// endpoint) and http_legacy.cpp (GET /sse, POST /messages).

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mcp/http_channel.hpp"
#include "mcp/http_reply.hpp"
#include "mcp/http_security.hpp"
#include "mcp/http_sessions.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/transport_http_server.hpp"

namespace mcp {
namespace http {

// ListenServer is httplib::Server plus close_unused_socket: cpp-httplib
// closes its listening socket only when a running listen loop is stopped, so
// a transport bound but never run would leak it.
class ListenServer : public httplib::Server {
 public:
  void close_unused_socket() {
    const auto sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) ::close(sock);
  }
  // set_backlog calls listen(2) again on the bound socket: cpp-httplib listens with a backlog of
  // CPPHTTPLIB_LISTEN_BACKLOG (5, fixed when Debian compiled the library), and Linux lets a
  // second listen(2) change it. False when there is no socket or the call fails.
  bool set_backlog(int backlog) {
    const auto sock = svr_sock_.load();
    return sock != INVALID_SOCKET && ::listen(sock, backlog) == 0;
  }
};

}  // namespace http

struct HttpServerTransport::Impl {
  using Request = httplib::Request;
  using Response = httplib::Response;

  Impl(Server& server, Executor& executor, HttpServerOptions options);
  ~Impl();

  // --- transport_http_server.cpp
  void install_routes();
  // guard runs before routing: header limits, Host, Origin, bearer token.
  httplib::Server::HandlerResponse guard(const Request& req, Response& res);
  // refuse fills in the refusal of a request that fails those checks.
  bool refuse(const Request& req, Response& res);
  // housekeeping runs during run(): sweeps idle sessions and, once stop() is
  // called, does the stopping that is not safe in a signal handler.
  void housekeeping() noexcept;
  void shut_down();
  void wake() noexcept;

  // --- http_streamable.cpp
  void handle_post(const Request& req, Response& res);
  void handle_get(const Request& req, Response& res);
  void handle_delete(const Request& req, Response& res);
  void initialize(jsonrpc::Message message, const Request& req, Response& res);
  // answer sends `message` (a request) into the session and answers the POST
  // with its JSON response or an SSE stream.
  void answer(const http::SessionRef& session, jsonrpc::Message message, const Request& req,
              Response& res);
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
  http::ListenServer svr_;
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
  std::atomic<bool> listen_done_{false};
  int wake_fds_[2] = {-1, -1};
};

}  // namespace mcp
