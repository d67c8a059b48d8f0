// hunt_tool_test.cpp — the hunt's MCP surface through a real mcp::Server and client Session
// joined in memory: tools/list, tools/call, progress, get_hunt_result, resources, the prompt.
#include <catch2/catch.hpp>

#include "mcp/schema.hpp"
#include "support/fake_downstream.hpp"
#include "support/hunt_fixture.hpp"
#include "support/server_harness.hpp"
#include "tools/hunt/hunt_tool.hpp"

using mcp::Json;
using test::Rig;

namespace {

struct HuntServer {
  explicit HuntServer(Rig& rig) : jobs(rig.env()) {
    REQUIRE(hunt::register_hunt_tools(harness.server, jobs));
    REQUIRE(harness.initialize());
  }
  Json call(const std::string& tool, Json arguments) {
    auto r = harness.call_tool(tool, std::move(arguments));
    REQUIRE(r);
    return r.value();
  }
  Json tool(const std::string& name) {
    auto listed = harness.client->call("tools/list", Json::object());
    REQUIRE(listed);
    for (const auto& t : listed.value()["tools"]) {
      if (t["name"] == name) return t;
    }
    FAIL("tool " << name << " not listed");
    return {};
  }

  hunt::HuntJobs jobs;
  test::ServerHarness harness;  // destroyed first: sessions end before the jobs
};

void check_conforms(const Json& schema, const Json& structured) {
  auto compiled = mcp::JsonSchema::compile(schema);
  REQUIRE(compiled);
  auto problem = compiled->validate(structured);
  INFO(problem.value_or(""));
  CHECK_FALSE(problem);
}

}  // namespace

TEST_CASE("tools/list shows both hunt tools with their schemas and honest annotations",
          "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  const Json hunt = s.tool("lateral_movement_hunt");
  CHECK(hunt["inputSchema"]["properties"].contains("time_frame_hours"));
  CHECK(hunt["inputSchema"]["properties"].contains("target_scope_query"));
  CHECK(hunt["inputSchema"]["properties"].contains("hunt_hypothesis"));
  CHECK(hunt["outputSchema"]["type"] == "object");
  CHECK(hunt["annotations"]["readOnlyHint"] == false);
  CHECK(hunt["annotations"]["destructiveHint"] == false);
  CHECK(hunt["annotations"]["idempotentHint"] == false);
  CHECK(hunt["annotations"]["openWorldHint"] == true);
  CHECK(hunt["description"].get<std::string>().find("get_hunt_result") != std::string::npos);
  const Json poll = s.tool("get_hunt_result");
  CHECK(poll["inputSchema"]["required"] == Json::array({"hunt_id"}));
  CHECK(poll["outputSchema"] == hunt["outputSchema"]);
}

TEST_CASE("a hunt through tools/call returns the report and conforming structuredContent",
          "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  const Json result = s.call("lateral_movement_hunt", {{"case_id", "42"}});
  CHECK(result.value("isError", false) == false);
  REQUIRE(result["content"].size() >= 1);
  CHECK(result["content"][0]["type"] == "text");
  CHECK(result["content"][0]["text"].get<std::string>().find("WKS07") != std::string::npos);
  const Json& structured = result["structuredContent"];
  CHECK(structured["status"] == "completed");
  CHECK(structured["verdict"] == "confirmed");
  check_conforms(s.tool("lateral_movement_hunt")["outputSchema"], structured);
  CHECK(rig.soar->comments("42").size() == 1);
}

TEST_CASE("a dry run through tools/call conforms to the output schema and calls nothing",
          "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  const Json result = s.call("lateral_movement_hunt", {{"dry_run", true}});
  CHECK(result.value("isError", false) == false);
  CHECK(result["structuredContent"]["status"] == "planned");
  check_conforms(s.tool("lateral_movement_hunt")["outputSchema"], result["structuredContent"]);
  CHECK(rig.siem->calls().empty());
}

