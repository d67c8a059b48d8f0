// Each lmhunt-sim tool's result shape against the real servers' (downstream-servers.md), through
// an in-process mcp::Server and a client Session (tests/support/server_harness.hpp).
#include <catch2/catch.hpp>

#include "sim/server/sim_server.hpp"
#include "sim/server/sim_tools.hpp"
#include "support/server_harness.hpp"

using mcp::Json;

namespace {

Json udm_event(const std::string& time, const std::string& type, const std::string& host,
               Json extra = Json::object()) {
  Json e = {{"metadata", {{"event_timestamp", time}, {"event_type", type}}},
            {"principal", {{"hostname", host}}}};
  e.merge_patch(extra);
  return e;
}

// World: a tiny enterprise — three events, two IOCs, one case — served by every tool.
struct World {
  World() {
    REQUIRE(events.add_udm(udm_event("2026-03-01T10:00:00Z", "SERVICE_CREATION", "SQL01.corp.local",
                                     {{"target", {{"application", "PSEXESVC"}}}})));
    REQUIRE(events.add_udm(
        udm_event("2026-03-01T10:00:01Z", "NETWORK_CONNECTION", "WKS-07.corp.local",
                  {{"principal", {{"ip", Json::array({"10.0.0.7"})}}},
                   {"target", {{"ip", Json::array({"185.220.101.47"})}, {"port", 445}}}})));
    REQUIRE(events.add_udm(udm_event("2026-03-01T11:00:00Z", "USER_LOGIN", "SQL01.corp.local",
                                     {{"target", {{"user", {{"userid", "jsmith"}}}}}})));
    events.finalize();
    REQUIRE(iocs.add_all(Json::parse(R"([
      {"type": "ip_address", "id": "185.220.101.47",
       "attributes": {"last_analysis_stats": {"malicious": 9, "harmless": 1}, "reputation": -20,
                      "last_analysis_results": {"x": {}}, "as_owner": ""}},
      {"type": "file", "id": "aa11", "attributes": {"md5": "bb22", "last_analysis_stats": {"malicious": 0}}}
    ])"))
                .ok());
    auto opened = sim::CaseStore::open(":memory:");
    REQUIRE(opened.ok());
    cases = std::move(opened.value());
    REQUIRE(cases
                ->seed_if_empty(Json::parse(R"([{"id": 5, "name": "PsExec on SQL01",
        "alerts": [{"id": "AL-1", "ruleName": "PsExec service install", "severity": "High",
                    "createdTime": "2026-03-01T10:00:05Z", "entity": "SQL01"},
                   {"id": "AL-2", "ruleName": "Old closed", "status": "CLOSED",
                    "createdTime": "2026-03-01T10:30:00Z"}]}])"),
                                "2026-03-01T12:00:00Z")
                .ok());
    ctx.events = &events;
    ctx.iocs = &iocs;
    ctx.cases = cases.get();
    ctx.clock = sim::SimClock(*sim::parse_time("2026-03-01T12:00:00Z"));
    REQUIRE(sim::add_secops_tools(harness.server, ctx, faults).ok());
    REQUIRE(sim::add_gti_tools(harness.server, ctx, faults).ok());
    REQUIRE(sim::add_soar_tools(harness.server, ctx, faults).ok());
    REQUIRE(harness.initialize("2025-06-18").ok());
  }

  Json call(const std::string& tool, Json args = Json::object()) {
    auto r = harness.call_tool(tool, std::move(args));
    REQUIRE(r.ok());
    return r.value();
  }
  // result is structuredContent.result, after checking the text block holds the same JSON.
  Json result(const std::string& tool, Json args = Json::object()) {
    Json r = call(tool, std::move(args));
    CHECK_FALSE(r.value("isError", false));
    REQUIRE(r["structuredContent"].contains("result"));
    REQUIRE(r["content"].size() == 1);
    const Json& result = r["structuredContent"]["result"];
    if (result.is_object())
      CHECK(Json::parse(r["content"][0]["text"].get<std::string>()) == result);
    if (result.is_string()) CHECK(r["content"][0]["text"] == result);
    return result;
  }
  // soar returns the bare-dict encoding: one JSON text block and no structuredContent.
  Json soar(const std::string& tool, Json args = Json::object()) {
    Json r = call(tool, std::move(args));
    CHECK_FALSE(r.value("isError", false));
    CHECK_FALSE(r.contains("structuredContent"));
    REQUIRE(r["content"].size() == 1);
    return Json::parse(r["content"][0]["text"].get<std::string>());
  }

  sim::EventStore events;
  sim::IocStore iocs;
  std::unique_ptr<sim::CaseStore> cases;
  sim::SimContext ctx;
  sim::Faults faults{sim::FaultOptions{}};
  test::ServerHarness harness;
};

}  // namespace

