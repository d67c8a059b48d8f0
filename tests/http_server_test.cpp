// The Streamable HTTP server transport over loopback: handshake, JSON and
// SSE answers, the GET stream, sessions, sampling, cancellation, concurrency.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>

#include "support/http_loopback.hpp"

using lmhunt::test::body_json;
using lmhunt::test::call_tool;
using lmhunt::test::LoopbackServer;
using lmhunt::test::make_tool;
using lmhunt::test::McpHttp;
using lmhunt::test::parse_sse;
using lmhunt::test::request;
using lmhunt::test::SseParser;
using mcp::Json;

namespace {

// add_test_tools registers "progress" (reports 0, 50, 100 of 100, then
// answers) and "sample" (asks the client's model through sampling).
void add_test_tools(mcp::Server& server) {
  auto progress = make_tool("progress", "reports progress three times");
  REQUIRE(server.add_tool(progress,
                          [](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                            for (double p : {0.0, 50.0, 100.0})
                              ctx.report_progress(p, 100.0, "step");
                            return mcp::ToolResult::text("progress done");
                          }));
  auto sample = make_tool("sample", "asks the client's model");
  REQUIRE(server.add_tool(
      sample, [](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
        auto answer = ctx.create_message(
            {{"messages", {{{"role", "user"}, {"content", {{"type", "text"}, {"text", "hi?"}}}}}},
             {"maxTokens", 100}});
        if (!answer) return answer.error();
        return mcp::ToolResult::text("LLM said: " +
                                     answer.value()["content"]["text"].get<std::string>());
      }));
}

}  // namespace

TEST_CASE("initialize answers JSON with a session id and the handshake completes", "[http]") {
  LoopbackServer srv({}, add_test_tools);
  McpHttp c(srv.port());
  auto init = c.initialize();
  REQUIRE(init);
  CHECK(init->status == 200);
  CHECK(init->get_header_value("Content-Type") == "application/json");
  const auto id = init->get_header_value("Mcp-Session-Id");
  CHECK(id.size() == 64);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(body_json(init)["result"]["protocolVersion"] == "2025-11-25");

  auto initialized = c.post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  REQUIRE(initialized);
  CHECK(initialized->status == 202);
  CHECK(initialized->body.empty());

  auto tools = c.post(request(1, "tools/list"));
  REQUIRE(tools);
  CHECK(tools->status == 200);
  CHECK(tools->get_header_value("Content-Type") == "application/json");
  CHECK(body_json(tools)["result"]["tools"].size() == 2);

  McpHttp other(srv.port());
  REQUIRE(other.initialize()->status == 200);
  CHECK(other.session != c.session);
}

TEST_CASE("a tool that reports progress is answered as an SSE stream", "[http]") {
  LoopbackServer srv({}, add_test_tools);
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);

  auto res = c.post(call_tool(5, "progress", true));
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/event-stream");
  CHECK(res->get_header_value("X-Accel-Buffering") == "no");
  CHECK(res->get_header_value("Cache-Control") == "no-cache");
  auto events = parse_sse(res->body);
  REQUIRE(events.size() == 5);
  CHECK(events[0].has_id);  // priming: an id and empty data
  CHECK(events[0].data.empty());
  for (int i = 1; i <= 3; ++i) {
    CHECK(events[i].event == "message");
    CHECK(events[i].has_id);
    auto note = Json::parse(events[i].data);
    CHECK(note["method"] == "notifications/progress");
    CHECK(note["params"]["progressToken"] == "p-1");
    CHECK(note["params"]["progress"] == (i - 1) * 50);
  }
  auto result = Json::parse(events[4].data);
  CHECK(result["id"] == 5);
  CHECK(result["result"]["content"][0]["text"] == "progress done");
  CHECK(std::stoull(events[4].id) > std::stoull(events[0].id));
}

TEST_CASE("clients of protocol versions before 2025-11-25 get no priming event", "[http]") {
  LoopbackServer srv({}, add_test_tools);
  McpHttp c(srv.port());
  c.protocol_version = "2025-03-26";
  REQUIRE(c.initialize()->status == 200);
  auto res = c.post(call_tool(5, "progress", true));
  REQUIRE(res);
  auto events = parse_sse(res->body);
  REQUIRE(events.size() == 4);
  CHECK(Json::parse(events[0].data)["method"] == "notifications/progress");
}

