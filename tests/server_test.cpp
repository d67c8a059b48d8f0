#include <catch2/catch.hpp>

#include "mcp/tool.hpp"
#include "support/server_harness.hpp"

using mcp::Json;
using test::ServerHarness;

namespace {

mcp::Tool echo_tool() {
  mcp::Tool t;
  t.name = "echo";
  t.description = "Echoes its text.";
  t.input_schema = Json::parse(R"({
    "type": "object",
    "properties": {"text": {"type": "string", "minLength": 1},
                   "times": {"type": "integer", "minimum": 1, "maximum": 3}},
    "required": ["text"],
    "additionalProperties": false})");
  return t;
}

void add_echo(mcp::Server& server) {
  REQUIRE(server
              .add_tool(echo_tool(),
                        [](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                          return mcp::ToolResult::text(args["text"].get<std::string>());
                        })
              .ok());
}

}  // namespace

TEST_CASE("initialize echoes every supported version and never answers newer than asked",
          "[server][lifecycle]") {
  const std::pair<std::string, std::string> rows[] = {
      {"2025-11-25", "2025-11-25"}, {"2025-06-18", "2025-06-18"}, {"2025-03-26", "2025-03-26"},
      {"2024-11-05", "2024-11-05"}, {"2026-07-28", "2025-11-25"}, {"2025-05-01", "2025-03-26"},
      {"2024-10-07", "2024-11-05"}, {"1.0.0", "2025-11-25"},
  };
  for (const auto& [asked, answered] : rows) {
    ServerHarness h;
    auto r = h.initialize(asked);
    INFO(asked);
    REQUIRE(r.ok());
    CHECK(r.value()["protocolVersion"] == answered);
  }
}

TEST_CASE("initialize returns identity, capabilities and instructions", "[server][lifecycle]") {
  ServerHarness h;
  auto r = h.initialize();
  REQUIRE(r.ok());
  CHECK(r.value()["serverInfo"]["name"] == "test-server");
  CHECK(r.value()["serverInfo"]["version"] == "1.2.3");
  CHECK(r.value()["instructions"] == "Use the tools.");
  const Json& caps = r.value()["capabilities"];
  CHECK(caps["tools"]["listChanged"] == true);
  CHECK(caps["resources"]["subscribe"] == true);
  CHECK(caps.contains("logging"));
  CHECK(caps.contains("completions"));
  CHECK(caps.contains("prompts"));
}

TEST_CASE("requests before initialize are refused except ping; a second initialize too",
          "[server][lifecycle]") {
  ServerHarness h;
  CHECK(h.client->call("ping", {}).ok());
  auto early = h.client->call("tools/list", {});
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == mcp::jsonrpc::kInvalidRequest);

  auto missing = h.client->call("initialize", {{"capabilities", Json::object()}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == mcp::jsonrpc::kInvalidParams);

  REQUIRE(h.initialize().ok());
  CHECK(h.client->call("tools/list", {}).ok());
  auto again = h.initialize();
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == mcp::jsonrpc::kInvalidRequest);
}