TEST_CASE("search_udm returns events with names, counts and truncation like the SDK",
          "[sim][simserver][secops]") {
  World w;
  Json r = w.result(
      "search_udm",
      {{"query", "principal.hostname = /sql01/ nocase"}, {"hours_back", 24}, {"max_events", 1}});
  REQUIRE(r["events"].size() == 1);
  CHECK(r["total_events"] == 1);
  CHECK(r["more_data_available"] == true);
  CHECK(r["events"][0]["name"].get<std::string>().starts_with("projects/"));
  CHECK(r["events"][0]["udm"]["metadata"]["event_type"] == "SERVICE_CREATION");

  Json window = w.result("search_udm", {{"query", "principal.hostname = /sql01/ nocase"},
                                        {"start_time", "2026-03-01T10:30:00Z"},
                                        {"end_time", "2026-03-01T12:00:00"}});
  CHECK(window["total_events"] == 1);
  CHECK(window["more_data_available"] == false);
  CHECK(w.result("search_udm", {{"query", "principal.hostname = \"x\""},
                                {"hours_back", 1}})["total_events"] == 0);
}

TEST_CASE("search_udm reports an invalid query and a bad date in an error key",
          "[sim][simserver][secops]") {
  World w;
  Json bad = w.result("search_udm", {{"query", "target.process.command_line CONTAINS \"x\""}});
  CHECK(bad["events"] == Json::array());
  CHECK(bad["error"].get<std::string>().find("CONTAINS") != std::string::npos);
  Json date = w.result("search_udm", {{"query", "metadata.event_type = \"USER_LOGIN\""},
                                      {"start_time", "yesterday"}});
  CHECK(date["error"] ==
        "Error parsing date format: Invalid isoformat string: 'yesterday'. Use ISO 8601 format "
        "(e.g., 2023-01-01T12:00:00Z)");
  CHECK(date["events"] == Json::array());
}

TEST_CASE("search_security_events translates known phrasing and refuses the rest",
          "[sim][simserver][secops][nl]") {
  World w;
  Json r = w.result("search_security_events", {{"text", "network connections to port 445"}});
  CHECK(r["udm_query"].get<std::string>().find("target.port = 445") != std::string::npos);
  CHECK(r["events"]["total_events"] == 1);
  CHECK(r["events"]["more_data_available"] == false);
  CHECK(r["events"]["events"][0]["udm"]["target"]["port"] == 445);

  Json unknown = w.result("search_security_events", {{"text", "anything odd?"}});
  CHECK(unknown["udm_query"].is_null());
  CHECK(unknown["events"]["events"] == Json::array());
  CHECK(unknown["events"]["total_events"] == 0);
  CHECK(unknown["events"]["error"].get<std::string>().find("anything odd?") != std::string::npos);
}

