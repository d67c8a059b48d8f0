#include <thread>

#include "downstream/fake_downstream.hpp"
#include "tools/downstream/connections.hpp"

using namespace test;
using downstream::IocKind;

TEST_CASE("each operation is found by its local tool name across three servers", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops"})},
                 {"gti", fake_server({"--profile", "gti"})},
                 {"soar", fake_server({"--profile", "soar"})}});
  auto ctx = h.ctx();
  CHECK(h.state("secops") == "not_started");  // lazy

  auto found = h.siem->search(udm("metadata.event_type = \"PROCESS_LAUNCH\"", 3), "", ctx);
  REQUIRE(found.ok());
  CHECK(found->tool == "search_udm");
  CHECK(found->udm_query == "metadata.event_type = \"PROCESS_LAUNCH\"");
  REQUIRE(found->events.size() == 3);
  CHECK(found->more_data_available);
  CHECK(found->events[0]["metadata"]["event_timestamp"] <
        found->events[2]["metadata"]["event_timestamp"]);
  const auto first = h.calls().front();
  CHECK(first.server == "secops");
  CHECK(first.tool == "search_udm");
  CHECK(first.arguments["max_events"] == 3);  // always sent
  CHECK(first.arguments["hours_back"] == 72);
  CHECK(first.outcome == "ok");
  CHECK(first.detail == "3 events (more available)");
  CHECK(first.response_bytes > 0);

  auto entity = h.siem->lookup_entity("WKS01", 168, ctx);
  REQUIRE(entity.ok());
  CHECK(contains(*entity, "Entity Summary for WKS01"));
  CHECK(contains(*entity, "hours_back: 168"));
  auto intel = h.siem->get_threat_intel("Explain T1047", ctx);
  REQUIRE(intel.ok());
  CHECK(*intel == "Answer about: Explain T1047");
  auto iocs = h.siem->get_ioc_matches(72, 5, ctx);
  REQUIRE(iocs.ok());
  CHECK(contains(*iocs, "max_matches: 5"));

  auto report = h.ti->report(IocKind::kIp, "203.0.113.66", ctx);
  REQUIRE(report.ok());
  CHECK((*report)["attributes"]["last_analysis_stats"]["malicious"] == 3);
  auto file = h.ti->report(IocKind::kFile, "abc123", ctx);
  REQUIRE(file.ok());
  CHECK((*file)["type"] == "hash");

  auto cases = h.soar->list_cases(ctx);
  REQUIRE(cases.ok());
  CHECK(cases->size() == 5);  // three pages of two
  CHECK((*cases)[0].id == "101");
  CHECK((*cases)[0].status == "Opened");
  CHECK((*cases)[1].status == "Closed");

  CHECK(h.state("secops") == "ready");
  CHECK(h.health("gti").roles == std::vector<std::string>{"threat_intel"});
  CHECK(h.health("soar").roles == std::vector<std::string>{"soar"});
  CHECK(h.health("secops").roles == std::vector<std::string>{"siem"});
}

TEST_CASE("Google's remote names are used with project, customer and region on every call",
          "[downstream]") {
  Harness h(
      {{"remote", fake_server({"--profile", "remote"}, {{"env", Json::object()}})}},
      {{"servers", {{"remote", {{"project_id", "p1"}, {"customer_id", "c1"}, {"region", "eu"}}}}}});
  auto ctx = h.ctx();
  auto found = h.siem->search(udm("principal.hostname = \"WKS02\"", 10), "", ctx);
  REQUIRE(found.ok());
  CHECK(found->tool == "udm_search");
  REQUIRE(found->events.size() == 1);
  auto call = h.calls().back();
  CHECK(call.tool == "udm_search");
  CHECK(call.arguments["limit"] == 10);  // the remote schema's name for max_events
  CHECK(call.arguments.contains("start_time"));
  CHECK(call.arguments.contains("end_time"));
  CHECK(call.arguments["project_id"] == "p1");
  CHECK(call.arguments["customer_id"] == "c1");
  CHECK(call.arguments["region"] == "eu");

  auto entity = h.siem->lookup_entity("WKS02", 24, ctx);
  REQUIRE(entity.ok());
  CHECK(contains(*entity, "Remote summary for WKS02"));
  CHECK(h.calls().back().tool == "summarize_entity");

  auto cases = h.soar->list_cases(ctx);
  REQUIRE(cases.ok());
  CHECK(cases->size() == 5);  // nextPageToken followed
  auto detail = h.soar->get_case("103", ctx);
  REQUIRE(detail.ok());
  CHECK(detail->summary.id == "103");
  CHECK(detail->alerts.size() == 1);  // from list_case_alerts
  REQUIRE(h.soar->post_comment("103", "remote note lmhunt hunt R1", "lmhunt hunt R1", ctx).ok());
  auto back = h.soar->get_case("103", ctx);
  REQUIRE(back.ok());
  REQUIRE(back->comments.size() == 1);
  CHECK(back->comments[0]["comment"] == "remote note lmhunt hunt R1");
  REQUIRE(h.soar->change_priority("103", "PriorityHigh", ctx).ok());
  CHECK(h.soar->get_case("103", ctx)->summary.priority == "PriorityHigh");
  CHECK(h.soar->can_create_case());
  auto created = h.soar->create_case("Lateral movement", "PsExec fan-out", "PriorityHigh",
                                     "lmhunt hunt R1", ctx);
  REQUIRE(created.ok());
  CHECK(*created == "106");
  CHECK(h.calls().back().arguments["description"] == "PsExec fan-out\n\nlmhunt hunt R1");
}

