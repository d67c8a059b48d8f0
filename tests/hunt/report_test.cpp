#include <catch2/catch.hpp>

#include "hunt/analysis_events.hpp"
#include "mcp/schema.hpp"
#include "tools/hunt/analysis.hpp"
#include "tools/hunt/report.hpp"
#include "tools/schemas.hpp"

using hunt::Json;
using namespace udm_events;

namespace {

const char* kDemo = "Embedded demo: lmhunt-sim over the bundled demo enterprise (no real SecOps)";

downstream::CallRecord call(const std::string& server, const std::string& tool, int start_ms,
                            int duration_ms, const std::string& outcome = "ok") {
  downstream::CallRecord c;
  c.server = server;
  c.tool = tool;
  c.arguments = {{"query", "metadata.event_type = \"PROCESS_LAUNCH\""}};
  c.outcome = outcome;
  c.detail = outcome == "ok" ? "3 events" : "deadline passed";
  c.started =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1714557600000LL + start_ms));
  c.duration = std::chrono::milliseconds(duration_ms);
  return c;
}

hunt::QueryOutcome query(const std::string& id, const std::string& status, std::size_t events,
                         const std::string& purpose = "detection") {
  hunt::QueryOutcome q;
  q.id = id;
  q.title = "Detection " + id;
  q.family = "psexec";
  q.technique = "T1569.002";
  q.purpose = purpose;
  q.query = "metadata.product_event_type = \"7045\" AND target.application = /psexesvc/ nocase";
  q.tool = status == "not_run" ? "" : "search_udm";
  q.status = status;
  q.events = events;
  if (status == "error") q.error = "timeout after 60 s";
  q.duration_ms = 420;
  return q;
}

