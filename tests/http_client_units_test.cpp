// The HTTP client transport's parts: the SSE decoder, URL resolution,
// redirects (same origin followed, another origin refused) and HTTPS
// certificate verification.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "http_client_fixtures.hpp"
#include "mcp/http_client_request.hpp"
#include "mcp/http_client_sse.hpp"

using lmhunt::test::add_client_tools;
using lmhunt::test::first_text;
using lmhunt::test::LoopbackServer;
using lmhunt::test::open_peer;
using lmhunt::test::RecordingProxy;
using mcp::httpc::SseDecoder;
using mcp::httpc::SseEvent;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<SseEvent> decode_in_chunks(std::string_view stream, std::size_t chunk) {
  std::vector<SseEvent> events;
  SseDecoder decoder([&](SseEvent&& e) { events.push_back(std::move(e)); }, 1024);
  for (std::size_t i = 0; i < stream.size(); i += chunk) {
    REQUIRE(decoder.feed(stream.substr(i, chunk)));
  }
  return events;
}

mcp::HttpClientOptions options_for(const std::string& url) {
  mcp::HttpClientOptions options;
  options.name = "remote";
  options.url = url;
  options.connect_timeout = 5s;
  options.read_timeout = 30s;
  return options;
}

}  // namespace

TEST_CASE("the SSE decoder reads events split anywhere, with any line ending",
          "[http-client][sse]") {
  const std::string stream =
      "\xEF\xBB\xBF: keep-alive\r\n"
      "id: 7\r\ndata: \r\n\r\n"                         // priming: empty data
      "event: message\ndata: {\"a\":1}\n\n"             // LF
      "data: line one\rdata: line two\r\r"              // CR
      "event: endpoint\r\ndata: /messages?x=1\r\n\r\n"  // CRLF
      "event: ignored-without-data\n\n"
      "data:no-space\n\n";
  for (std::size_t chunk :
       {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, stream.size()}) {
    INFO("chunk size " << chunk);
    const auto events = decode_in_chunks(stream, chunk);
    REQUIRE(events.size() == 5);
    CHECK(events[0].data.empty());
    CHECK(events[0].id == "7");
    CHECK(events[1].type == "message");
    CHECK(events[1].data == "{\"a\":1}");
    CHECK(events[2].type == "message");
    CHECK(events[2].data == "line one\nline two");
    CHECK(events[3].type == "endpoint");
    CHECK(events[3].data == "/messages?x=1");
    CHECK(events[4].data == "no-space");
  }
}

TEST_CASE("the SSE decoder refuses an event over its limit", "[http-client][sse]") {
  int dispatched = 0;
  SseDecoder decoder([&](SseEvent&&) { ++dispatched; }, 8);
  CHECK(decoder.feed("data: 12345678\n\n"));
  CHECK_FALSE(decoder.feed("data: 123456789\n\n"));
  CHECK(dispatched == 1);
}

TEST_CASE("URLs parse with default ports and resolve references like a browser",
          "[http-client][url]") {
  auto base = mcp::httpc::parse_url("https://Chronicle.example.com/mcp/sse?x=1#frag");
  REQUIRE(base.ok());
  CHECK(base->host == "chronicle.example.com");
  CHECK(base->port == 443);
  CHECK(base->target == "/mcp/sse?x=1");
  CHECK(base->origin() == "https://chronicle.example.com:443");

  auto resolve = [&](std::string_view ref) {
    auto r = mcp::httpc::resolve_url(*base, ref);
    return r.ok() ? r->str() : "error: " + r.error().message;
  };
  CHECK(resolve("/messages?sessionId=1") ==
        "https://chronicle.example.com:443/messages?sessionId=1");
  CHECK(resolve("messages?sessionId=1") ==
        "https://chronicle.example.com:443/mcp/messages?sessionId=1");
  CHECK(resolve("../up") == "https://chronicle.example.com:443/up");
  CHECK(resolve("http://other:8080/x") == "http://other:8080/x");
  CHECK(resolve("//cdn.example.com/y") == "https://cdn.example.com:443/y");

  auto v6 = mcp::httpc::parse_url("http://[::1]:8080");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->str() == "http://[::1]:8080/");
  CHECK_FALSE(mcp::httpc::parse_url("http://user:pw@host/").ok());
  CHECK_FALSE(mcp::httpc::parse_url("http://host:99999/").ok());
  CHECK_FALSE(mcp::httpc::parse_url("host/mcp").ok());
}

TEST_CASE("a redirect on the same origin is followed; to another host it is refused",
          "[http-client][redirect]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port());
  mcp::Executor executor{4};

  auto moved = open_peer(options_for(proxy.url("/moved")), executor);
  REQUIRE(moved.ok());
  REQUIRE(moved->client->initialize().ok());
  auto echoed = moved->client->call_tool("echo", {{"text", "via redirect"}});
  REQUIRE(echoed.ok());
  CHECK(first_text(echoed.value()) == "echo: via redirect");

  auto options = options_for(proxy.url("/elsewhere"));
  options.headers = {{"Authorization", "Bearer must-not-leak"}};
  auto elsewhere = open_peer(options, executor);
  REQUIRE(elsewhere.ok());
  auto init = elsewhere->client->initialize();
  REQUIRE_FALSE(init.ok());
  CHECK(contains(init.error().message, "refused HTTP 307 redirect"));
  CHECK(contains(init.error().message,
                 "to another origin (http://localhost:" + std::to_string(srv.port()) + ")"));
}

TEST_CASE("HTTPS verifies the server certificate; a configured CA file is trusted",
          "[http-client][tls]") {
  namespace fs = std::filesystem;
  char dir_template[] = "/tmp/lmhunt-tls-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const fs::path dir = dir_template;
  const auto cert = (dir / "cert.pem").string();
  const auto key = (dir / "key.pem").string();
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);

  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port(), std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str()));
  REQUIRE(proxy.url().starts_with("https://127.0.0.1:"));
  mcp::Executor executor{4};

  auto untrusted = open_peer(options_for(proxy.url()), executor);
  REQUIRE(untrusted.ok());
  auto refused = untrusted->client->initialize();
  REQUIRE_FALSE(refused.ok());
  INFO(refused.error().message);
  CHECK(contains(refused.error().message, "TLS certificate verification of https://127.0.0.1:"));
  CHECK(contains(refused.error().message, "self-signed certificate"));
  CHECK(proxy.seen().empty());

  auto options = options_for(proxy.url());
  options.ca_cert_file = cert;
  auto trusted = open_peer(options, executor);
  REQUIRE(trusted.ok());
  REQUIRE(trusted->client->initialize().ok());
  auto echoed = trusted->client->call_tool("echo", {{"text", "over tls"}});
  REQUIRE(echoed.ok());
  CHECK(first_text(echoed.value()) == "echo: over tls");
  trusted->transport->close();
  fs::remove_all(dir);
}