TEST_CASE("a remote server without project and customer ids is refused", "[downstream]") {
  Harness h(Json{{"remote", fake_server({"--profile", "remote"}, {{"env", Json::object()}})}});
  auto r = h.siem->search(udm("x = 1"), "", h.ctx());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kRefused);
  CHECK(h.state("remote") == "refused");
  CHECK(contains(h.health("remote").detail, "needs project_id, customer_id and region"));
}

TEST_CASE("a secops-mcp found by its tools without CHRONICLE ids is refused", "[downstream]") {
  Harness h(Json{{"siem", fake_server({"--profile", "secops"}, {{"env", Json::object()}})}});
  auto r = h.siem->lookup_entity("WKS01", 24, h.ctx());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kRefused);
  CHECK(h.state("siem") == "refused");
  CHECK(h.calls().empty());
}

TEST_CASE("routes in the config override discovery", "[downstream]") {
  SECTION("by operation") {
    Harness h(
        {{"a", fake_server({"--profile", "secops"})}, {"b", fake_server({"--profile", "secops"})}},
        {{"routes", {{"search", "b"}}}});
    auto ctx = h.ctx();
    REQUIRE(h.siem->search(udm("x = 1"), "", ctx).ok());
    REQUIRE(h.siem->lookup_entity("h", 24, ctx).ok());
    CHECK(h.calls()[0].server == "b");
    CHECK(h.calls()[1].server == "a");  // discovery: first in config order
  }
  SECTION("a route to a server without the tool is not configured, never guessed") {
    Harness h(Json{{"secops", fake_server({"--profile", "secops"})},
                   {"gti", fake_server({"--profile", "gti"})}},
              {{"routes", {{"siem", "gti"}}}});
    auto r = h.siem->lookup_entity("h", 24, h.ctx());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == downstream::kNotConfigured);
    CHECK(contains(r.error().message, "gti offers none of lookup_entity, summarize_entity"));
  }
}

TEST_CASE("a missing capability is kNotConfigured", "[downstream]") {
  Harness h(Json{{"gti", fake_server({"--profile", "gti"})}});
  auto ctx = h.ctx();
  auto cases = h.soar->list_cases(ctx);
  REQUIRE_FALSE(cases.ok());
  CHECK(cases.error().code == downstream::kNotConfigured);
  CHECK_FALSE(h.soar->can_create_case());
  auto created = h.soar->create_case("t", "d", "PriorityHigh", "m", ctx);
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().code == downstream::kNotConfigured);
}

TEST_CASE("without a raw UDM tool the search falls back to natural language", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--hide-tool", "search_udm"})}});
  auto ctx = h.ctx();
  auto found = h.siem->search(udm("principal.hostname = \"WKS04\""), "WKS04", ctx);
  REQUIRE(found.ok());
  CHECK(found->tool == "search_security_events");
  CHECK(found->udm_query == "principal.hostname = \"WKS04\"");
  CHECK(found->events.size() == 1);
  CHECK(h.calls().back().arguments["text"] == "WKS04");
  CHECK(h.calls().back().arguments["max_events"] == 100);
  auto none = h.siem->search(udm("x = 1"), "", ctx);  // no text to fall back with
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == downstream::kNotConfigured);
}

TEST_CASE("Connections start lazily, share one connection and drop facades nobody serves",
          "[downstream]") {
  auto config =
      downstream::parse_config({{"mcpServers",
                                 {{"gti", fake_server({"--profile", "gti", "--latency-ms", "20"})},
                                  {"off", {{"command", "/nonexistent"}, {"disabled", true}}}}}},
                               "test");
  REQUIRE(config.ok());
  mcp::Executor executor{32};
  downstream::Connections connections(*config, executor);
  auto before = connections.downstream();
  REQUIRE(before.threat_intel);
  REQUIRE(before.siem);  // unknown until discovery
  CHECK(before.health()[1].state == "disabled");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      downstream::CallContext ctx;
      ctx.deadline = downstream::Clock::now() + 20s;
      ok += before.threat_intel->report(IocKind::kDomain, "d" + std::to_string(i) + ".example", ctx)
                .ok();
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 6);
  CHECK(connections.health()[0].state == "ready");
  CHECK(connections.health()[0].detail == "8 tools");  // one start, never restarted (5 + 3 probes)
  auto after = connections.downstream();
  CHECK(after.threat_intel);
  CHECK_FALSE(after.siem);
  CHECK_FALSE(after.soar);
}