TEST_CASE("lookup_entity summarises an entity in secops-mcp's layout", "[sim][simserver][secops]") {
  World w;
  const std::string text = w.result("lookup_entity", {{"entity_value", "SQL01.corp.local"}});
  INFO(text);
  CHECK(
      text.starts_with("Entity Summary for SQL01.corp.local:\n\nPrimary Entity:\n"
                       "Entity Type: ASSET\nFirst Seen: 2026-03-01T10:00:00.000Z\n"
                       "Last Seen: 2026-03-01T11:00:00.000Z\n\n"));
  CHECK(text.find("Related Entities (1):\n1. jsmith (Type: USER)\n") != std::string::npos);
  CHECK(text.find("Timeline Summary:\nTotal Events: 2\n") != std::string::npos);
  CHECK(w.result("lookup_entity", {{"entity_value", "nobody"}}) ==
        "No information found for entity: nobody");
  CHECK(w.result("lookup_entity", {{"entity_value", "SQL01.corp.local"}, {"hours_back", 0}}) ==
        "No information found for entity: SQL01.corp.local");
}

TEST_CASE("get_threat_intel answers technique questions as text", "[sim][simserver][secops]") {
  World w;
  const std::string text = w.result("get_threat_intel", {{"query", "Explain T1047 (WMI)"}});
  CHECK(text.find("T1047") != std::string::npos);
  CHECK(text.find("WmiPrvSE") != std::string::npos);
}

TEST_CASE("get_ioc_matches lists flagged IOCs seen in events", "[sim][simserver][secops]") {
  World w;
  CHECK(w.result("get_ioc_matches", {{"hours_back", 24}}) ==
        "Found 1 IoC matches:\n\nIoC 1:\nType: destinationIpAddress\nValue: 185.220.101.47\n"
        "Sources: Local IOC file\n\n");
  CHECK(w.result("get_ioc_matches", {{"hours_back", 1}}) ==
        "No IoC matches found for the specified time range.");
}

TEST_CASE("get_security_alerts returns a JSON-encoded string of open alerts",
          "[sim][simserver][secops]") {
  World w;
  const std::string encoded = w.result("get_security_alerts", {{"hours_back", 24}});
  REQUIRE(encoded.front() == '"');
  const std::string text = Json::parse(encoded).get<std::string>();
  CHECK(
      text.starts_with("Found 1 security alerts:\n\nAlert 1:\nAlert ID: AL-1\n"
                       "Rule: PsExec service install\n"));
  CHECK(text.find("Severity: High\nAssociated Case: PsExec on SQL01\n") != std::string::npos);
  const std::string closed = Json::parse(
      w.result("get_security_alerts", {{"status_filter", "feedback_summary.status = \"CLOSED\""}})
          .get<std::string>());
  CHECK(closed.find("Rule: Old closed") != std::string::npos);
  CHECK(w.result("get_security_alerts", {{"hours_back", 1}}) ==
        "No security alerts found for the specified time range.");
}

TEST_CASE("GTI reports come from the IOC file; unknown IOCs get VirusTotal's error dict",
          "[sim][simserver][gti]") {
  World w;
  Json ip = w.result("get_ip_address_report", {{"ip_address", "185.220.101.47"}});
  CHECK(ip["type"] == "ip_address");
  CHECK(ip["attributes"]["last_analysis_stats"]["malicious"] == 9);
  CHECK(ip["attributes"]["reputation"] == -20);
  CHECK_FALSE(ip["attributes"].contains("last_analysis_results"));
  CHECK_FALSE(ip["attributes"].contains("as_owner"));  // empty strings are dropped
  CHECK(ip["relationships"].contains("associations"));
  CHECK(w.result("get_file_report", {{"hash", "BB22"}})["id"] == "aa11");

  Json missing = w.result("get_ip_address_report", {{"ip_address", "8.8.8.8"}});
  CHECK(missing["error"].get<std::string>().starts_with("VirusTotal API Error: NotFoundError - "));
  CHECK(missing["details"] ==
        "The requested ip '8.8.8.8' could not be found or there was an issue with the API "
        "request.");
  CHECK(w.result("get_domain_report", {{"domain", "x.example"}})["details"] ==
        "The requested domain 'x.example' could not be found or there was an issue with the API "
        "request.");
}

