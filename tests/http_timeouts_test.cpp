// The HTTP server's deadlines, over raw sockets: an idle keep-alive
// connection, a half-sent head and a stalled body are closed once their
// timeout has passed; a call that waits longer than every timeout is still
// answered, because a connection waiting on its handler has no deadline.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "support/http_loopback.hpp"
#include "support/raw_peer.hpp"

using lmhunt::test::call_tool;
using lmhunt::test::LoopbackServer;
using lmhunt::test::make_tool;
using lmhunt::test::McpHttp;
using mcp::Json;
using Clock = std::chrono::steady_clock;

using Peer = lmhunt::test::RawPeer;

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
