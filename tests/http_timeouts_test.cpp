// The HTTP server's deadlines, over raw sockets: an idle keep-alive
// connection, a half-sent head and a stalled body are closed once their
// timeout has passed; a call that waits longer than every timeout is still
// answered, because a connection waiting on its handler has no deadline.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/http_loopback.hpp"

using lmhunt::test::call_tool;
using lmhunt::test::LoopbackServer;
using lmhunt::test::make_tool;
using lmhunt::test::McpHttp;
using mcp::Json;
using Clock = std::chrono::steady_clock;

namespace {

// Peer is a raw client socket on the loopback server.
class Peer {
 public:
  Peer(int port, const std::string& first_bytes) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    if (!first_bytes.empty()) {
      REQUIRE(::send(fd_, first_bytes.data(), first_bytes.size(), MSG_NOSIGNAL) ==
              static_cast<ssize_t>(first_bytes.size()));
    }
  }
  ~Peer() { ::close(fd_); }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  // read_until_closed reads until the server closes the connection or
  // `limit` passes; true when it closed.
  bool read_until_closed(Clock::time_point limit) {
    char buffer[4096];
    while (Clock::now() < limit) {
      pollfd p{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(limit - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 1))) <= 0) continue;
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return true;  // EOF, or reset by the server's close
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return false;
  }

  std::string received;

 private:
  int fd_;
};

}  // namespace

TEST_CASE("idle connections, half-sent heads and stalled bodies are closed after their timeout",
          "[http]") {
  mcp::HttpServerOptions options;
  options.keepalive_idle_timeout = std::chrono::seconds(1);
  options.io_timeout = std::chrono::seconds(1);
  LoopbackServer srv(options);
  const auto start = Clock::now();
  Peer silent(srv.port(), "");
  Peer half_head(srv.port(), "GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
  Peer stalled_body(srv.port(),
                    "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100\r\n\r\n{");
  Peer kept_alive(srv.port(), "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  // Generous: a loaded or sanitized build may be slow; the sweep adds ≤ 0.25 s.
  const auto limit = start + std::chrono::seconds(4);
  for (Peer* peer : {&silent, &half_head, &stalled_body, &kept_alive}) {
    CHECK(peer->read_until_closed(limit));
  }
  CHECK(Clock::now() - start >= std::chrono::milliseconds(900));  // not before the deadline
  CHECK(silent.received.empty());
  CHECK(half_head.received.empty());
  CHECK(stalled_body.received.empty());
  CHECK(kept_alive.received.rfind("HTTP/1.1 200 ", 0) == 0);
  CHECK(kept_alive.received.find(R"({"status":"ok"})") != std::string::npos);
}

TEST_CASE("a call that waits longer than every timeout is still answered", "[http]") {
  mcp::HttpServerOptions options;
  options.keepalive_idle_timeout = std::chrono::seconds(1);
  options.io_timeout = std::chrono::seconds(1);
  options.sse_switch_after = std::chrono::seconds(30);  // stays a JSON answer
  LoopbackServer srv(options, [](mcp::Server& server) {
    REQUIRE(server.add_tool(make_tool("slow", "answers after 2 s"),
                            [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                              std::this_thread::sleep_for(std::chrono::seconds(2));
                              return mcp::ToolResult::text("late but here");
                            }));
  });
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  auto res = c.post(call_tool(5, "slow"));
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(Json::parse(res->body)["result"]["content"][0]["text"] == "late but here");
}