TEST_CASE("a call that produces nothing for a while switches to SSE", "[http]") {
  mcp::HttpServerOptions options;
  options.sse_switch_after = std::chrono::milliseconds(1);
  std::latch release(1);
  LoopbackServer srv(options, [&](mcp::Server& server) {
    auto slow = make_tool("slow", "waits for the test");
    REQUIRE(
        server.add_tool(slow, [&](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
          release.wait();
          return mcp::ToolResult::text("finally");
        }));
  });
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  httplib::Request req;
  req.method = "POST";
  req.path = "/mcp";
  req.headers = c.headers();
  req.headers.emplace("Content-Type", "application/json");
  req.body = call_tool(9, "slow").dump();
  SseParser parser;
  Json result;
  req.response_handler = [&](const httplib::Response& r) {
    CHECK(r.get_header_value("Content-Type") == "text/event-stream");
    release.count_down();  // headers arrived before the tool finished
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    parser.feed({data, size});
    for (const auto& e : parser.take()) {
      if (!e.data.empty()) result = Json::parse(e.data);
    }
    return true;
  };
  auto res = c.raw().send(req);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(result["result"]["content"][0]["text"] == "finally");
}

TEST_CASE("a sampling request from a tool goes out on the POST's stream", "[http]") {
  LoopbackServer srv({}, add_test_tools);
  McpHttp c(srv.port());
  REQUIRE(c.initialize({{"sampling", Json::object()}})->status == 200);
  McpHttp answerer(srv.port());
  answerer.session = c.session;

  httplib::Request req;
  req.method = "POST";
  req.path = "/mcp";
  req.headers = c.headers();
  req.headers.emplace("Content-Type", "application/json");
  req.body = call_tool(11, "sample").dump();
  SseParser parser;
  Json sampling;
  Json result;
  int answer_status = 0;
  req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    parser.feed({data, size});
    for (const auto& e : parser.take()) {
      if (e.data.empty()) continue;
      auto message = Json::parse(e.data);
      if (message.value("method", "") == "sampling/createMessage") {
        sampling = message;
        auto answered = answerer.post({{"jsonrpc", "2.0"},
                                       {"id", message["id"]},
                                       {"result",
                                        {{"role", "assistant"},
                                         {"content", {{"type", "text"}, {"text", "hello"}}},
                                         {"model", "test-model"},
                                         {"stopReason", "endTurn"}}}});
        answer_status = answered ? answered->status : -1;
      } else if (message.value("id", Json()) == 11) {
        result = message;
      }
    }
    return true;
  };
  auto res = c.raw().send(req);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(sampling["params"]["maxTokens"] == 100);
  CHECK(answer_status == 202);
  CHECK(result["result"]["content"][0]["text"] == "LLM said: hello");
}

TEST_CASE("notifications/cancelled stops the tool and the POST ends without a response", "[http]") {
  mcp::HttpServerOptions options;
  options.sse_switch_after = std::chrono::minutes(1);  // still undecided when cancelled
  std::latch started(1);
  std::latch stopped(1);
  LoopbackServer srv(options, [&](mcp::Server& server) {
    auto block = make_tool("block", "runs until cancelled");
    REQUIRE(server.add_tool(
        block, [&](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
          started.count_down();
          std::mutex mu;
          std::condition_variable_any cv;
          std::unique_lock lock(mu);
          cv.wait(lock, ctx.stop_token(), [] { return false; });
          stopped.count_down();
          return mcp::ToolResult::text("stopped");
        }));
  });
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  int call_status = 0;
  std::string call_body = "unset";
  std::thread caller([&] {
    McpHttp same(srv.port());
    same.session = c.session;
    auto call = same.post(call_tool(21, "block"));
    call_status = call ? call->status : -1;
    if (call) call_body = call->body;
  });
  started.wait();
  auto cancel = c.post({{"jsonrpc", "2.0"},
                        {"method", "notifications/cancelled"},
                        {"params", {{"requestId", 21}, {"reason", "test"}}}});
  REQUIRE(cancel);
  CHECK(cancel->status == 202);
  stopped.wait();
  caller.join();
  CHECK(call_status == 202);
  CHECK(call_body.empty());
  // The session is still usable.
  CHECK(c.post(request(22, "ping"))->status == 200);
}

TEST_CASE("three concurrent POSTs on one session are all answered 200", "[http]") {
  LoopbackServer srv;
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  std::vector<int> statuses(3, 0);
  std::vector<std::thread> threads;
  threads.reserve(3);
  std::latch go(3);
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      McpHttp same(srv.port());
      same.session = c.session;
      same.protocol_version = "2025-03-26";  // as the conformance suite sends it
      go.arrive_and_wait();
      auto res = same.post(request(100 + i, "tools/list"));
      statuses[i] = res ? res->status : -1;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(statuses == std::vector<int>{200, 200, 200});
}
