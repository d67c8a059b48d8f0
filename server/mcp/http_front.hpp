#pragma once
// http::Front: the HTTP/1.1 server under the Streamable HTTP transport, on
// Boost.Beast and Asio. A few I/O threads serve every connection: requests
// are read, routed and, when the handler answers at once, written back as
// one write on the I/O thread, with no thread wake-up per request. A handler
// that must wait (for a call's first message) and every streamed body (SSE)
// run on a thread of their own and post their writes back to the
// connection's I/O thread (each connection keeps one). Deadlines (a head
// within keepalive_idle, a body or write within io_timeout) are enforced by a
// sweep a few times per timeout, not by a timer per read and write.
//
// It replaced cpp-httplib's server, whose blocking thread per connection cost
// 47–64 µs of CPU per call where our MCP core behind a bare event loop needs
// 14–20 µs (docs/benchmarks.md). Requests and responses are http::Request and
// http::Response (http_message.hpp).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "mcp/http_message.hpp"
#include "mcp/result.hpp"

namespace mcp::http {

struct FrontOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int backlog = 1024;
  std::size_t io_threads = 2;
  // Threads for waiting handlers and streamed bodies; a request that needs
  // one beyond this is answered 503.
  std::size_t max_workers = 64;
  std::size_t max_body_bytes = std::size_t{4} * 1024 * 1024;  // larger: 413
  std::size_t max_header_bytes = std::size_t{64} * 1024;      // request head as read: 431
  std::size_t max_target_bytes = 8192;                        // request target: 414
  std::size_t max_field_bytes = 8192;                         // one header line: 400
  std::chrono::seconds io_timeout{30};                        // a started request or a write
  std::chrono::seconds keepalive_idle{5};                     // waiting for the next request
  std::size_t keepalive_max_requests = 1000;                  // then the connection closes
};

// Exchange is one request and its response.
struct Exchange {
  Request req;
  Response res;
  // wait, when the handler sets it instead of answering, runs on a thread of
  // its own and fills `res` there.
  std::function<void(Response&)> wait;
  // head is the response's status line and fields while they are written.
  std::string head;
};

class Front {
 public:
  using Handler = std::function<void(Exchange&)>;
  // ErrorReply fills the response to a request the front refuses itself
  // (400 malformed, 413, 414, 431; 503 when max_workers are busy).
  using ErrorReply = std::function<void(Response&, int status)>;

  Front(FrontOptions options, Handler handler, ErrorReply error_reply);
  ~Front();
  Front(const Front&) = delete;
  Front& operator=(const Front&) = delete;

  // bind opens the listening socket; the error says why it cannot.
  Status bind();
  int port() const;
  // run serves until stop(), then closes every connection and returns once
  // every I/O thread and waiting handler or stream has ended.
  void run();
  // stop makes run() return. Thread-safe; not async-signal-safe.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcp::http