// typical_result is a hunt over the demo enterprise: WKS07 fans out with payloads, JUMP01 does
// admin PsExec, one search failed.
hunt::HuntResult typical_result() {
  hunt::HuntResult r;
  r.hunt_id = "h-20240501-0001";
  r.status = "partial";
  r.time_start = "2024-04-28T10:00:00Z";
  r.time_end = "2024-05-01T10:00:00Z";
  r.hours = 72;
  r.hypothesis = "PsExec usage originating from non-admin workstations";
  r.techniques = hunt::all_families();
  r.downstream_description = kDemo;
  const char* ids[] = {"psexec_service_install",
                       "psexec_pipes",
                       "psexec_client",
                       "psexesvc_child",
                       "random_service_install",
                       "shell_service_install",
                       "services_shell",
                       "admin_share_exe_write",
                       "svcctl_ipc",
                       "wmiprvse_child",
                       "wmic_node",
                       "wmi_explicit_logon",
                       "wmi_subscription",
                       "impacket_exec",
                       "powershell_wmi_remote",
                       "network_logons"};
  for (std::size_t i = 0; i < std::size(ids); ++i) {
    std::string status = i < 5 ? "ok" : i == 7 ? "error" : i == 15 ? "truncated" : "empty";
    r.queries.push_back(query(ids[i], status, status == "ok" || status == "truncated" ? 12 : 0,
                              i == 15 ? "context" : "detection"));
  }
  for (const char* host : {"HOST11", "HOST12"}) {
    r.queries.push_back(
        query(std::string("correlate:") + host + ":network", "ok", 4, "correlation"));
    r.queries.push_back(
        query(std::string("correlate:") + host + ":logon", "empty", 0, "correlation"));
  }
  std::vector<hunt::Evidence> evidence;
  for (int i = 0; i < 5; ++i) {
    std::string host = "HOST1" + std::to_string(i + 1);
    evidence.push_back(hunt::to_evidence(
        pipe(at(i * 3), host, "\\PSEXESVC-WKS07-" + std::to_string(77 + i) + "-stdin"),
        psexec_pipe()));
    auto child = hunt::to_evidence(
        process(at(i * 3 + 1), host, "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\System32\\cmd.exe",
                i == 0 ? "cmd.exe /c procdump64.exe -accepteula -ma lsass.exe C:\\Temp\\o.dmp"
                       : "cmd.exe /c whoami /all"),
        psexec_child());
    child.source_host = "WKS07";
    evidence.push_back(child);
  }
  for (int i = 1; i <= 3; ++i) {
    evidence.push_back(hunt::to_evidence(pipe(at(100 + i), "SRV0" + std::to_string(i),
                                              "\\PSEXESVC-JUMP01-5" + std::to_string(i) + "-stdin"),
                                         psexec_pipe()));
  }
  hunt::AnalysisConfig config;
  config.admin_sources = {"JUMP*"};
  r.findings = hunt::analyse(evidence, config);
  r.entities = hunt::entities_to_enrich(r.findings, 8);
  for (auto& e : r.entities) {
    e.siem_outcome = "ok";
    e.siem_summary =
        "asset; seen 2024-04-01T00:00:00Z → 2024-05-01T10:00:00Z; 1520 events, 4 alerts";
    e.intel_outcome = e.kind == "hash" ? "ok" : "";
  }
  r.related_cases = {{"1042",
                      "Suspicious PsExec on HOST11",
                      "Opened",
                      "PriorityMedium",
                      {"HOST11", "WKS07"},
                      true}};
  r.documentation = {"posted", "1042", "related", "", ""};
  r.escalation = {"priority_raised", "1042", "PriorityHigh",
                  "malicious lateral movement from WKS07"};
  hunt::decide_verdict(r);
  r.follow_ups = hunt::follow_ups(r);
  r.calls = {call("secops", "get_threat_intel", 0, 900),
             call("secops", "get_threat_intel", 10, 950),
             call("secops", "search_udm", 1000, 400),
             call("secops", "search_udm", 1010, 380),
             call("secops", "search_udm", 1020, 60000, "timeout"),
             call("secops", "lookup_entity", 62000, 200),
             call("gti", "get_file_report", 62300, 150),
             call("soar", "list_cases", 62500, 100),
             call("soar", "post_case_comment", 62700, 120)};
  r.timings_ms = {{"research", 950}, {"search", 61000}, {"enrich", 500}, {"document", 220}};
  r.warnings = {"search wmi_explicit_logon: timeout after 60 s"};
  r.started_at = "2024-05-01T10:00:00.000Z";
  r.finished_at = "2024-05-01T10:01:03.100Z";
  r.runtime_ms = 63100;
  r.downstream_bytes = 48213;
  return r;
}

