#include "downstream/fake_downstream.hpp"
#include "tools/downstream/decode.hpp"

using namespace test;
using downstream::IocKind;

TEST_CASE("results decode the same from structuredContent and from text blocks", "[downstream]") {
  const bool structured = GENERATE(true, false);
  std::vector<std::string> flags = {"--profile", "all"};
  if (!structured) flags.push_back("--no-structured");
  Harness h(Json{{"all", fake_server(flags)}});
  auto ctx = h.ctx();
  auto found = h.siem->search(udm("principal.hostname = \"WKS03\""), "", ctx);
  REQUIRE(found.ok());
  REQUIRE(found->events.size() == 1);
  CHECK(found->events[0]["principal"]["hostname"] == "WKS03");
  auto entity = h.siem->lookup_entity("WKS03", 24, ctx);
  REQUIRE(entity.ok());
  CHECK(entity->rfind("Entity Summary for WKS03", 0) == 0);
  auto report = h.ti->report(IocKind::kUrl, "http://x.example/a", ctx);
  REQUIRE(report.ok());
  CHECK((*report)["id"] == "http://x.example/a");
  auto details = h.soar->get_case("101", ctx);  // "case_details:" with its trailing colon
  REQUIRE(details.ok());
  CHECK(details->summary.id == "101");
  CHECK(details->summary.priority == "PriorityMedium");
  CHECK(details->alerts.size() == 1);
}

TEST_CASE("GTI list tools decode one item per text block", "[downstream]") {
  Json raw{{"content", Json::array({{{"type", "text"}, {"text", "{\"id\": \"a\"}"}},
                                    {{"type", "text"}, {"text", "{\"id\": \"b\"}"}}})}};
  auto list = downstream::decode_tool_result(raw, downstream::Shape::kList);
  REQUIRE(list.ok());
  CHECK(list->value == Json::array({{{"id", "a"}}, {{"id", "b"}}}));
  auto empty =
      downstream::decode_tool_result({{"content", Json::array()}}, downstream::Shape::kList);
  REQUIRE(empty.ok());
  CHECK(empty->empty);
  CHECK(empty->value == Json::array());
}

TEST_CASE("known error texts and in-band errors are failures, not answers", "[downstream]") {
  Harness h(Json{{"all", fake_server({"--profile", "all"})}});
  auto ctx = h.ctx();
  auto unknown = h.siem->lookup_entity("unknown.example", 24, ctx);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == downstream::kNotFound);
  auto broken = h.siem->lookup_entity("broken.example", 24, ctx);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().code == downstream::kToolError);
  CHECK(contains(broken.error().message, "Error looking up entity: backend said no"));
  auto intel = h.siem->get_threat_intel("please fail", ctx);
  REQUIRE_FALSE(intel.ok());
  CHECK(intel.error().code == downstream::kToolError);
  auto ip = h.ti->report(IocKind::kIp, "unknown-198.51.100.1", ctx);
  REQUIRE_FALSE(ip.ok());
  CHECK(ip.error().code == downstream::kNotFound);
  CHECK(contains(ip.error().message, "could not be found"));
  CHECK(h.calls().back().outcome == "not_found");
}

TEST_CASE("in-band {\"error\"} from searches and reports is a tool error", "[downstream]") {
  Harness h(Json{{"all", fake_server({"--profile", "all", "--in-band-error"})}});
  auto ctx = h.ctx();
  auto found = h.siem->search(udm("x = 1"), "", ctx);
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().code == downstream::kToolError);
  CHECK(contains(found.error().message, "Error parsing date format"));
  CHECK(h.calls().size() == 1);  // not retried
  auto report = h.ti->report(IocKind::kDomain, "evil.example", ctx);
  REQUIRE_FALSE(report.ok());
  CHECK(report.error().code == downstream::kToolError);
  CHECK(contains(report.error().message, "An unexpected internal error occurred."));
}

TEST_CASE("search_security_events' events.error is a tool error", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--in-band-error", "--hide-tool",
                                         "search_udm"})}});
  auto r = h.siem->search(udm("x = 1"), "lateral movement", h.ctx());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kToolError);
  CHECK(contains(r.error().message, "Error translating query"));
}

TEST_CASE("isError is a tool error with the tool's text, not retried", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--is-error"})}});
  auto r = h.siem->search(udm("x = 1"), "", h.ctx());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kToolError);
  CHECK(contains(r.error().message, "Error executing tool search_udm: simulated"));
  REQUIRE(h.calls().size() == 1);
  CHECK(h.calls()[0].outcome == "tool_error");
}

