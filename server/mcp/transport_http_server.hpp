#pragma once
// Streamable HTTP server transport (basic/transports.mdx, 2025-11-25) on one
// endpoint, plus the legacy HTTP+SSE endpoints (2024-11-05) for clients
// configured with type "sse". Served by http::Front (Boost.Beast, http_front.hpp).
//
// Security (basic/security_best_practices.mdx): binds 127.0.0.1 by default;
// validates Host and Origin (403) against allowlists; optional bearer token
// (401 with WWW-Authenticate), required on a non-loopback bind; request body
// and header limits; session ids from a CSPRNG; idle sessions expire.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "mcp/executor.hpp"
#include "mcp/server.hpp"

namespace mcp {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = an ephemeral port (see HttpServerTransport::port)
  std::string endpoint = "/mcp";
  // Extra Host header values accepted besides the loopback names (which are
  // accepted only on a loopback bind). Entries may omit the port.
  std::vector<std::string> allowed_hosts;
  // Origins accepted besides http(s)://localhost|127.0.0.1|[::1][:port].
  std::vector<std::string> allowed_origins;
  // Bearer token clients must present; empty = none (refused at start on a
  // non-loopback bind).
  std::string bearer_token;
  std::size_t max_body_bytes = std::size_t{4} * 1024 * 1024;
  std::size_t max_sessions = 1024;
  std::chrono::seconds session_idle_timeout{std::chrono::minutes(30)};
  // Worker threads: every open SSE stream, and every POST whose call has not
  // answered at once, holds one while it waits, so this bounds them together
  // (beyond it: 503). Calls answered at once run on the I/O threads.
  std::size_t worker_threads = 64;
  // Connections the kernel queues until an I/O thread accepts them (listen(2) backlog; Linux
  // caps it at net.core.somaxconn). Beyond it a burst of connections is dropped or reset.
  int listen_backlog = 1024;
  std::chrono::seconds keepalive_interval{15};
  bool legacy_sse = true;  // serve GET /sse + POST /messages

  // A POST whose request has produced nothing after this long is answered as
  // an SSE stream, so keep-alive comments can flow during a long call.
  std::chrono::milliseconds sse_switch_after{2000};
  // How long reading a request's body, or one write, may take.
  std::chrono::seconds io_timeout{30};
  // HTTP keep-alive: the time a request's whole head may take to arrive after
  // the connection opens or the previous answer (an idle connection holds no
  // thread meanwhile), and requests served per connection.
  std::chrono::seconds keepalive_idle_timeout{5};
  std::size_t keepalive_max_requests = 1000;
  // Total bytes of request header fields (names + values), refused with 431.
  // http::Front also refuses a header line over 8192 bytes (400) and a request
  // target over 8192 (414), and stops reading a request head larger than this
  // plus those (431); those answers close the connection.
  std::size_t max_header_bytes = std::size_t{64} * 1024;
};

class HttpServerTransport {
 public:
  HttpServerTransport(Server& server, Executor& executor, HttpServerOptions options);
  ~HttpServerTransport();
  HttpServerTransport(const HttpServerTransport&) = delete;
  HttpServerTransport& operator=(const HttpServerTransport&) = delete;

  // bind validates the options (e.g. a token is required on a non-loopback
  // address) and binds the socket. Error explains why it cannot.
  Status bind();
  // port is the bound port (useful after binding port 0).
  int port() const;
  // run serves until stop(); call after bind().
  void run();
  // stop ends run(), closes every session and stream. Thread-safe.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcp
