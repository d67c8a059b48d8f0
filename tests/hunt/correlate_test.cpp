#include <catch2/catch.hpp>

#include "hunt/analysis_events.hpp"
#include "tools/hunt/correlate.hpp"
#include "udm/query.hpp"

using hunt::Json;
using namespace udm_events;

namespace {

bool query_matches(const std::string& text, const Json& event) {
  auto parsed = udm::parse(text);
  REQUIRE(parsed.ok());
  return udm::matches(parsed.value(), event);
}

}  // namespace

TEST_CASE("correlation queries are valid UDM and find SMB/RPC in both Sysmon directions",
          "[hunt][analysis][correlate]") {
  hunt::CorrelationTarget target{"WKS-12", "10.0.0.12", at(10), at(20)};
  auto queries = hunt::correlation_queries(target, std::chrono::minutes(15));
  REQUIRE(queries.size() == 2);
  for (const auto& q : queries) {
    INFO(q.query);
    auto parsed = udm::parse(q.query);
    REQUIRE(parsed.ok());
    CHECK(q.target_host == "WKS-12");
    CHECK(q.start_time == at(-5));
    CHECK(q.end_time == at(35));
  }
  const auto& network_query = queries[0].query;
  const auto& logon_query = queries[1].query;
  CHECK(queries[0].id == "correlate:WKS-12:network");
  CHECK(queries[1].id == "correlate:WKS-12:logon");

  SECTION("logged on the target, FQDN or short, any case") {
    CHECK(query_matches(network_query, network(at(11), "wks-12.corp.local", "10.0.0.7", 51000,
                                               "10.0.0.12", 445, "false")));
    CHECK(query_matches(network_query,
                        network(at(11), "WKS-12", "10.0.0.12", 445, "10.0.0.7", 51000, "false")));
    CHECK(query_matches(network_query,
                        network(at(11), "WKS-12", "10.0.0.7", 51000, "10.0.0.12", 135, "false")));
  }
  SECTION("logged by a source towards the target") {
    CHECK(query_matches(network_query,
                        network(at(11), "WKS07", "10.0.0.7", 51000, "10.0.0.12", 445, "true")));
    CHECK(query_matches(network_query, network(at(11), "WKS07", "10.0.0.7", 51000, "10.9.9.9", 445,
                                               "true", "wks-12.corp.local")));
  }
  SECTION("other hosts and other ports do not match") {
    CHECK_FALSE(query_matches(
        network_query, network(at(11), "WKS-120", "10.0.0.7", 51000, "10.0.1.120", 445, "false")));
    CHECK_FALSE(query_matches(
        network_query, network(at(11), "WKS-12", "10.0.0.7", 51000, "10.0.0.12", 3389, "false")));
  }
  SECTION("network logons only") {
    CHECK(
        query_matches(logon_query, logon(at(11), "wks-12.CORP.local", "bob", "10.0.0.7", "WKS07")));
    CHECK_FALSE(query_matches(logon_query, logon(at(11), "WKS-12", "bob", "10.0.0.7", "WKS07", 2)));
    CHECK_FALSE(query_matches(logon_query, logon(at(11), "WKS-13", "bob", "10.0.0.7", "WKS07")));
  }
}

TEST_CASE("an IP-only correlation target is matched by IP", "[hunt][analysis][correlate]") {
  hunt::CorrelationTarget target{"10.0.0.12", "", at(0), at(0)};
  for (const auto& q : hunt::correlation_queries(target, std::chrono::minutes(5))) {
    INFO(q.query);
    REQUIRE(udm::parse(q.query).ok());
  }
  auto queries = hunt::correlation_queries(target, std::chrono::minutes(5));
  CHECK(query_matches(queries[0].query,
                      network(at(0), "WKS07", "10.0.0.7", 50000, "10.0.0.12", 445, "true")));
}

TEST_CASE("correlation targets put unattributed hosts first and are bounded",
          "[hunt][analysis][correlate]") {
  std::vector<hunt::Evidence> evidence;
  evidence.push_back(
      hunt::to_evidence(pipe(at(0), "SRV01", "\\PSEXESVC-WKS07-1-stdin"), psexec_pipe()));
  evidence.push_back(hunt::to_evidence(
      service(at(2), "SRV02", "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"), psexec_service()));
  evidence.push_back(hunt::to_evidence(
      service(at(9), "SRV02", "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"), psexec_service()));
  evidence.push_back(
      hunt::to_evidence(process(at(3), "SRV03", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
                                "C:\\Windows\\System32\\cmd.exe", "cmd /c whoami"),
                        wmi_child()));
  evidence.push_back(
      hunt::to_evidence(logon(at(4), "SRV04", "bob", "10.0.0.7", "WKS07"), correlation()));

  auto targets = hunt::correlation_targets(evidence, 2);
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].host == "SRV02");  // unattributed, weight 60
  CHECK(targets[0].first_seen == at(2));
  CHECK(targets[0].last_seen == at(9));
  CHECK(targets[1].host == "SRV03");  // unattributed, weight 45
  auto all = hunt::correlation_targets(evidence, 10);
  CHECK(all.size() == 3);  // SRV04 has only correlation evidence
}