TEST_CASE("tools/list pages through every tool and refuses an unknown cursor", "[server][tools]") {
  auto options = ServerHarness::default_options();
  options.page_size = 2;
  ServerHarness h(options);
  for (int i = 0; i < 5; ++i) {
    auto t = echo_tool();
    t.name = "tool_" + std::to_string(i);
    REQUIRE(h.server
                .add_tool(t,
                          [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                            return mcp::ToolResult::text("x");
                          })
                .ok());
  }
  REQUIRE(h.initialize().ok());
  std::vector<std::string> names;
  Json params = Json::object();
  for (int page = 0; page < 10; ++page) {
    auto r = h.client->call("tools/list", params);
    REQUIRE(r.ok());
    for (const auto& t : r.value()["tools"]) names.push_back(t["name"]);
    if (!r.value().contains("nextCursor")) break;
    params = {{"cursor", r.value()["nextCursor"]}};
  }
  CHECK(names == std::vector<std::string>{"tool_0", "tool_1", "tool_2", "tool_3", "tool_4"});
  auto bad = h.client->call("tools/list", {{"cursor", "garbage"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("tools get names checked and schemas compiled when added", "[server][tools]") {
  mcp::Server server(ServerHarness::default_options());
  auto handler = [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
    return mcp::ToolResult::text("");
  };
  auto bad_name = echo_tool();
  bad_name.name = "has space";
  CHECK_FALSE(server.add_tool(bad_name, handler).ok());
  auto bad_schema = echo_tool();
  bad_schema.input_schema = "not a schema";
  CHECK_FALSE(server.add_tool(bad_schema, handler).ok());
  CHECK(server.add_tool(echo_tool(), handler).ok());
  CHECK_FALSE(server.add_tool(echo_tool(), handler).ok());  // duplicate
}

TEST_CASE(
    "tools/call: unknown tools are protocol errors, bad arguments are tool errors naming "
    "the field",
    "[server][tools]") {
  ServerHarness h;
  add_echo(h.server);
  REQUIRE(h.initialize().ok());

  auto ok = h.call_tool("echo", {{"text", "hi"}});
  REQUIRE(ok.ok());
  CHECK(ok.value()["content"][0]["text"] == "hi");
  CHECK_FALSE(ok.value().contains("isError"));

  auto unknown = h.call_tool("nope", Json::object());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == mcp::jsonrpc::kInvalidParams);
  CHECK(unknown.error().message == "Unknown tool: nope");

  struct Row {
    Json args;
    const char* mentions;
  };
  const Row rows[] = {
      {Json::object(), "text"},
      {{{"text", 5}}, "text"},
      {{{"text", ""}}, "text"},
      {{{"text", "a"}, {"times", 9}}, "times"},
      {{{"text", "a"}, {"extra", 1}}, "extra"},
      {"a string", "must be an object"},
  };
  for (const auto& row : rows) {
    INFO(row.args.dump());
    auto r = h.client->call("tools/call", {{"name", "echo"}, {"arguments", row.args}});
    REQUIRE(r.ok());
    CHECK(r.value()["isError"] == true);
    CHECK_THAT(r.value()["content"][0]["text"].get<std::string>(), Catch::Contains(row.mentions));
  }
  auto no_name = h.client->call("tools/call", {{"arguments", Json::object()}});
  REQUIRE_FALSE(no_name.ok());
  CHECK(no_name.error().code == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("a handler's error or exception becomes an isError result", "[server][tools]") {
  ServerHarness h;
  auto t = echo_tool();
  t.name = "fails";
  REQUIRE(h.server
              .add_tool(t,
                        [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                          return mcp::Error{0, "downstream SIEM unreachable"};
                        })
              .ok());
  t.name = "throws";
  REQUIRE(h.server
              .add_tool(t,
                        [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                          throw std::runtime_error("secret detail");
                        })
              .ok());
  REQUIRE(h.initialize().ok());
  auto failed = h.call_tool("fails", {{"text", "x"}});
  REQUIRE(failed.ok());
  CHECK(failed.value()["isError"] == true);
  CHECK(failed.value()["content"][0]["text"] == "downstream SIEM unreachable");
  auto thrown = h.call_tool("throws", {{"text", "x"}});
  REQUIRE(thrown.ok());
  CHECK(thrown.value()["isError"] == true);
  CHECK(thrown.value()["content"][0]["text"].get<std::string>().find("secret") ==
        std::string::npos);
}

namespace typed {
struct In {
  std::string text;
  int times = 1;
};
void from_json(const Json& j, In& in) {
  j.at("text").get_to(in.text);
  in.times = j.value("times", 1);
}
struct Out {
  std::string joined;
};
void to_json(Json& j, const Out& out) {
  j = {{"joined", out.joined}};
}
std::string tool_text(const Out& out) {
  return "Joined: " + out.joined;
}
}  // namespace typed

TEST_CASE("typed tools decode arguments and return structuredContent with a text block",
          "[server][tools]") {
  ServerHarness h;
  auto t = echo_tool();
  t.name = "join";
  t.output_schema = Json::parse(
      R"({"type":"object","properties":{"joined":{"type":"string"}},"required":["joined"]})");
  mcp::TypedToolHandler<typed::In, typed::Out> handler = [](const typed::In& in,
                                                            mcp::ToolContext&) {
    typed::Out out;
    for (int i = 0; i < in.times; ++i) out.joined += in.text;
    return mcp::Result<typed::Out>(out);
  };
  REQUIRE(mcp::add_tool(h.server, t, handler).ok());
  REQUIRE(h.initialize().ok());
  auto r = h.call_tool("join", {{"text", "ab"}, {"times", 3}});
  REQUIRE(r.ok());
  CHECK(r.value()["structuredContent"]["joined"] == "ababab");
  CHECK(r.value()["content"][0]["text"] == "Joined: ababab");
}

TEST_CASE("output that breaks the declared outputSchema is reported, not sent", "[server][tools]") {
  ServerHarness h;
  auto t = echo_tool();
  t.output_schema = Json::parse(R"({"type":"object","required":["count"]})");
  REQUIRE(h.server
              .add_tool(t,
                        [](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                          auto r = mcp::ToolResult::text("no structure");
                          return r;
                        })
              .ok());
  REQUIRE(h.initialize().ok());
  auto r = h.call_tool("echo", {{"text", "x"}});
  REQUIRE(r.ok());
  CHECK(r.value()["isError"] == true);
}

TEST_CASE("adding a tool tells initialized clients the list changed", "[server][tools]") {
  ServerHarness h;
  REQUIRE(h.initialize().ok());
  add_echo(h.server);
  CHECK(h.notes("notifications/tools/list_changed").size() == 1);
  CHECK(h.server.remove_tool("echo"));
  CHECK(h.notes("notifications/tools/list_changed").size() == 2);
}

TEST_CASE("logging honours the level the client set and sends string data", "[server][logging]") {
  ServerHarness h;
  auto t = echo_tool();
  REQUIRE(h.server
              .add_tool(t,
                        [](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                          ctx.log(mcp::LogLevel::kDebug, "debug line");
                          ctx.log(mcp::LogLevel::kWarning, "warning line");
                          return mcp::ToolResult::text("ok");
                        })
              .ok());
  REQUIRE(h.initialize().ok());
  auto bad = h.client->call("logging/setLevel", {{"level", "loud"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == mcp::jsonrpc::kInvalidParams);

  REQUIRE(h.client->call("logging/setLevel", {{"level", "warning"}}).ok());
  REQUIRE(h.call_tool("echo", {{"text", "x"}}).ok());
  auto logs = h.notes("notifications/message");
  REQUIRE(logs.size() == 1);
  CHECK(logs[0]["level"] == "warning");
  CHECK(logs[0]["data"] == "warning line");

  REQUIRE(h.client->call("logging/setLevel", {{"level", "debug"}}).ok());
  REQUIRE(h.call_tool("echo", {{"text", "x"}}).ok());
  CHECK(h.notes("notifications/message").size() == 3);
}

TEST_CASE("a tool may ask the client to sample only when the client declared sampling",
          "[server][sampling]") {
  auto add_sampler = [](mcp::Server& server) {
    auto t = echo_tool();
    t.name = "ask";
    REQUIRE(
        server
            .add_tool(
                t,
                [](const Json& args, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                  auto r = ctx.create_message(
                      {{"messages",
                        Json::array({{{"role", "user"},
                                      {"content", {{"type", "text"}, {"text", args["text"]}}}}})},
                       {"maxTokens", 100}});
                  if (!r) return r.error();
                  return mcp::ToolResult::text("LLM said: " +
                                               r.value()["content"]["text"].get<std::string>());
                })
            .ok());
  };
  {
    ServerHarness h;
    add_sampler(h.server);
    REQUIRE(h.initialize().ok());
    auto r = h.call_tool("ask", {{"text", "hi"}});
    REQUIRE(r.ok());
    CHECK(r.value()["isError"] == true);
    CHECK_THAT(r.value()["content"][0]["text"].get<std::string>(), Catch::Contains("sampling"));
  }
  {
    ServerHarness h;
    add_sampler(h.server);
    h.client->on_request("sampling/createMessage", [](mcp::RequestContext& r) -> mcp::Result<Json> {
      return Json{
          {"role", "assistant"},
          {"content",
           {{"type", "text"},
            {"text", "echo " + r.params()["messages"][0]["content"]["text"].get<std::string>()}}},
          {"model", "test"}};
    });
    REQUIRE(h.initialize("2025-11-25", {{"sampling", Json::object()}}).ok());
    auto r = h.call_tool("ask", {{"text", "hi"}});
    REQUIRE(r.ok());
    CHECK(r.value()["content"][0]["text"] == "LLM said: echo hi");
  }
}