TEST_CASE("SOAR tools return bare dicts, with the case_details: key", "[sim][simserver][soar]") {
  World w;
  Json list = w.soar("list_cases");
  REQUIRE(list["cases"].size() == 1);
  CHECK(list["cases"][0]["id"] == 5);
  CHECK_FALSE(list.contains("nextPageToken"));

  Json posted = w.soar("post_case_comment", {{"case_id", "5"}, {"comment", "hunt lmh-1 done"}});
  CHECK(posted["comment"] == "hunt lmh-1 done");
  Json changed =
      w.soar("change_case_priority", {{"case_id", "5"}, {"case_priority", "PriorityHigh"}});
  CHECK(changed["priority"] == "PriorityHigh");

  Json details = w.soar("get_case_full_details", {{"case_id", "5"}});
  CHECK(details["case_details:"]["name"] == "PsExec on SQL01");
  CHECK(details["case_details:"]["priority"] == "PriorityHigh");
  CHECK(details["case_alerts"].size() == 2);
  CHECK(details["case_comments"].back()["comment"] == "hunt lmh-1 done");

  Json created =
      w.soar("create_case", {{"title", "Lateral movement"}, {"priority", "PriorityCritical"}});
  CHECK(created["name"] == "Lateral movement");
  CHECK(created["priority"] == "PriorityCritical");
  CHECK(w.soar("get_case_full_details",
               {{"case_id",
                 std::to_string(created["id"].get<long long>())}})["case_details:"]["status"] ==
        "Opened");
}

TEST_CASE("SOAR errors are error dicts; a bad priority fails validation",
          "[sim][simserver][soar]") {
  World w;
  CHECK(w.soar("get_case_full_details", {{"case_id", "404"}})["error"] == "Case not found: 404");
  CHECK(w.soar("post_case_comment", {{"case_id", "404"}, {"comment", "x"}})["error"] ==
        "Case not found: 404");
  Json bad = w.call("change_case_priority", {{"case_id", "5"}, {"case_priority", "Urgent"}});
  CHECK(bad["isError"] == true);
}

TEST_CASE("tool schemas carry the real servers' argument names and defaults",
          "[sim][simserver][schema]") {
  World w;
  auto listed = w.harness.client->call("tools/list", Json::object());
  REQUIRE(listed.ok());
  std::map<std::string, Json> tools;
  for (const auto& t : listed.value()["tools"]) tools[t["name"]] = t;
  const Json& udm = tools.at("search_udm")["inputSchema"];
  CHECK(udm["required"] == Json::array({"query"}));
  CHECK(udm["properties"]["hours_back"]["default"] == 24);
  CHECK(udm["properties"]["max_events"]["default"].is_null());
  CHECK(tools.at("search_security_events")["inputSchema"]["properties"]["max_events"]["default"] ==
        100);
  CHECK(tools.at("get_security_alerts")["inputSchema"]["properties"]["status_filter"]["default"] ==
        "feedback_summary.status != \"CLOSED\"");
  CHECK(tools.at("search_udm")["outputSchema"]["required"] == Json::array({"result"}));
  CHECK(tools.at("lookup_entity")["outputSchema"]["properties"]["result"]["type"] == "string");
  CHECK_FALSE(tools.at("list_cases").contains("outputSchema"));
  CHECK(tools.at("get_file_report")["inputSchema"]["required"] == Json::array({"hash"}));
}

TEST_CASE("each role announces the real server's name", "[sim][simserver]") {
  CHECK(sim::server_name(sim::Role::kSecops) == "Google Security Operations MCP server");
  CHECK(sim::server_name(sim::Role::kGti) == "Google Threat Intelligence MCP server");
  CHECK(sim::server_name(sim::Role::kSoar) == "SecOps SOAR");
  CHECK(sim::parse_role("gti-mcp") == sim::Role::kGti);
  CHECK_FALSE(sim::parse_role("gti"));
}
