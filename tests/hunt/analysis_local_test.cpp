// analysis_local_test.cpp — local PsExec (`PsExec -s` on the machine itself): never reported as
// movement; credited down as local execution unless it dumps credentials, creates accounts or
// uses an attack tool, which a SOC analyst must see.
#include <catch2/catch.hpp>

#include <algorithm>

#include "hunt/analysis_events.hpp"
#include "tools/hunt/analysis.hpp"
#include "tools/hunt/correlate.hpp"

using hunt::Json;
using namespace udm_events;

namespace {

// local_psexec: WKS09 runs PsExec -s against itself: its pipe names WKS09, PSEXESVC is
// installed on WKS09 and runs `payload` as SYSTEM.
std::vector<hunt::Evidence> local_psexec(const std::string& payload) {
  std::vector<hunt::Evidence> evidence;
  evidence.push_back(hunt::to_evidence(
      pipe(at(0), "WKS09.corp.local", "\\PSEXESVC-WKS09-7256-stdin"), psexec_pipe()));
  evidence.push_back(hunt::to_evidence(
      service(at(0), "WKS09.corp.local", "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"),
      psexec_service()));
  Json child = process(at(1), "WKS09.corp.local", "C:\\Windows\\PSEXESVC.exe",
                       "C:\\Windows\\System32\\reg.exe", payload, "SYSTEM");
  child["additional"]["fields"]["LogonId"] = "0x3e7";
  evidence.push_back(hunt::to_evidence(child, psexec_child()));
  hunt::attribute_sources(evidence, {});
  return evidence;
}

}  // namespace

TEST_CASE("local PsExec dumping LSA secrets is suspicious and reported as local execution",
          "[hunt][analysis]") {
  const auto evidence = local_psexec("reg save HKLM\\security\\policy\\secrets C:\\t\\s");
  // The service and the SYSTEM payload join the run through the pipe naming the host itself.
  CHECK(evidence[1].source_host == "WKS09");
  CHECK(evidence[2].source_host == "WKS09");
  CHECK(evidence[2].attribution == "pipe_name");
  auto findings = hunt::analyse(evidence, hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.source_host == "WKS09");
  CHECK(f.targets == std::vector<std::string>{"WKS09"});
  CHECK(f.verdict == "suspicious");
  CHECK(any_reason(f, "credential dumping"));
  CHECK(any_reason(f, "+0 local execution on WKS09 (no remote target)"));
  CHECK_FALSE(any_reason(f, "workstation, not a known admin host"));

  hunt::HuntResult result;
  result.status = "completed";
  result.findings = findings;
  hunt::decide_verdict(result);
  CHECK(result.verdict == "suspicious");
  CHECK(result.verdict_reason.find("F1 WKS09 (local execution, no remote target) via psexec") !=
        std::string::npos);
}

TEST_CASE("local PsExec without payload markers stays informational, credited down",
          "[hunt][analysis]") {
  auto findings = hunt::analyse(local_psexec("gpupdate.exe /force"), hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].targets == std::vector<std::string>{"WKS09"});
  CHECK(findings[0].verdict == "informational");
  CHECK(any_reason(findings[0], "-10 local execution on WKS09 (no remote target)"));
}
