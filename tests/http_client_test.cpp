// mcp::Client over HttpClientTransport (Streamable HTTP) against our own
// server on loopback: the handshake, JSON and SSE answers, parallel calls,
// session ids, re-initializing after a 404, DELETE on close, configured
// headers, HTTP errors, and a server that is not there.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "http_client_fixtures.hpp"

using lmhunt::test::add_client_tools;
using lmhunt::test::first_text;
using lmhunt::test::Gate;
using lmhunt::test::HttpPeer;
using lmhunt::test::loopback_url;
using lmhunt::test::LoopbackServer;
using lmhunt::test::open_peer;
using lmhunt::test::Peers;
using lmhunt::test::RecordingProxy;
using lmhunt::test::Seen;
using mcp::Json;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

mcp::HttpClientOptions options_for(const std::string& url) {
  mcp::HttpClientOptions options;
  options.name = "remote";
  options.url = url;
  options.connect_timeout = 5s;
  options.read_timeout = 30s;
  return options;
}

std::vector<Seen> with_rpc_method(const std::vector<Seen>& seen, const std::string& method) {
  std::vector<Seen> out;
  for (const auto& s : seen) {
    if (s.rpc_method() == method) out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("a Client over Streamable HTTP initializes, lists tools and calls one", "[http-client]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(loopback_url(srv.port())), executor);
  REQUIRE(peer.ok());
  auto& client = *peer->client;

  auto init = client.initialize();
  REQUIRE(init.ok());
  CHECK(init->protocol_version == "2025-11-25");
  CHECK(init->server_info.name == "lmhunt-test");
  CHECK(peer->transport->session_id().size() == 64);

  auto tools = client.list_tools();
  REQUIRE(tools.ok());
  std::set<std::string> names;
  for (const auto& tool : tools.value()) names.insert(tool.name);
  CHECK(names == std::set<std::string>{"block", "echo", "progress", "together"});

  auto echoed = client.call_tool("echo", {{"text", "hello"}});
  REQUIRE(echoed.ok());
  CHECK(first_text(echoed.value()) == "echo: hello");
  CHECK(echoed.value().value("isError", false) == false);
  CHECK(client.ping().ok());
  CHECK(peer->transport->connected());
}

TEST_CASE("an answer streamed as SSE delivers progress before the result", "[http-client]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(loopback_url(srv.port())), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  std::mutex mu;
  std::vector<double> progress;
  mcp::CallOptions call;
  call.on_progress = [&](const Json& params) {
    std::lock_guard lock(mu);
    progress.push_back(params.value("progress", -1.0));
  };
  auto result = peer->client->call_tool("progress", Json::object(), call);
  REQUIRE(result.ok());
  CHECK(first_text(result.value()) == "progress done");
  std::lock_guard lock(mu);
  CHECK(progress == std::vector<double>{1.0, 2.0, 3.0});
}

TEST_CASE("many calls from many threads are in flight at once", "[http-client]") {
  constexpr int kPeers = 5;
  auto peers = std::make_shared<Peers>(kPeers);
  LoopbackServer srv({}, [&](mcp::Server& s) { add_client_tools(s, peers); });
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(loopback_url(srv.port())), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  std::vector<std::string> together(kPeers);
  std::vector<std::string> echoes(40);
  std::vector<std::thread> threads;
  for (int i = 0; i < kPeers; ++i) {
    threads.emplace_back([&, i] {
      auto r = peer->client->call_tool("together", Json::object());
      together[i] = r.ok() ? first_text(r.value()) : r.error().message;
    });
  }
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 40; i += 4) {
        auto r = peer->client->call_tool("echo", {{"text", std::to_string(i)}});
        echoes[i] = r.ok() ? first_text(r.value()) : r.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& answer : together) CHECK(answer == "together");
  for (int i = 0; i < 40; ++i) CHECK(echoes[i] == "echo: " + std::to_string(i));
}

TEST_CASE("the session id and protocol version ride on every request; close sends DELETE",
          "[http-client]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port());
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(proxy.url()), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());
  REQUIRE(peer->client->call_tool("echo", {{"text", "x"}}).ok());
  const auto session = peer->transport->session_id();
  peer->transport->close();
  CHECK_FALSE(peer->transport->connected());

  const auto seen = proxy.seen();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].rpc_method() == "initialize");
  CHECK(seen[0].header("Mcp-Session-Id").empty());
  CHECK(seen[0].header("MCP-Protocol-Version").empty());
  CHECK(seen[1].rpc_method() == "notifications/initialized");
  CHECK(seen[1].status == 202);
  CHECK(seen[2].rpc_method() == "tools/call");
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(seen[i].method == "POST");
    CHECK(seen[i].header("Accept") == "application/json, text/event-stream");
    CHECK(seen[i].header("Content-Type") == "application/json");
  }
  for (std::size_t i = 1; i < 4; ++i) {
    CHECK(seen[i].header("Mcp-Session-Id") == session);
    CHECK(seen[i].header("MCP-Protocol-Version") == "2025-11-25");
  }
  CHECK(seen[3].method == "DELETE");
  CHECK(seen[3].status == 204);

  auto after = peer->client->call_tool("echo", {{"text", "late"}});
  REQUIRE_FALSE(after.ok());
  CHECK(contains(after.error().message, "closed"));
}

