#include <catch2/catch.hpp>

#include "app/lmhunt_server.hpp"
#include "mcp/transport_memory.hpp"
#include "tools/udm/validate_udm_query.hpp"

using mcp::Json;

namespace {

struct Lmhunt {
  mcp::Executor executor{4};
  std::unique_ptr<mcp::Server> server;
  std::shared_ptr<mcp::ServerSession> session;
  std::shared_ptr<mcp::Session> client = std::make_shared<mcp::Session>("client", executor);

  Lmhunt() {
    auto made = app::make_lmhunt_server(nullptr);
    REQUIRE(made.ok());
    server = std::move(made.value().server);
    session = server->connect(nullptr, executor);
    mcp::LinkChannel::connect(client, session->rpc_ptr());
    REQUIRE(client
                ->call("initialize",
                       {{"protocolVersion", "2025-11-25"}, {"capabilities", Json::object()}})
                .ok());
  }
  ~Lmhunt() {
    client->close("done");
    session->close("done");
  }
  Json call(Json arguments) {
    auto r = client->call("tools/call",
                          {{"name", "validate_udm_query"}, {"arguments", std::move(arguments)}});
    REQUIRE(r.ok());
    return r.value();
  }
};

}  // namespace

TEST_CASE("lmhunt lists validate_udm_query with its schemas and honest annotations",
          "[tools][validate_udm_query]") {
  Lmhunt h;
  auto r = h.client->call("tools/list", {});
  REQUIRE(r.ok());
  const Json* tool = nullptr;
  for (const auto& t : r.value()["tools"]) {
    if (t["name"] == "validate_udm_query") tool = &t;
  }
  REQUIRE(tool);
  CHECK((*tool)["inputSchema"]["required"] == Json::array({"query"}));
  CHECK((*tool)["outputSchema"]["properties"].contains("canonical_query"));
  CHECK((*tool)["annotations"]["readOnlyHint"] == true);
  CHECK((*tool)["annotations"]["openWorldHint"] == false);
}

TEST_CASE("a valid query comes back in canonical form, and can be tested on an event",
          "[tools][validate_udm_query]") {
  Lmhunt h;
  auto r = h.call(
      {{"query",
        R"(metadata.event_type = "PROCESS_LAUNCH" principal.process.command_line = /wmic.*\/node:/ nocase)"},
       {"event",
        {{"metadata", {{"event_type", "PROCESS_LAUNCH"}}},
         {"principal",
          {{"process", {{"command_line", "WMIC /NODE:ws-07 process call create calc"}}}}}}}});
  CHECK_FALSE(r.contains("isError"));
  CHECK(r["structuredContent"]["valid"] == true);
  CHECK(r["structuredContent"]["matches_event"] == true);
  const auto canonical = r["structuredContent"]["canonical_query"].get<std::string>();
  CHECK_THAT(canonical, Catch::Contains(" AND "));
  CHECK_THAT(r["content"][0]["text"].get<std::string>(), Catch::Contains("Canonical form"));
}

TEST_CASE("an invalid query is explained with its position and a hint, not a tool error",
          "[tools][validate_udm_query]") {
  Lmhunt h;
  auto r = h.call({{"query", R"(target.process.file.full_path CONTAINS "PSEXESVC.exe")"}});
  CHECK_FALSE(r.contains("isError"));
  const Json& s = r["structuredContent"];
  CHECK(s["valid"] == false);
  CHECK(s["error"]["position"] == 30);
  CHECK_THAT(s["error"]["hint"].get<std::string>(), Catch::Contains("nocase"));
  CHECK_FALSE(s.contains("canonical_query"));
  CHECK_THAT(r["content"][0]["text"].get<std::string>(), Catch::Contains("byte 30"));
}

TEST_CASE("arguments that break the schema are tool errors naming the field",
          "[tools][validate_udm_query]") {
  Lmhunt h;
  for (const Json& args : {Json::object(), Json{{"query", ""}}, Json{{"query", 3}},
                           Json{{"query", "a = 1"}, {"event", "x"}}}) {
    INFO(args.dump());
    auto r = h.call(args);
    CHECK(r["isError"] == true);
  }
  auto long_query = h.call({{"query", std::string(10001, 'a')}});
  CHECK(long_query["isError"] == true);
  CHECK_THAT(long_query["content"][0]["text"].get<std::string>(), Catch::Contains("query"));
}
