// hunt_task_test.cpp — lateral_movement_hunt as an MCP task (execution.taskSupport "optional"):
// a task-aware client gets the final report through tasks/result, whatever wait_seconds says.
#include <catch2/catch.hpp>

#include "mcp/schema.hpp"
#include "support/fake_downstream.hpp"
#include "support/hunt_fixture.hpp"
#include "support/server_harness.hpp"
#include "tools/hunt/hunt_tool.hpp"

using mcp::Json;
using test::Rig;

namespace {

struct HuntTaskServer {
  explicit HuntTaskServer(Rig& rig) : jobs(rig.env()) {
    REQUIRE(hunt::register_hunt_tools(harness.server, jobs));
    auto init = harness.initialize();
    REQUIRE(init);
    capabilities = init.value()["capabilities"];
  }
  Json rpc(const std::string& method, Json params) {
    auto r = harness.client->call(method, std::move(params));
    REQUIRE(r);
    return r.value();
  }

  hunt::HuntJobs jobs;
  test::ServerHarness harness;  // destroyed first: sessions (and their tasks) end before the jobs
  Json capabilities;
};

}  // namespace

TEST_CASE("a hunt run as a task returns its final report through tasks/result",
          "[hunt][tool][tasks]") {
  Rig rig;
  rig.siem->gated = true;  // the hunt cannot finish before the test has seen it working
  HuntTaskServer s(rig);
  CHECK(s.capabilities["tasks"]["requests"]["tools"]["call"].is_object());
  Json hunt_tool;
  const Json listed = s.rpc("tools/list", Json::object());
  for (const auto& t : listed["tools"]) {
    if (t["name"] == "lateral_movement_hunt") hunt_tool = t;
  }
  CHECK(hunt_tool["execution"]["taskSupport"] == "optional");

  // wait_seconds 0 would return a "running" handle to a plain call; a task runs to the end.
  const Json created = s.rpc("tools/call", {{"name", "lateral_movement_hunt"},
                                            {"arguments", {{"case_id", "42"}, {"wait_seconds", 0}}},
                                            {"task", {{"ttl", 600000}}}});
  const std::string id = created["task"]["taskId"];
  CHECK(created["task"]["status"] == "working");
  REQUIRE(rig.siem->wait_started(1));
  CHECK(s.rpc("tasks/get", {{"taskId", id}})["status"] == "working");

  rig.siem->open_gate();
  const Json result = s.rpc("tasks/result", {{"taskId", id}});
  CHECK(result["_meta"]["io.modelcontextprotocol/related-task"]["taskId"] == id);
  CHECK(result.value("isError", false) == false);
  const Json& structured = result["structuredContent"];
  CHECK(structured["status"] == "completed");
  CHECK(structured["verdict"] == "confirmed");
  CHECK(result["content"][0]["text"].get<std::string>().find("WKS07") != std::string::npos);
  auto schema = mcp::JsonSchema::compile(hunt_tool["outputSchema"]);
  REQUIRE(schema);
  auto problem = schema->validate(structured);
  INFO(problem.value_or(""));
  CHECK_FALSE(problem);
  CHECK(s.rpc("tasks/get", {{"taskId", id}})["status"] == "completed");
}

TEST_CASE("tasks/cancel on a hunt's task cancels the hunt", "[hunt][tool][tasks]") {
  Rig rig;
  rig.siem->hang_searches = true;
  HuntTaskServer s(rig);
  const Json created = s.rpc(
      "tools/call",
      {{"name", "lateral_movement_hunt"}, {"arguments", Json::object()}, {"task", Json::object()}});
  const std::string id = created["task"]["taskId"];
  REQUIRE(rig.siem->wait_started(1));
  CHECK(s.rpc("tasks/cancel", {{"taskId", id}})["status"] == "cancelled");
  const auto hunts = s.jobs.list();
  REQUIRE(hunts.size() == 1);
  auto final = s.jobs.result(hunts[0].hunt_id, 30, {});
  REQUIRE(final);
  CHECK(final->status == "cancelled");
  CHECK(s.rpc("tasks/result", {{"taskId", id}})["isError"] == true);
}
