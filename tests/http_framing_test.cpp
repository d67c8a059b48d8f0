// How the HTTP server reads requests off the wire, over raw sockets: several
// requests in one write (each answered, in order), a body that arrives after
// its head, a chunked body, and Expect: 100-continue. The connection parses a
// body it already holds without another read (http_connection.cpp), and
// reads on for one that has not arrived yet: both must give the same answer.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "support/http_loopback.hpp"
#include "support/raw_peer.hpp"

using lmhunt::test::LoopbackServer;
using lmhunt::test::RawPeer;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"framing","version":"0"}}})";

// post_head is the head of a POST /mcp whose body is framed by `framing`.
std::string post_head(const std::string& framing) {
  return "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
         "Accept: application/json, text/event-stream\r\n" +
         framing + "\r\n";
}

std::string length_of(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n";
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Clock::time_point soon() {
  return Clock::now() + std::chrono::seconds(10);  // generous: sanitizer builds are slow
}

}  // namespace

TEST_CASE("requests written together are each answered, in order", "[http]") {
  LoopbackServer srv;
  const std::string health = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
  RawPeer peer(srv.port(), health + post_head(length_of(kInitialize)) + kInitialize +
                               "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
                               "Connection: close\r\n\r\n");
  REQUIRE(peer.read_until_closed(soon()));
  CHECK(count(peer.received, "HTTP/1.1 200 ") == 3);
  const auto first = peer.received.find(R"({"status":"ok"})");
  const auto initialized = peer.received.find(R"("protocolVersion":"2025-11-25")");
  const auto last = peer.received.rfind(R"({"status":"ok"})");
  REQUIRE(initialized != std::string::npos);
  CHECK(first < initialized);
  CHECK(initialized < last);
}

TEST_CASE("a body that arrives after its head is read on and answered", "[http]") {
  LoopbackServer srv;
  RawPeer peer(srv.port(), post_head(length_of(kInitialize)) + kInitialize.substr(0, 10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  peer.send(kInitialize.substr(10));
  REQUIRE(peer.read_until(R"("protocolVersion":"2025-11-25")", soon()));
  CHECK(peer.received.rfind("HTTP/1.1 200 ", 0) == 0);
}

TEST_CASE("a chunked body is read whole, at once or chunk by chunk", "[http]") {
  LoopbackServer srv;
  const std::string half = kInitialize.substr(0, 40);
  const std::string rest = kInitialize.substr(40);
  const auto chunk = [](const std::string& data) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + data + "\r\n";
  };
  RawPeer together(srv.port(), post_head("Transfer-Encoding: chunked\r\n") + chunk(half) +
                                   chunk(rest) + "0\r\n\r\n");
  REQUIRE(together.read_until(R"("protocolVersion":"2025-11-25")", soon()));
  CHECK(together.received.rfind("HTTP/1.1 200 ", 0) == 0);

  RawPeer apart(srv.port(), post_head("Transfer-Encoding: chunked\r\n") + chunk(half));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  apart.send(chunk(rest) + "0\r\n\r\n");
  REQUIRE(apart.read_until(R"("protocolVersion":"2025-11-25")", soon()));
  CHECK(apart.received.rfind("HTTP/1.1 200 ", 0) == 0);
}

TEST_CASE("Expect: 100-continue is answered before the body is sent", "[http]") {
  LoopbackServer srv;
  RawPeer peer(srv.port(), post_head(length_of(kInitialize) + "Expect: 100-continue\r\n"));
  REQUIRE(peer.read_until("HTTP/1.1 100 Continue\r\n\r\n", soon()));
  peer.send(kInitialize);
  REQUIRE(peer.read_until(R"("protocolVersion":"2025-11-25")", soon()));
  CHECK(peer.received.find("HTTP/1.1 200 ") != std::string::npos);
}

TEST_CASE("a body over the limit already buffered with its head is refused 413", "[http]") {
  mcp::HttpServerOptions options;
  options.max_body_bytes = 64;
  LoopbackServer srv(options);
  RawPeer peer(srv.port(), post_head("Transfer-Encoding: chunked\r\n") + "100\r\n" +
                               std::string(256, ' ') + "\r\n0\r\n\r\n");
  REQUIRE(peer.read_until_closed(soon()));
  CHECK(peer.received.rfind("HTTP/1.1 413 ", 0) == 0);
}