TEST_CASE("empty SOAR content is the silent failure, never an empty success", "[downstream]") {
  Harness h(Json{{"soar", fake_server({"--profile", "soar", "--empty-content"})}});
  auto ctx = h.ctx();
  auto cases = h.soar->list_cases(ctx);
  REQUIRE_FALSE(cases.ok());
  CHECK(cases.error().code == downstream::kBadResponse);
  CHECK(contains(cases.error().message, "secops-soar returned nothing: the SOAR request failed"));
  auto posted = h.soar->post_comment("101", "note", "", ctx);
  REQUIRE_FALSE(posted.ok());
  CHECK(posted.error().code == downstream::kBadResponse);
}

TEST_CASE("list_cases reads a bare array and stops on a repeating page token", "[downstream]") {
  SECTION("bare array") {
    Harness h(Json{{"soar", fake_server({"--profile", "soar", "--cases-format", "array"})}});
    auto cases = h.soar->list_cases(h.ctx());
    REQUIRE(cases.ok());
    CHECK(cases->size() == 5);
    CHECK(h.calls().size() == 1);
  }
  SECTION("camelCase nextPageToken") {
    Harness h(Json{{"soar", fake_server({"--profile", "soar", "--cases-format", "camel"})}});
    auto cases = h.soar->list_cases(h.ctx());
    REQUIRE(cases.ok());
    CHECK(cases->size() == 5);
    CHECK(h.calls().size() == 3);
    CHECK(h.calls()[1].arguments["next_page_token"] == "p2");
  }
  SECTION("loop guard") {
    Harness h(Json{{"soar", fake_server({"--profile", "soar", "--page-token-loop"})}});
    auto cases = h.soar->list_cases(h.ctx());
    REQUIRE_FALSE(cases.ok());
    CHECK(cases.error().code == downstream::kBadResponse);
    CHECK(contains(cases.error().message, "repeated page token 'p2'"));
  }
}

TEST_CASE("429 RESOURCE_EXHAUSTED is retried with backoff until it succeeds", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--rate-limit", "2"})}});
  auto found = h.siem->search(udm("x = 1"), "", h.ctx());
  REQUIRE(found.ok());
  const auto calls = h.calls();
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].outcome == "tool_error");
  CHECK(contains(calls[0].detail, "RESOURCE_EXHAUSTED"));
  CHECK(calls[0].attempt == 1);
  CHECK(calls[1].attempt == 2);
  CHECK(calls[2].attempt == 3);
  CHECK(calls[2].outcome == "ok");
}

TEST_CASE("retries stop at max_attempts and at the deadline", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--rate-limit", "100"})}},
            {{"retry", {{"max_attempts", 3}, {"initial_backoff_ms", 1}, {"max_backoff_ms", 2}}}});
  auto r = h.siem->search(udm("x = 1"), "", h.ctx());
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error().message, "429"));
  CHECK(h.calls().size() == 3);
}

TEST_CASE("a hung call times out at the deadline and the server is sent notifications/cancelled",
          "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--hang-tool", "search_udm"})}});
  REQUIRE(h.siem->lookup_entity("warm", 24, h.ctx()).ok());  // started
  auto r = h.siem->search(udm("x = 1"), "", h.ctx(400ms));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kTimeout);
  CHECK(h.calls().back().outcome == "timeout");
  auto route = h.pool->resolve(downstream::operation("search"), h.ctx());
  REQUIRE(route.ok());
  mcp::CallOptions options;
  options.timeout = 10s;
  auto stats = route->live->client->call_tool("stats", {{"wait_cancelled", 1}}, options);
  REQUIRE(stats.ok());
  CHECK((*stats)["structuredContent"]["result"]["cancelled"] == 1);
  CHECK(h.siem->lookup_entity("after", 24, h.ctx()).ok());  // the connection survives
}

TEST_CASE("a stop token cancels a call in flight", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--hang-tool", "search_udm"})}});
  std::stop_source stop;
  auto ctx = h.ctx();
  ctx.stop = stop.get_token();
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);  // let the call reach the server
    stop.request_stop();
  });
  auto r = h.siem->search(udm("x = 1"), "", ctx);
  stopper.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kCancelled);
}