TEST_CASE("attribute_sources prefers the same logon id, then the nearest connection",
          "[hunt][analysis][correlate]") {
  std::vector<hunt::Evidence> evidence;
  Json child = process(at(10), "SRV01", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
                       "C:\\Windows\\System32\\cmd.exe", "cmd /c whoami", "SRV01$");
  child["target"]["user"]["userid"] = "SYSTEM";
  child["additional"]["fields"]["LogonId"] = "0xbeef";
  evidence.push_back(hunt::to_evidence(child, wmi_child()));
  evidence.push_back(hunt::to_evidence(
      service(at(30), "SRV02", "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"), psexec_service()));
  evidence.push_back(hunt::to_evidence(
      service(at(300), "SRV03", "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"), psexec_service()));

  std::vector<hunt::Evidence> correlated;
  // SRV01: a nearer logon from WKS09, but the same logon id comes from WKS07.
  correlated.push_back(hunt::to_evidence(
      logon(at(10), "SRV01", "eve", "10.0.0.9", "WKS09", 3, "0x1"), correlation()));
  correlated.push_back(
      hunt::to_evidence(logon(at(2), "SRV01", "bob", "10.0.0.7", "", 3, "0xBEEF"), correlation()));
  // SRV02: only an inbound connection by IP; the IP → host mapping comes from a logon elsewhere.
  correlated.push_back(hunt::to_evidence(
      network(at(29), "SRV02", "10.0.0.8", 50000, "10.0.1.2", 445, "false"), correlation()));
  correlated.push_back(
      hunt::to_evidence(logon(at(1), "SRV05", "dan", "10.0.0.8", "WKS08"), correlation()));
  // SRV03: a connection far outside the window attributes nothing.
  correlated.push_back(hunt::to_evidence(
      network(at(100), "SRV03", "10.0.0.7", 50000, "10.0.1.3", 445, "false"), correlation()));

  hunt::attribute_sources(evidence, correlated, std::chrono::minutes(30));
  CHECK(evidence[0].source_ip == "10.0.0.7");
  CHECK(evidence[0].attribution == "logon");
  CHECK(evidence[0].user == "bob");        // SYSTEM replaced by the network logon's user
  CHECK(evidence[0].source_host.empty());  // no data maps 10.0.0.7 to a host
  CHECK(evidence[1].source_ip == "10.0.0.8");
  CHECK(evidence[1].source_host == "WKS08");
  CHECK(evidence[1].attribution == "network");
  CHECK(evidence[2].source_host.empty());
  CHECK(evidence[2].source_ip.empty());
}

namespace {

// atsvc_access is a 5145 on host: the Task Scheduler's atsvc pipe opened over IPC$ from ip.
Json atsvc_access(const std::string& time, const std::string& host, const std::string& ip) {
  Json e = base(time, "USER_RESOURCE_ACCESS", "5145", host, "Microsoft-Windows-Security-Auditing");
  e["principal"]["user"] = {{"userid", "adm-lchen"}};
  e["src"] = {{"ip", ip}, {"port", 50123}};
  e["target"] = {{"resource", {{"name", "\\\\*\\IPC$"}}}, {"file", {{"full_path", "atsvc"}}}};
  e["additional"] = {{"fields", {{"AccessMask", "0x12019f"}, {"SubjectLogonId", "0x7001"}}}};
  return e;
}

// atexec_task is the scheduled task's cmd.exe, started by the Task Scheduler as SYSTEM.
Json atexec_task(const std::string& time, const std::string& host) {
  Json e =
      process(time, host, "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\cmd.exe",
              "cmd.exe /C tasklist /v > C:\\Windows\\Temp\\XcVbNmQw.tmp 2>&1", "SYSTEM");
  e["additional"]["fields"]["LogonId"] = "0x3e7";
  return e;
}

}  // namespace

TEST_CASE("an atexec task running as SYSTEM is attributed through its atsvc pipe access",
          "[hunt][analysis][correlate]") {
  const auto atexec = entry("impacket_atexec", "impacket", "T1053.005", 80);
  const auto control_pipe = entry("svcctl_over_ipc", "admin_shares", "T1021.002", 35);
  std::vector<hunt::Evidence> correlated;
  // The logon of the same minute carries no host name (Impacket sends none); a logon elsewhere
  // maps 10.0.0.7 to WKS07.
  correlated.push_back(hunt::to_evidence(
      logon(at(10), "WKS23.corp.local", "adm-lchen", "10.0.0.7", "", 3, "0x7001"), correlation()));
  correlated.push_back(hunt::to_evidence(
      logon(at(1), "WKS12.corp.local", "adm-lchen", "10.0.0.7", "WKS07", 3), correlation()));

  SECTION("with the atsvc access the task comes from WKS07 (chain)") {
    std::vector<hunt::Evidence> evidence;
    evidence.push_back(
        hunt::to_evidence(atsvc_access(at(10), "WKS23.corp.local", "10.0.0.7"), control_pipe));
    evidence.push_back(hunt::to_evidence(atexec_task(at(11), "WKS23.corp.local"), atexec));
    REQUIRE(evidence[1].source_host.empty());
    hunt::attribute_sources(evidence, correlated, std::chrono::minutes(30));
    CHECK(evidence[0].source_host == "WKS07");
    CHECK(evidence[1].source_host == "WKS07");
    CHECK(evidence[1].source_ip == "10.0.0.7");
    CHECK(evidence[1].attribution == "chain");
  }
  SECTION("without it, a logon nearby by time alone does not attribute a SYSTEM process") {
    std::vector<hunt::Evidence> evidence;
    evidence.push_back(hunt::to_evidence(atexec_task(at(11), "WKS23.corp.local"), atexec));
    hunt::attribute_sources(evidence, correlated, std::chrono::minutes(30));
    CHECK(evidence[0].source_host.empty());
    CHECK(evidence[0].source_ip.empty());
  }
}
