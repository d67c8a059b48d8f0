// runner_test.cpp — HuntRunner over in-memory fakes: plan, parallelism, honesty about what did
// not run, documentation exactly once, spooling, escalation, cancellation.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/fake_downstream.hpp"
#include "support/hunt_fixture.hpp"
#include "tools/hunt/report.hpp"
#include "tools/hunt/runner.hpp"

using mcp::Json;
using test::query;
using test::Rig;

TEST_CASE("a dry run lists every query and call it would make and calls nothing",
          "[hunt][engine][runner]") {
  Rig rig;
  auto result = rig.run(rig.args({{"dry_run", true}, {"case_id", "42"}}));
  CHECK(result.status == "planned");
  REQUIRE(result.queries.size() == rig.catalog.size());
  for (const auto& q : result.queries) {
    CHECK(q.status == "planned");
    CHECK_FALSE(q.query.empty());
  }
  std::size_t searches = 0;
  for (const auto& c : result.calls) {
    CHECK(c.outcome == "planned");
    searches += c.tool == "search_udm";
    if (c.tool == "search_udm") CHECK(c.arguments["hours_back"] == 72);
  }
  CHECK(searches == rig.catalog.size());
  CHECK(result.research.size() == 5);
  CHECK(result.documentation.status == "planned");
  CHECK(rig.siem->calls().empty());
  CHECK(rig.soar->calls().empty());
}

TEST_CASE("searches run in parallel without exceeding the concurrency bound",
          "[hunt][engine][runner]") {
  Rig rig;
  rig.settings.concurrency = 2;
  rig.siem->hold_until_in_flight = 2;  // the first two wait for each other: proves overlap
  auto result = rig.run(rig.args());
  CHECK(rig.siem->max_in_flight.load() == 2);
  CHECK(rig.siem->searches.size() >= rig.catalog.size());
  for (const auto& r : rig.siem->searches) CHECK(r.max_events == 200);
}

TEST_CASE("PsExec from a workstation to three servers is found, attributed and escalated",
          "[hunt][engine][runner]") {
  Rig rig;
  auto result = rig.run(rig.args({{"case_id", "42"}}));
  INFO(result.verdict_reason);
  CHECK(result.status == "completed");
  CHECK(query(result, "psexec_service_install")->status == "ok");
  CHECK(query(result, "psexec_service_install")->events == 3);
  CHECK(query(result, "wmi_provider_child")->status == "empty");
  REQUIRE_FALSE(result.findings.empty());
  std::string reasons;
  for (const auto& r : result.findings[0].reasons) reasons += r + "; ";
  INFO(reasons);
  CHECK(result.findings[0].source_host == "WKS07");
  CHECK(result.verdict == "confirmed");
  CHECK(result.documentation.status == "posted");
  CHECK(result.documentation.case_id == "42");
  CHECK(result.escalation.action == "priority_raised");
  CHECK(rig.soar->priority("42") == "PriorityHigh");
  CHECK(result.timings_ms.size() == hunt::hunt_steps().size());
  CHECK_FALSE(result.calls.empty());
  CHECK_FALSE(result.finished_at.empty());
}

TEST_CASE("a query that errors makes the result inconclusive and names it",
          "[hunt][engine][runner]") {
  Rig rig;
  rig.siem->events.clear();
  rig.siem->failing_queries = {"wmiprvse"};
  auto result = rig.run(rig.args());
  const auto* failed = query(result, "wmi_provider_child");
  REQUIRE(failed);
  CHECK(failed->status == "error");
  CHECK(failed->error.find("tool_error") != std::string::npos);
  CHECK(result.verdict == "inconclusive");
  CHECK(result.verdict_reason.find("wmi_provider_child") != std::string::npos);
  CHECK(result.status == "partial");
}

TEST_CASE("without a SIEM no detection runs: failed and inconclusive, never no findings",
          "[hunt][engine][runner]") {
  Rig rig;
  rig.with_siem = false;
  auto result = rig.run(rig.args());
  CHECK(result.status == "failed");
  CHECK(result.verdict == "inconclusive");
  for (const auto& q : result.queries) {
    CHECK(q.status == "not_run");
    CHECK(q.error.find("SIEM") != std::string::npos);
  }
  for (const auto& r : result.research) CHECK(r.outcome == "not_configured");
}

