// analysis_order_test.cpp — findings are numbered in score order (F1 = the highest score), ties
// broken by first_seen, then the source host, whatever order the evidence arrived in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "hunt/analysis_events.hpp"
#include "tools/hunt/analysis.hpp"

using hunt::Json;
using namespace udm_events;

namespace {

// wmiexec_from: an Impacket wmiexec child on target, attributed to source, at minute.
hunt::Evidence wmiexec_from(const std::string& source, const std::string& target, int minute) {
  Json child =
      process(at(minute), target, "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
              "C:\\Windows\\System32\\cmd.exe",
              R"(cmd.exe /Q /c whoami 1> \\127.0.0.1\ADMIN$\__1714557600.123 2>&1)", "bob");
  auto ev = hunt::to_evidence(child, impacket());
  ev.source_host = source;
  ev.attribution = "logon";
  return ev;
}

std::vector<hunt::Evidence> mixed_sources() {
  std::vector<hunt::Evidence> evidence;
  evidence.push_back(wmiexec_from("WKS09", "SRV30", 10));
  evidence.push_back(wmiexec_from("WKS05", "SRV32", 20));
  evidence.push_back(wmiexec_from("WKS08", "SRV31", 10));
  // WKS01 fans out to four hosts: the highest score.
  for (int i = 0; i < 4; ++i) {
    evidence.push_back(wmiexec_from("WKS01", "SRV4" + std::to_string(i), 30 + i));
  }
  return evidence;
}

std::vector<std::string> sources_in_id_order(const std::vector<hunt::Finding>& findings) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    CHECK(findings[i].id == "F" + std::to_string(i + 1));
    out.push_back(findings[i].source_host);
  }
  return out;
}

}  // namespace

TEST_CASE("F1 is the highest score and ties go to the earlier first_seen, then the host",
          "[hunt][analysis]") {
  auto evidence = mixed_sources();
  auto findings = hunt::analyse(evidence, hunt::AnalysisConfig{});
  REQUIRE(findings.size() == 4);
  for (std::size_t i = 1; i < findings.size(); ++i) {
    CHECK(findings[i - 1].score >= findings[i].score);
  }
  CHECK(findings[0].score > findings[1].score);
  CHECK(findings[1].score == findings[3].score);
  // WKS08 and WKS09 start at the same minute (host order), WKS05 ten minutes later.
  CHECK(sources_in_id_order(findings) ==
        std::vector<std::string>{"WKS01", "WKS08", "WKS09", "WKS05"});

  // The same evidence in any order numbers the findings the same way.
  std::mt19937 shuffle(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(evidence.begin(), evidence.end(), shuffle);
    CHECK(sources_in_id_order(hunt::analyse(evidence, hunt::AnalysisConfig{})) ==
          std::vector<std::string>{"WKS01", "WKS08", "WKS09", "WKS05"});
  }
}