mcp::JsonSchema output_schema() {
  auto schema = tools::load_schema("lateral_movement_hunt.output.json");
  REQUIRE(schema.ok());
  auto compiled = mcp::JsonSchema::compile(schema.value());
  REQUIRE(compiled.ok());
  return compiled.value();
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

TEST_CASE("the report fits one screen, names the demo downstream first and the runbook",
          "[hunt][report]") {
  auto r = typical_result();
  REQUIRE(r.verdict == "confirmed");
  std::string md = hunt::render_markdown(r);
  INFO(md);
  CHECK(md.size() <= hunt::kMarkdownSoftLimit);
  CHECK(first_line(md).find(kDemo) != std::string::npos);
  CHECK(md.find("**Runbook Used:** Lateral Movement Detection Hunt (PsExec/WMI)") !=
        std::string::npos);
  CHECK(md.find("CONFIRMED") != std::string::npos);
  CHECK(md.find("F1 malicious") != std::string::npos);
  CHECK(md.find("WKS07 → HOST11") != std::string::npos);
  CHECK(md.find("fan-out") != std::string::npos);
  CHECK(md.find("**Did not run**: admin_share_exe_write (error: timeout after 60 s)") !=
        std::string::npos);
  CHECK(md.find("No events (negative results): shell_service_install") != std::string::npos);
  CHECK(md.find("**Truncated**") != std::string::npos);
  CHECK(md.find("```mermaid\ngraph LR") != std::string::npos);
  CHECK(md.find("comment posted to case 1042") != std::string::npos);
  CHECK(md.find("priority_raised") != std::string::npos);
  CHECK(md.find("runtime 1 min 3 s") != std::string::npos);
  CHECK(md.find("2024-05-01T10:00:00.000Z") != std::string::npos);
}

TEST_CASE("a report for a real SecOps starts with its heading", "[hunt][report]") {
  auto r = typical_result();
  r.downstream_description.clear();
  CHECK(first_line(hunt::render_markdown(r)) == "# Lateral movement hunt: CONFIRMED");
}

TEST_CASE("a server that is down is named with its reason; ready ones are not listed",
          "[hunt][report]") {
  auto r = typical_result();
  r.servers = {
      {"secops", "ready", "12 tools", {"siem"}},
      {"gti", "degraded", "cannot start gti (/opt/gti-mcp): No such file or directory", {}},
      {"soar", "refused", "needs CHRONICLE_PROJECT_ID", {}},
      {"idp", "disabled", "disabled in the configuration", {}}};
  const std::string md = hunt::render_markdown(r);
  INFO(md);
  CHECK(md.find("**Servers down:** gti degraded: cannot start gti (/opt/gti-mcp): No such file "
                "or directory; soar refused: needs CHRONICLE_PROJECT_ID\n") != std::string::npos);
  CHECK(md.find("secops ready") == std::string::npos);
  r.servers.resize(1);
  CHECK(hunt::render_markdown(r).find("Servers down") == std::string::npos);
}

TEST_CASE("a huge hunt's report stays under the hard cap and says what it left out",
          "[hunt][report]") {
  auto r = typical_result();
  for (int i = 0; i < 80; ++i) {
    r.queries.push_back(query("extra_detection_with_a_long_identifier_" + std::to_string(i),
                              i % 3 ? "empty" : "error", 0));
  }
  auto base = r.findings;
  for (int i = 0; i < 40; ++i) {
    for (auto f : base) {
      f.id = "F" + std::to_string(r.findings.size() + 1);
      f.reasons.push_back("+5 " + std::string(300, 'x'));
      r.findings.push_back(f);
    }
  }
  for (int i = 0; i < 50; ++i)
    r.entities.push_back(
        {"host" + std::to_string(i), "host", {"target"}, std::string(300, 'y'), "ok", "", ""});
  for (int i = 0; i < 30; ++i) r.warnings.push_back(std::string(200, 'w'));
  hunt::decide_verdict(r);
  r.follow_ups = hunt::follow_ups(r);
  std::string md = hunt::render_markdown(r);
  CHECK(md.size() <= hunt::kMarkdownHardLimit);
  CHECK(first_line(md).find(kDemo) != std::string::npos);
  CHECK(md.find("more findings in structuredContent.findings") != std::string::npos);
  CHECK(md.find("more entities") != std::string::npos);
}

TEST_CASE("structuredContent conforms to the output schema", "[hunt][report]") {
  auto schema = output_schema();
  auto doc = hunt::to_structured(typical_result());
  auto problem = schema.validate(doc);
  INFO(problem.value_or(""));
  CHECK_FALSE(problem);
  CHECK(doc["runbook"] == "Lateral Movement Detection Hunt (PsExec/WMI)");
  CHECK(doc["findings"][0]["examples"].size() >= 1);
  CHECK(doc["calls"][0]["started"] == "2024-05-01T10:00:00.000Z");
  CHECK(doc["timings"]["search"] == 61000);
  CHECK(doc["mermaid"]["sequence"].get<std::string>().starts_with("sequenceDiagram"));

  SECTION("an empty (failed) result and a dry run conform too") {
    hunt::HuntResult empty;
    empty.status = "failed";
    CHECK_FALSE(schema.validate(hunt::to_structured(empty)));
    hunt::HuntResult planned;
    planned.status = "planned";
    planned.queries = {query("psexec_pipes", "planned", 0)};
    hunt::decide_verdict(planned);
    CHECK_FALSE(schema.validate(hunt::to_structured(planned)));
  }
  SECTION("the schema rejects what the model does not produce") {
    doc["verdict"] = "maybe";
    CHECK(schema.validate(doc));
    doc = hunt::to_structured(typical_result());
    doc["findings"][0]["score"] = 101;
    CHECK(schema.validate(doc));
  }
}

TEST_CASE("the SOAR comment documents every query, findings, follow-ups and the calls",
          "[hunt][report]") {
  auto r = typical_result();
  std::string comment = hunt::render_comment(r);
  CHECK(comment.find(hunt::comment_marker(r.hunt_id)) != std::string::npos);
  CHECK(comment.find("lmhunt hunt h-20240501-0001") != std::string::npos);
  CHECK(comment.find("Runbook Used: Lateral Movement Detection Hunt (PsExec/WMI)") !=
        std::string::npos);
  for (const auto& q : r.queries) CHECK(comment.find(q.id) != std::string::npos);
  CHECK(comment.find("[0 events (negative result)] wmiprvse_child") != std::string::npos);
  CHECK(comment.find("[DID NOT RUN: error — timeout after 60 s] admin_share_exe_write") !=
        std::string::npos);
  CHECK(comment.find("Hypothesis / objective: PsExec usage") != std::string::npos);
  CHECK(comment.find("Timeframe: 2024-04-28T10:00:00Z → 2024-05-01T10:00:00Z (72 h)") !=
        std::string::npos);
  CHECK(comment.find("F1 malicious") != std::string::npos);
  CHECK(comment.find("Suggested follow-on runbooks:") != std::string::npos);
  CHECK(comment.find("Isolate WKS07") != std::string::npos);
  CHECK(comment.find("1042 \"Suspicious PsExec on HOST11\"") != std::string::npos);
  CHECK(comment.find("```mermaid\nsequenceDiagram") != std::string::npos);
}

TEST_CASE("the sequence diagram groups parallel calls and marks failures", "[hunt][report]") {
  auto r = typical_result();
  std::string seq = hunt::mermaid_sequence(r.calls);
  INFO(seq);
  CHECK(seq.starts_with("sequenceDiagram\n  participant L as lmhunt\n"));
  CHECK(seq.find("participant S1 as secops") != std::string::npos);
  CHECK(seq.find("participant S3 as soar") != std::string::npos);
  CHECK(seq.find("  par\n    L->>S1: get_threat_intel\n") != std::string::npos);
  CHECK(seq.find("  and\n") != std::string::npos);
  CHECK(seq.find("S1--xL: timeout, deadline passed, 1 min 0 s") != std::string::npos);
  CHECK(seq.find("S3-->>L: ok, 3 events, 120 ms") != std::string::npos);
  CHECK(hunt::mermaid_sequence(r.calls, 2).find("7 more calls") != std::string::npos);
  CHECK(hunt::mermaid_sequence({}).find("no downstream calls") != std::string::npos);
}

TEST_CASE("the movement graph labels edges by technique and styles malicious ones",
          "[hunt][report]") {
  auto r = typical_result();
  hunt::Finding unknown;
  unknown.verdict = "suspicious";
  unknown.targets = {"SRV09"};
  unknown.families = {"wmi"};
  r.findings.push_back(unknown);
  std::string graph = hunt::mermaid_movement(r.findings);
  INFO(graph);
  CHECK(graph.starts_with("graph LR\n"));
  CHECK(graph.find("h_WKS07[\"WKS07\"] -->|psexec| h_HOST11[\"HOST11\"]") != std::string::npos);
  CHECK(graph.find("h_WKS07 -->|psexec| h_HOST12[\"HOST12\"]") != std::string::npos);
  CHECK(graph.find("h_JUMP01[\"JUMP01\"] -->|psexec| h_SRV01") != std::string::npos);
  CHECK(graph.find("[\"unknown source\"]") != std::string::npos);
  CHECK(graph.find("linkStyle 0,1,2,3,4 stroke:#d00") != std::string::npos);
  CHECK(graph.find("linkStyle 5 stroke:#e80") != std::string::npos);
  CHECK(graph.find("class h_WKS07 malicious") != std::string::npos);
  CHECK(hunt::mermaid_movement(r.findings, 2).find("more edges") != std::string::npos);
}