TEST_CASE("bad argument values come back as isError naming the argument", "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"time_frame_hours", 0}}, "time_frame_hours"},
      {{{"target_scope_query", ") OR (x = \"1\""}}, "target_scope_query"},
      {{{"target_scope_query", "principal.hostname CONTAINS \"a\""}}, "target_scope_query"},
      {{{"techniques", Json::array({"rdp"})}}, "techniques"},
      {{{"max_events_per_query", 20000}}, "max_events_per_query"},
      {{{"end_time", "2025-01-01T00:00:00Z"}}, "end_time"},
  };
  for (const auto& [arguments, name] : cases) {
    INFO(arguments.dump());
    const Json result = s.call("lateral_movement_hunt", arguments);
    CHECK(result["isError"] == true);
    CHECK(result["content"][0]["text"].get<std::string>().find(name) != std::string::npos);
  }
  CHECK(rig.siem->calls().empty());
}

TEST_CASE("progress notifications follow the steps when the call carries a progressToken",
          "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  std::mutex mu;
  std::vector<Json> progress;
  mcp::CallOptions options;
  options.on_progress = [&](const Json& params) {
    std::lock_guard lock(mu);
    progress.push_back(params);
  };
  auto r = s.harness.client->call(
      "tools/call", {{"name", "lateral_movement_hunt"}, {"arguments", Json::object()}}, options);
  REQUIRE(r);
  std::lock_guard lock(mu);
  REQUIRE(progress.size() >= 3);
  double last = -1;
  for (const auto& p : progress) {
    CHECK(p["progress"].get<double>() > last);
    last = p["progress"].get<double>();
    CHECK(p["total"] == 100);
  }
}

TEST_CASE("a running hunt's handle is completed by get_hunt_result and readable as resources",
          "[hunt][engine][tool]") {
  Rig rig;
  rig.siem->gated = true;
  HuntServer s(rig);
  const Json handle = s.call("lateral_movement_hunt", {{"wait_seconds", 0}});
  CHECK(handle.value("isError", false) == false);
  CHECK(handle["structuredContent"]["status"] == "running");
  const std::string id = handle["structuredContent"]["hunt_id"];
  CHECK(handle["content"][0]["text"].get<std::string>().find("get_hunt_result") !=
        std::string::npos);
  check_conforms(s.tool("lateral_movement_hunt")["outputSchema"], handle["structuredContent"]);

  rig.siem->open_gate();
  const Json final = s.call("get_hunt_result", {{"hunt_id", id}, {"wait_seconds", 30}});
  CHECK(final["structuredContent"]["status"] == "completed");
  CHECK(final["structuredContent"]["hunt_id"] == id);

  auto read = s.harness.client->call("resources/read", {{"uri", "lmhunt://hunts/" + id}});
  REQUIRE(read);
  REQUIRE(read.value()["contents"].size() == 2);
  CHECK(read.value()["contents"][0]["mimeType"] == "text/markdown");
  CHECK(Json::parse(read.value()["contents"][1]["text"].get<std::string>())["hunt_id"] == id);
  auto index = s.harness.client->call("resources/read", {{"uri", "lmhunt://hunts"}});
  REQUIRE(index);
  CHECK(index.value()["contents"][0]["text"].get<std::string>().find(id) != std::string::npos);

  const Json unknown = s.call("get_hunt_result", {{"hunt_id", "hunt-unknown"}});
  CHECK(unknown["isError"] == true);
}

TEST_CASE("the catalog resource and the runbook prompt are served", "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  auto catalog = s.harness.client->call("resources/read", {{"uri", "lmhunt://catalog"}});
  REQUIRE(catalog);
  const Json parsed = Json::parse(catalog.value()["contents"][0]["text"].get<std::string>());
  CHECK(hunt::parse_catalog(parsed));
  CHECK(parsed["detections"].size() == rig.catalog.size());

  auto prompts = s.harness.client->call("prompts/list", Json::object());
  REQUIRE(prompts);
  CHECK(prompts.value()["prompts"][0]["name"] == "lateral-movement-hunt");
  CHECK(prompts.value()["prompts"][0]["arguments"].size() == 3);
  auto prompt = s.harness.client->call(
      "prompts/get",
      {{"name", "lateral-movement-hunt"},
       {"arguments",
        {{"time_frame_hours", "24"}, {"target_scope_query", "principal.hostname = \"server1\""}}}});
  REQUIRE(prompt);
  const std::string text = prompt.value()["messages"][0]["content"]["text"];
  CHECK(text.find("\"time_frame_hours\":24") != std::string::npos);
  CHECK(text.find("server1") != std::string::npos);

  // A value the tool would refuse is refused here, naming the argument.
  const std::vector<std::pair<Json, std::string>> bad = {
      {{{"time_frame_hours", "abc"}}, "time_frame_hours: must be a whole number of hours"},
      {{{"time_frame_hours", "24h"}}, "time_frame_hours: must be a whole number of hours"},
      {{{"time_frame_hours", "0"}}, "time_frame_hours"},
      {{{"time_frame_hours", "9000"}}, "time_frame_hours"},
      {{{"target_scope_query", "principal.hostname CONTAINS \"x\""}}, "target_scope_query"},
  };
  for (const auto& [arguments, message] : bad) {
    INFO(arguments.dump());
    auto refused = s.harness.client->call(
        "prompts/get", {{"name", "lateral-movement-hunt"}, {"arguments", arguments}});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == mcp::jsonrpc::kInvalidParams);
    CHECK_THAT(refused.error().message, Catch::StartsWith(message));
  }
}

