// mcp::Client over the legacy HTTP+SSE transport (type "sse") against our
// server's /sse endpoint, and the endpoint rules.
#include <catch2/catch.hpp>

#include "http_client_fixtures.hpp"

using lmhunt::test::add_client_tools;
using lmhunt::test::first_text;
using lmhunt::test::loopback_url;
using lmhunt::test::LoopbackServer;
using lmhunt::test::open_peer;
using mcp::Json;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

mcp::HttpClientOptions legacy_options(const std::string& url) {
  mcp::HttpClientOptions options;
  options.name = "legacy";
  options.url = url;
  options.legacy_sse = true;
  options.connect_timeout = 5s;
  options.read_timeout = 30s;
  return options;
}

// EndpointServer serves GET /sse with one endpoint event naming `endpoint`,
// then ends the stream.
class EndpointServer {
 public:
  explicit EndpointServer(std::string endpoint) : endpoint_(std::move(endpoint)) {
    server_.Get("/sse", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content("event: endpoint\ndata: " + endpoint_ + "\n\n", "text/event-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~EndpointServer() {
    while (!server_.is_running()) std::this_thread::yield();
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::string endpoint_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("a Client over legacy HTTP+SSE initializes, lists and calls through /sse",
          "[http-client][legacy]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  mcp::Executor executor{4};
  auto peer = open_peer(legacy_options(loopback_url(srv.port(), "/sse")), executor);
  REQUIRE(peer.ok());
  auto& client = *peer->client;

  auto init = client.initialize();
  REQUIRE(init.ok());
  CHECK(init->server_info.name == "lmhunt-test");
  auto tools = client.list_tools();
  REQUIRE(tools.ok());
  CHECK(tools->size() == 4);

  std::vector<double> progress;
  mcp::CallOptions call;
  call.on_progress = [&](const Json& params) {
    progress.push_back(params.value("progress", -1.0));
  };
  auto result = client.call_tool("progress", Json::object(), call);
  REQUIRE(result.ok());
  CHECK(first_text(result.value()) == "progress done");
  CHECK(progress == std::vector<double>{1.0, 2.0, 3.0});

  std::vector<std::string> answers(12);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 12; i += 3) {
        auto r = client.call_tool("echo", {{"text", std::to_string(i)}});
        answers[i] = r.ok() ? first_text(r.value()) : r.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < 12; ++i) CHECK(answers[i] == "echo: " + std::to_string(i));
  CHECK(peer->transport->connected());
}

TEST_CASE("the legacy stream dropping closes the session with the reason",
          "[http-client][legacy]") {
  LoopbackServer srv({}, [](mcp::Server& s) { add_client_tools(s); });
  mcp::Executor executor{4};
  auto peer = open_peer(legacy_options(loopback_url(srv.port(), "/sse")), executor);
  REQUIRE(peer.ok());
  REQUIRE(peer->client->initialize().ok());

  srv.stop();
  // The Session is closed by the stream thread; wait for it without sleeping blind.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (peer->transport->connected() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK_FALSE(peer->transport->connected());
  auto after = peer->client->call_tool("echo", {{"text", "x"}});
  REQUIRE_FALSE(after.ok());
  CHECK(contains(after.error().message, "Connection closed"));
}

TEST_CASE("a legacy endpoint on another origin is refused", "[http-client][legacy]") {
  EndpointServer elsewhere("http://localhost:1/messages?sessionId=abc");
  mcp::Executor executor{2};
  auto opened = mcp::HttpClientTransport::open(
      legacy_options(loopback_url(elsewhere.port(), "/sse")), executor);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error().message, "refused the endpoint http://localhost:1/messages"));
  CHECK(contains(opened.error().message, "not on the SSE URL's origin"));
}

TEST_CASE("a legacy SSE URL that is not a stream is a clear error", "[http-client][legacy]") {
  mcp::Executor executor{2};
  {
    LoopbackServer srv;
    auto opened = mcp::HttpClientTransport::open(
        legacy_options(loopback_url(srv.port(), "/no-such-stream")), executor);
    REQUIRE_FALSE(opened.ok());
    CHECK(contains(opened.error().message, "the SSE stream: HTTP 404"));
  }
}