TEST_CASE("configured headers reach the server: a bearer token opens the door", "[http-client]") {
  mcp::HttpServerOptions server_options;
  server_options.bearer_token = "s3cret-token";
  LoopbackServer srv(server_options, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port());
  mcp::Executor executor{4};

  auto options = options_for(proxy.url());
  options.headers = {{"Authorization", "Bearer s3cret-token"},
                     {"x-goog-user-project", "my-project"}};
  auto peer = open_peer(options, executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());
  REQUIRE(peer->client->call_tool("echo", {{"text", "in"}}).ok());
  for (const auto& seen : proxy.seen()) {
    CHECK(seen.header("Authorization") == "Bearer s3cret-token");
    CHECK(seen.header("x-goog-user-project") == "my-project");
  }

  auto anonymous = open_peer(options_for(loopback_url(srv.port())), executor);
  REQUIRE(anonymous.ok());
  auto refused = anonymous->client->initialize();
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.error().message, "remote (http://127.0.0.1:"));
  CHECK(contains(refused.error().message, "HTTP 401"));
  CHECK(contains(refused.error().message, "Authorization header"));
  CHECK(refused.error().data.value("httpStatus", 0) == 401);
}

TEST_CASE("headers that cannot be sent are refused when opening", "[http-client]") {
  mcp::Executor executor{2};
  auto options = options_for("http://127.0.0.1:1/mcp");
  options.headers = {{"Authorization", "Bearer a\r\nX-Injected: 1"}};
  auto opened = mcp::HttpClientTransport::open(options, executor);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error().message, "header 'Authorization' has a line break"));

  auto bad_url = mcp::HttpClientTransport::open(options_for("ftp://example.com/mcp"), executor);
  REQUIRE_FALSE(bad_url.ok());
  CHECK(contains(bad_url.error().message, "unsupported scheme 'ftp'"));
}

TEST_CASE("a 404 on a known session re-initializes once and resends the request", "[http-client]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port());
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(proxy.url()), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());
  const auto first_session = peer->transport->session_id();

  proxy.forget(first_session);  // as a restarted server would
  auto result = peer->client->call_tool("echo", {{"text", "again"}});
  REQUIRE(result.ok());
  CHECK(first_text(result.value()) == "echo: again");
  const auto second_session = peer->transport->session_id();
  CHECK(second_session.size() == 64);
  CHECK(second_session != first_session);

  const auto seen = proxy.seen();
  const auto inits = with_rpc_method(seen, "initialize");
  REQUIRE(inits.size() == 2);
  CHECK(inits[1].header("Mcp-Session-Id").empty());
  CHECK(with_rpc_method(seen, "notifications/initialized").size() == 2);
  const auto calls = with_rpc_method(seen, "tools/call");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].status == 404);
  CHECK(calls[1].status == 200);
  CHECK(calls[1].header("Mcp-Session-Id") == second_session);
  CHECK(peer->transport->connected());
}