TEST_CASE("completion/complete offers prompt values that the prompt takes, and recent hunt ids",
          "[hunt][engine][tool]") {
  Rig rig;
  HuntServer s(rig);
  auto complete = [&](const Json& ref, const std::string& argument, const std::string& value) {
    auto r = s.harness.client->call(
        "completion/complete",
        {{"ref", ref}, {"argument", {{"name", argument}, {"value", value}}}});
    REQUIRE(r);
    return r.value()["completion"]["values"];
  };
  const Json prompt = {{"type", "ref/prompt"}, {"name", "lateral-movement-hunt"}};
  CHECK(complete(prompt, "time_frame_hours", "7") == Json{"72", "720"});
  CHECK(complete(prompt, "hunt_hypothesis", "wmi").size() == 1);
  CHECK(complete(prompt, "nonexistent", "").empty());
  CHECK(complete({{"type", "ref/prompt"}, {"name", "other"}}, "time_frame_hours", "").empty());
  // Every offered value is one the prompt accepts.
  for (const auto& argument : {"time_frame_hours", "target_scope_query", "hunt_hypothesis"}) {
    const Json values = complete(prompt, argument, "");
    CHECK_FALSE(values.empty());
    for (const auto& v : values) {
      INFO(argument << " = " << v.dump());
      auto got = s.harness.client->call(
          "prompts/get", {{"name", "lateral-movement-hunt"}, {"arguments", {{argument, v}}}});
      CHECK(got);
    }
  }
  const Json scopes = complete(prompt, "target_scope_query", "TARGET.");
  REQUIRE(scopes.size() == 1);  // case does not matter
  CHECK(scopes[0] == "target.hostname = \"FS01\"");

  // The hunt resource template completes with the ids of recent hunts.
  const Json hunts = {{"type", "ref/resource"}, {"uri", "lmhunt://hunts/{id}"}};
  CHECK(complete(hunts, "id", "").empty());
  const Json done = s.call("lateral_movement_hunt", Json::object());
  const std::string id = done["structuredContent"]["hunt_id"];
  CHECK(complete(hunts, "id", "") == Json{id});
  CHECK(complete(hunts, "id", id.substr(0, 6)) == Json{id});
  CHECK(complete(hunts, "id", "x").empty());
}

TEST_CASE("notifications/cancelled for the hunt's tools/call cancels the hunt",
          "[hunt][engine][tool][cancel]") {
  Rig rig;
  rig.siem->hang_searches = true;
  HuntServer s(rig);
  std::stop_source stop;
  mcp::CallOptions options;
  options.stop = stop.get_token();
  std::optional<mcp::Result<Json>> answer;
  std::jthread call([&] {
    answer = s.harness.client->call(
        "tools/call", {{"name", "lateral_movement_hunt"}, {"arguments", {{"wait_seconds", 60}}}},
        options);
  });
  REQUIRE(rig.siem->wait_started(1));
  stop.request_stop();  // the client gives up: it sends notifications/cancelled
  call.join();
  REQUIRE(answer);
  CHECK_FALSE(answer->ok());
  const auto hunts = s.jobs.list();
  REQUIRE(hunts.size() == 1);
  auto final = s.jobs.result(hunts[0].hunt_id, 30, {});
  REQUIRE(final);
  CHECK(final->status == "cancelled");
  for (const auto& q : final->queries) CHECK(q.status == "not_run");
}