TEST_CASE("a research failure is noted and the hunt goes on; answers are cached across hunts",
          "[hunt][engine][runner]") {
  Rig rig;
  rig.siem->fail_research = true;
  auto failed = rig.run(rig.args({{"techniques", Json::array({"wmi"})}}));
  for (const auto& r : failed.research) CHECK(r.outcome == "unavailable");
  CHECK(failed.status == "partial");
  CHECK(query(failed, "wmi_provider_child")->status == "empty");

  rig.siem->fail_research = false;
  auto first = rig.run(rig.args({{"techniques", Json::array({"wmi"})}}));
  const auto asked = rig.siem->count("get_threat_intel");
  auto second = rig.run(rig.args({{"techniques", Json::array({"wmi"})}}));
  CHECK(rig.siem->count("get_threat_intel") == asked);
  REQUIRE(second.research.size() == 3);
  for (const auto& r : first.research) CHECK(r.outcome == "ok");
  for (const auto& r : second.research) CHECK(r.outcome == "cached");
}

TEST_CASE("the comment is posted exactly once per hunt id, even when documentation re-runs",
          "[hunt][engine][runner]") {
  Rig rig;
  const std::string id = hunt::new_hunt_id();
  auto first = rig.run(rig.args({{"case_id", "42"}}), id);
  auto again = rig.run(rig.args({{"case_id", "42"}}), id);
  CHECK(first.documentation.status == "posted");
  CHECK(again.documentation.status == "already_posted");
  const auto comments = rig.soar->comments("42");
  REQUIRE(comments.size() == 1);
  CHECK(comments[0].find(hunt::comment_marker(id)) != std::string::npos);
  CHECK(rig.soar->count("post_case_comment") == 1);
}

TEST_CASE("when posting fails the comment is spooled to a file and the report says where",
          "[hunt][engine][runner]") {
  Rig rig;
  rig.soar->fail_post = true;
  const std::string id = hunt::new_hunt_id();
  auto result = rig.run(rig.args({{"case_id", "42"}}), id);
  CHECK(result.documentation.status == "failed");
  REQUIRE_FALSE(result.documentation.spool_path.empty());
  CHECK(result.documentation.detail.find(result.documentation.spool_path) != std::string::npos);
  std::ifstream in(result.documentation.spool_path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find(hunt::comment_marker(id)) != std::string::npos);
  CHECK(result.status == "partial");
  std::filesystem::remove_all(Rig::spool_dir());
}

TEST_CASE("without a case id the comment goes to the related open case naming a suspect host",
          "[hunt][engine][runner]") {
  Rig rig;
  rig.soar->add_case("7", "Suspicious service on srv02.corp.local", "EDR alert", "Opened");
  rig.soar->add_case("8", "Old SRV02 incident", "", "Closed");
  rig.soar->add_case("9", "SRV020 patching", "", "Opened");
  auto result = rig.run(rig.args());
  REQUIRE_FALSE(result.related_cases.empty());
  CHECK(result.related_cases[0].id == "7");
  CHECK(result.related_cases[0].confirmed);
  CHECK(result.related_cases.size() == 1);
  CHECK(result.documentation.case_source == "related");
  CHECK(result.documentation.case_id == "7");
  CHECK(rig.soar->comments("7").size() == 1);
}

TEST_CASE("confirmed movement with no case to escalate asks a person, or creates a case",
          "[hunt][engine][runner]") {
  Rig rig;
  auto manual = rig.run(rig.args());
  REQUIRE(manual.verdict == "confirmed");
  CHECK(manual.escalation.action == "manual_required");
  CHECK(manual.escalation.reason.find("A person must") != std::string::npos);
  CHECK(manual.documentation.status == "skipped");

  rig.soar->creatable = true;
  auto created = rig.run(rig.args());
  CHECK(created.escalation.action == "case_created");
  CHECK(created.documentation.case_source == "created");
  CHECK(created.documentation.status == "posted");
  CHECK(rig.soar->priority(created.documentation.case_id) == "PriorityHigh");
  std::filesystem::remove_all(Rig::spool_dir());
}

TEST_CASE("cancelling a hunt marks every unfinished query not_run: cancelled",
          "[hunt][engine][runner][cancel]") {
  Rig rig;
  rig.settings.concurrency = 2;
  rig.siem->hang_searches = true;
  hunt::HuntRunner runner(rig.env(), rig.args(), hunt::new_hunt_id());
  std::stop_source stop;
  hunt::HuntResult result;
  std::jthread hunt_thread([&] { result = runner.run(stop.get_token()); });
  REQUIRE(rig.siem->wait_started(2));
  CHECK(runner.snapshot().status == "running");
  stop.request_stop();
  hunt_thread.join();
  CHECK(result.status == "cancelled");
  CHECK(result.verdict == "inconclusive");
  for (const auto& q : result.queries) {
    CHECK(q.status == "not_run");
    CHECK(q.error == "cancelled");
  }
  CHECK(rig.siem->started_searches.load() == 2);
  CHECK(rig.soar->count("post_case_comment") == 0);
}
