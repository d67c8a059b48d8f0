#pragma once
// Streamable HTTP server transport (basic/transports.mdx, 2025-11-25) on one
// endpoint, plus the legacy HTTP+SSE endpoints (2024-11-05) for clients
// configured with type "sse". Built on cpp-httplib.
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
  // Worker threads: every open SSE stream holds one, so this bounds the
  // number of concurrent streaming calls plus GET streams.
  std::size_t worker_threads = 64;
  // Connections the kernel queues until a worker accepts them (listen(2) backlog; Linux caps it
  // at net.core.somaxconn). Beyond it a burst of connections is dropped or reset.
  int listen_backlog = 1024;
  std::chrono::seconds keepalive_interval{15};
  bool legacy_sse = true;  // serve GET /sse + POST /messages

  // A POST whose request has produced nothing after this long is answered as
  // an SSE stream, so keep-alive comments can flow during a long call.
  std::chrono::milliseconds sse_switch_after{2000};
  // Socket read/write timeout: how long a stalled peer may hold a worker.
  std::chrono::seconds io_timeout{30};
  // HTTP keep-alive: idle time before a connection is closed (it holds a
  // worker meanwhile) and requests served per connection.
  std::chrono::seconds keepalive_idle_timeout{5};
  std::size_t keepalive_max_requests = 1000;
  // Total bytes of request header fields (names + values), refused with 431.
  // cpp-httplib 0.11.4 itself limits each header line to 8192 bytes (400) and
  // the request line likewise (414) — CPPHTTPLIB_HEADER_MAX_LENGTH and
  // CPPHTTPLIB_REQUEST_URI_MAX_LENGTH, fixed when Debian compiled it; those
  // two answers close the connection. It has no limit on the total or the
  // count while reading, so headers are in memory (bounded only by
  // io_timeout per read) before this check runs.
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