TEST_CASE("a 404 again right after re-initializing fails clearly and for good", "[http-client]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port());
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(proxy.url()), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  proxy.forget_all();
  auto result = peer->client->call_tool("echo", {{"text", "lost"}});
  REQUIRE_FALSE(result.ok());
  CHECK(contains(result.error().message,
                 "404 (session not found) again right after "
                 "re-initializing"));
  CHECK_FALSE(peer->transport->connected());
  auto later = peer->client->call_tool("echo", {{"text", "later"}});
  REQUIRE_FALSE(later.ok());
  CHECK(contains(later.error().message, "Connection closed"));
  CHECK(with_rpc_method(proxy.seen(), "initialize").size() == 2);
}

TEST_CASE("an HTTP error fails that call with the status and body; the next call works",
          "[http-client]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  RecordingProxy proxy(srv.port());
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(proxy.url()), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  proxy.fail_next(503, "upstream overloaded, retry later");
  auto failed = peer->client->call_tool("echo", {{"text", "x"}});
  REQUIRE_FALSE(failed.ok());
  CHECK(contains(failed.error().message, "HTTP 503"));
  CHECK(contains(failed.error().message, "upstream overloaded, retry later"));
  CHECK(failed.error().data.value("httpStatus", 0) == 503);

  auto next = peer->client->call_tool("echo", {{"text", "y"}});
  REQUIRE(next.ok());
  CHECK(first_text(next.value()) == "echo: y");
}

TEST_CASE("close() fails a call in flight and returns promptly", "[http-client]") {
  auto gate = std::make_shared<Gate>();
  LoopbackServer srv({}, [&](mcp::Server& s) { add_client_tools(s, nullptr, gate); });
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(loopback_url(srv.port())), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  std::string outcome;
  std::thread caller([&] {
    auto r = peer->client->call_tool("block", Json::object());
    outcome = r.ok() ? "answered: " + first_text(r.value()) : r.error().message;
  });
  REQUIRE(gate->wait_entered());
  const auto started = std::chrono::steady_clock::now();
  peer->transport->close();
  caller.join();
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(contains(outcome, "closed by the client"));
}

TEST_CASE("a call that times out is cancelled on the server; the connection stays usable",
          "[http-client]") {
  auto gate = std::make_shared<Gate>();
  LoopbackServer srv({}, [&](mcp::Server& s) { add_client_tools(s, nullptr, gate); });
  mcp::Executor executor{4};
  auto peer = open_peer(options_for(loopback_url(srv.port())), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  mcp::CallOptions call;
  call.timeout = 300ms;
  auto timed_out = peer->client->call_tool("block", Json::object(), call);
  REQUIRE_FALSE(timed_out.ok());
  CHECK(timed_out.error().code == mcp::jsonrpc::kRequestTimeout);
  CHECK(gate->wait_cancelled());  // notifications/cancelled reached the tool

  auto next = peer->client->call_tool("echo", {{"text", "still here"}});
  REQUIRE(next.ok());
  CHECK(first_text(next.value()) == "echo: still here");
}

TEST_CASE("a server that is not running is a clear error", "[http-client]") {
  int port = 0;
  {
    LoopbackServer gone;
    port = gone.port();
  }
  mcp::Executor executor{2};
  auto peer = open_peer(options_for(loopback_url(port)), executor);
  REQUIRE(peer.ok());
  auto init = peer->client->initialize(mcp::ClientInfo{}, 10s);
  REQUIRE_FALSE(init.ok());
  CHECK(contains(init.error().message, "remote (http://127.0.0.1:" + std::to_string(port)));
  CHECK(
      contains(init.error().message, "cannot connect to http://127.0.0.1:" + std::to_string(port)));
}
