#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "mcp/client.hpp"
#include "mcp/server.hpp"
#include "mcp/transport_memory.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

mcp::ServerOptions server_options(std::size_t page_size = 100) {
  mcp::ServerOptions o;
  o.info = {"test-server", "1.2.3", "Test Server"};
  o.instructions = "Use the tools.";
  o.page_size = page_size;
  return o;
}

mcp::Tool tool(const std::string& name) {
  mcp::Tool t;
  t.name = name;
  t.description = "test tool " + name;
  return t;
}

// Pair: a Client joined in memory to our own Server.
struct Pair {
  explicit Pair(mcp::ServerOptions options = server_options())
      : server(std::move(options)), server_session(server.connect(nullptr, executor, "server")) {
    mcp::LinkChannel::connect(rpc, server_session->rpc_ptr());
  }
  ~Pair() {
    rpc->close("test over");
    server_session->close("test over");
  }
  mcp::Executor executor{8};
  mcp::Server server;
  std::shared_ptr<mcp::ServerSession> server_session;
  std::shared_ptr<mcp::Session> rpc = std::make_shared<mcp::Session>("downstream", executor);
  mcp::Client client{rpc};
};

// FakePeer: a bare Session playing a server that answers initialize with
// `init`, for answers our own Server would never give.
struct FakePeer {
  explicit FakePeer(Json init) {
    peer->on_request("initialize",
                     [init](mcp::RequestContext&) -> mcp::Result<Json> { return init; });
    peer->on_notification("notifications/initialized", [this](const Json&) { ++initialized; });
    mcp::LinkChannel::connect(rpc, peer);
  }
  ~FakePeer() {
    rpc->close("test over");
    peer->close("test over");
  }
  mcp::Executor executor{4};
  std::shared_ptr<mcp::Session> peer = std::make_shared<mcp::Session>("fake", executor);
  std::shared_ptr<mcp::Session> rpc = std::make_shared<mcp::Session>("downstream", executor);
  mcp::Client client{rpc};
  std::atomic<int> initialized{0};
};

Json init_answer(const std::string& version) {
  return {{"protocolVersion", version},
          {"capabilities", {{"tools", Json::object()}}},
          {"serverInfo", {{"name", "fake"}, {"version", "0"}}}};
}

}  // namespace

TEST_CASE("initialize negotiates and records what the server said", "[client]") {
  Pair p;
  auto r = p.client.initialize({{"lmhunt", "0.1", "lmhunt"}, Json::object()}, 5s);
  REQUIRE(r.ok());
  CHECK(r->protocol_version == "2025-11-25");
  CHECK(r->server_info.name == "test-server");
  CHECK(r->server_info.version == "1.2.3");
  CHECK(r->instructions == "Use the tools.");
  CHECK(r->capabilities.contains("tools"));
  CHECK(p.client.initialized());
  CHECK(p.client.protocol_version() == "2025-11-25");
  CHECK(p.server_session->client_info()["name"] == "lmhunt");
}

