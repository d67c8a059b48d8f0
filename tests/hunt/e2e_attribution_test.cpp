// Regression tests for the attribution mistakes the end-to-end demo hunt showed (issue 5 "Proof"):
// a busy file server's unrelated network logon must not take the place of a stronger link, and a
// process in a local session is never tied to a network logon by time alone.
#include <catch2/catch.hpp>

#include "hunt/analysis_events.hpp"
#include "tools/hunt/correlate.hpp"

using hunt::Json;
using namespace udm_events;

TEST_CASE("a renamed PsExec service is attributed by its pipe, not by a nearer noise logon",
          "[hunt][correlate]") {
  // FS01, 14:14 in the demo: the 7045 has no logon id; the attacker's own 4624 fell outside the
  // (truncated) correlation results, but a user's mapped-drive logon came 1 minute before.
  std::vector<hunt::Evidence> evidence;
  evidence.push_back(hunt::to_evidence(
      service(at(10), "FS01", "PzQnRvLk", "%SystemRoot%\\PzQnRvLk.exe"), psexec_service()));
  evidence.push_back(
      hunt::to_evidence(pipe(at(10), "FS01", "\\PzQnRvLk-WKS-07-5312-stdin"), psexec_pipe()));
  std::vector<hunt::Evidence> correlated = {hunt::to_evidence(
      logon(at(9), "FS01", "jwalker", "10.20.1.111", "WKS-11", 3, "0x77"), correlation())};

  hunt::attribute_sources(evidence, correlated, std::chrono::minutes(30));
  CHECK(evidence[0].source_host == "WKS-07");
  CHECK(evidence[0].attribution == "pipe_name");
  CHECK(evidence[0].user != "jwalker");
}

TEST_CASE("a target-side event is attributed to the source whose command names it",
          "[hunt][correlate]") {
  std::vector<hunt::Evidence> evidence;
  evidence.push_back(hunt::to_evidence(
      service(at(20), "SQL01", "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe"), psexec_service()));
  evidence.push_back(
      hunt::to_evidence(process(at(19), "WKS-07", "C:\\Windows\\System32\\cmd.exe",
                                "C:\\ProgramData\\Intel\\msupd.exe",
                                "msupd.exe \\\\SQL01 -s cmd /c whoami", "mbrown", "psexec.c"),
                        psexec_child()));
  std::vector<hunt::Evidence> correlated = {hunt::to_evidence(
      logon(at(20), "SQL01", "svc-sql", "10.20.0.99", "APP02", 3, "0x88"), correlation())};

  hunt::attribute_sources(evidence, correlated, std::chrono::minutes(30));
  CHECK(evidence[0].source_host == "WKS-07");
  CHECK(evidence[0].attribution == "source_event");
}

TEST_CASE("a SYSTEM process is not pinned on a network logon that merely happened nearby",
          "[hunt][correlate]") {
  // The SCCM agent runs PowerShell under WmiPrvSE as SYSTEM (logon id 0x3e7) on every host.
  Json child = process(at(30), "FS01", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
                       "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                       "powershell.exe -File C:\\Windows\\CCM\\SystemTemp\\a.ps1", "SYSTEM");
  child["additional"]["fields"]["LogonId"] = "0x3e7";
  std::vector<hunt::Evidence> evidence = {hunt::to_evidence(child, wmi_child())};
  std::vector<hunt::Evidence> correlated = {hunt::to_evidence(
      logon(at(30), "FS01", "ohughes", "10.20.1.116", "WKS-16", 3, "0x99"), correlation())};

  hunt::attribute_sources(evidence, correlated, std::chrono::minutes(30));
  CHECK(evidence[0].source_host.empty());
  CHECK(evidence[0].source_ip.empty());
  CHECK(evidence[0].user == "SYSTEM");
}