TEST_CASE("initialize accepts every version we speak and refuses others by name", "[client]") {
  SECTION("supported answers") {
    const auto version =
        GENERATE(as<std::string>{}, "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
    FakePeer f(init_answer(version));
    auto r = f.client.initialize({}, 5s);
    REQUIRE(r.ok());
    CHECK(r->protocol_version == version);
    CHECK(r->server_info.name == "fake");
    CHECK(f.initialized == 1);
  }
  SECTION("unsupported answers") {
    const auto version = GENERATE(as<std::string>{}, "1999-01-01", "2026-07-28", "1.0");
    FakePeer f(init_answer(version));
    auto r = f.client.initialize({}, 5s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find('"' + version + '"') != std::string::npos);
    CHECK(r.error().data["received"] == version);
    CHECK(f.initialized == 0);
    CHECK_FALSE(f.client.initialized());
    auto call = f.client.call_tool("search_udm", Json::object());
    REQUIRE_FALSE(call.ok());
    CHECK(call.error().message.find("not initialized") != std::string::npos);
  }
  SECTION("an answer without a version") {
    FakePeer f(Json{{"capabilities", Json::object()}});
    auto r = f.client.initialize({}, 5s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("no protocolVersion") != std::string::npos);
  }
}

TEST_CASE("list_tools follows nextCursor across pages", "[client]") {
  Pair p(server_options(2));
  for (int i = 0; i < 5; ++i) {
    REQUIRE(p.server
                .add_tool(tool("t" + std::to_string(i)),
                          [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                            return mcp::ToolResult::text("ok");
                          })
                .ok());
  }
  REQUIRE(p.client.initialize({}, 5s).ok());
  auto tools = p.client.list_tools(5s);
  REQUIRE(tools.ok());
  REQUIRE(tools->size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK((*tools)[i].name == "t" + std::to_string(i));
    CHECK((*tools)[i].description == "test tool t" + std::to_string(i));
    CHECK((*tools)[i].input_schema["type"] == "object");
  }
}

TEST_CASE("list_tools refuses a repeated cursor and endless pages", "[client]") {
  FakePeer f(init_answer("2025-06-18"));
  std::atomic<int> pages{0};
  const bool repeat = GENERATE(true, false);
  f.peer->on_request("tools/list", [&](mcp::RequestContext&) -> mcp::Result<Json> {
    const int n = ++pages;
    return Json{{"tools", {{{"name", "t" + std::to_string(n)}}}},
                {"nextCursor", repeat ? std::string("same") : "c" + std::to_string(n)}};
  });
  REQUIRE(f.client.initialize({}, 5s).ok());
  auto tools = f.client.list_tools(5s);
  REQUIRE_FALSE(tools.ok());
  if (repeat) {
    CHECK(tools.error().message.find("repeated cursor \"same\"") != std::string::npos);
    CHECK(pages == 2);
  } else {
    CHECK(tools.error().message.find("more than 100 pages") != std::string::npos);
    CHECK(pages == static_cast<int>(mcp::kMaxListPages));
  }
}

TEST_CASE("call_tool returns the result, isError included, and routes progress", "[client]") {
  Pair p;
  REQUIRE(p.server
              .add_tool(tool("count"),
                        [](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                          for (int i = 1; i <= 3; ++i) ctx.report_progress(i, 3, "step");
                          return mcp::ToolResult::text("counted");
                        })
              .ok());
  REQUIRE(p.server
              .add_tool(tool("broken"),
                        [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                          return mcp::ToolResult::error("downstream said no");
                        })
              .ok());
  REQUIRE(p.client.initialize({}, 5s).ok());

  std::vector<double> progress;
  mcp::CallOptions options;
  options.timeout = 5s;
  options.on_progress = [&](const Json& params) { progress.push_back(params["progress"]); };
  auto r = p.client.call_tool("count", Json::object(), options);
  REQUIRE(r.ok());
  CHECK(r.value()["content"][0]["text"] == "counted");
  CHECK(progress == std::vector<double>{1, 2, 3});

  auto broken = p.client.call_tool("broken", nullptr);
  REQUIRE(broken.ok());
  CHECK(broken.value()["isError"] == true);
  CHECK(broken.value()["content"][0]["text"] == "downstream said no");

  auto unknown = p.client.call_tool("nope", Json::object());
  CHECK_FALSE(unknown.ok());
}

TEST_CASE("a call that times out or is stopped is cancelled at the server", "[client][cancel]") {
  Pair p;
  std::promise<void> saw_cancel;
  std::promise<void> started;
  REQUIRE(p.server
              .add_tool(tool("hang"),
                        [&](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                          started.set_value();
                          std::mutex m;
                          std::condition_variable_any cv;
                          std::unique_lock lock(m);
                          cv.wait(lock, ctx.stop_token(), [] { return false; });
                          saw_cancel.set_value();
                          return mcp::ToolResult::text("late");
                        })
              .ok());
  REQUIRE(p.client.initialize({}, 5s).ok());
  auto cancelled = saw_cancel.get_future();
  auto running = started.get_future();
  const bool by_timeout = GENERATE(true, false);
  mcp::CallOptions options;
  std::stop_source stop;
  std::thread stopper;
  if (by_timeout) {
    options.timeout = 300ms;
  } else {
    options.stop = stop.get_token();
    stopper = std::thread([&] {
      running.wait();  // a cancel that arrives before the handler runs skips it
      stop.request_stop();
    });
  }
  auto r = p.client.call_tool("hang", Json::object(), options);
  if (stopper.joinable()) stopper.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code ==
        (by_timeout ? mcp::jsonrpc::kRequestTimeout : mcp::jsonrpc::kConnectionClosed));
  CHECK(cancelled.wait_for(5s) == std::future_status::ready);
  CHECK(p.client.ping(5s).ok());
}

TEST_CASE("many threads call tools at once, each getting its own answer", "[client]") {
  Pair p;
  REQUIRE(p.server
              .add_tool(tool("square"),
                        [](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                          const int x = args.value("x", 0);
                          return mcp::ToolResult::text(std::to_string(x * x));
                        })
              .ok());
  REQUIRE(p.client.initialize({}, 5s).ok());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const int x = t * 100 + i;
        auto r = p.client.call_tool("square", {{"x", x}});
        if (!r.ok() || r.value()["content"][0]["text"] != std::to_string(x * x)) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("the client answers the server's ping and refuses other requests", "[client]") {
  Pair p;
  REQUIRE(p.client.initialize({}, 5s).ok());
  CHECK(p.server_session->ping(5s).ok());
  auto roots = p.server_session->rpc().call("roots/list", Json::object());
  REQUIRE_FALSE(roots.ok());
  CHECK(roots.error().code == mcp::jsonrpc::kMethodNotFound);
  p.server_session->log(mcp::LogLevel::kWarning, "test", "a downstream log line");
  CHECK(p.client.ping(5s).ok());
}
