// demo_intel.cpp — the demo's threat intelligence (VirusTotal-shaped objects, as gti-mcp returns
// them) and its SOAR cases (CaseStore::seed_if_empty format). The hashes are the ones in the
// Sysmon 1 Hashes fields of the events (demo_org.cpp); the verdicts are invented for the demo.
#include <algorithm>
#include <cctype>

#include "sim/demo/demo_parts.hpp"

namespace sim::demo {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Json stats(int malicious, int suspicious, int harmless, int undetected) {
  return {{"malicious", malicious},
          {"suspicious", suspicious},
          {"harmless", harmless},
          {"undetected", undetected}};
}

Json file_object(const Tool& tool, const Json& analysis, int reputation,
                 const std::string& description, const Json& tags, const Json& names) {
  return {{"type", "file"},
          {"id", lower(tool.hashes.sha256)},
          {"attributes",
           {{"sha256", lower(tool.hashes.sha256)},
            {"sha1", lower(tool.hashes.sha1)},
            {"md5", lower(tool.hashes.md5)},
            {"meaningful_name", tool.meaningful_name},
            {"names", names},
            {"type_description", "Win32 EXE"},
            {"last_analysis_stats", analysis},
            {"reputation", reputation},
            {"tags", tags},
            {"description", description}}}};
}

}  // namespace

Json demo_iocs() {
  Json iocs = Json::array();
  iocs.push_back(file_object(implant_tool(), stats(48, 3, 0, 21), -62,
                             "Backdoor loader (C2 over HTTPS to cdn.acme-cloudsync.com)",
                             {"peexe", "trojan", "backdoor"}, {"OneDriveUpdater.exe", "od.bin"}));
  iocs.push_back(file_object(mimikatz_tool(), stats(61, 2, 0, 9), -85, "Mimikatz credential dumper",
                             {"peexe", "hacktool", "mimikatz"}, {"mimikatz.exe", "mm.exe"}));
  iocs.push_back(file_object(renamed_psexec_tool(), stats(3, 1, 0, 68), 5,
                             "Sysinternals PsExec v2.2 (signed by Microsoft); dual-use",
                             {"peexe", "signed", "remote-admin"}, {"PsExec.exe", "msupd.exe"}));
  iocs.push_back(file_object(admin_psexec_tool(), stats(0, 0, 0, 72), 38,
                             "Sysinternals PsExec64 v2.43 (signed by Microsoft)",
                             {"peexe", "signed", "64bits"}, {"PsExec64.exe"}));
  iocs.push_back({{"type", "ip_address"},
                  {"id", kC2Ip},
                  {"attributes",
                   {{"last_analysis_stats", stats(12, 2, 60, 20)},
                    {"reputation", -35},
                    {"country", "DE"},
                    {"as_owner", "Frantech Solutions"},
                    {"asn", 53667},
                    {"tags", {"c2"}}}}});
  iocs.push_back({{"type", "domain"},
                  {"id", kC2Domain},
                  {"attributes",
                   {{"last_analysis_stats", stats(9, 3, 55, 27)},
                    {"reputation", -28},
                    {"categories", {{"Forcepoint ThreatSeeker", "malicious web sites"}}},
                    {"creation_date", 1793404800},
                    {"tags", {"c2", "newly-registered"}}}}});
  iocs.push_back({{"type", "url"},
                  {"id", kLureUrl},
                  {"attributes",
                   {{"url", kLureUrl},
                    {"last_analysis_stats", stats(7, 1, 60, 26)},
                    {"reputation", -12},
                    {"title", "od.bin"}}}});
  iocs.push_back({{"type", "domain"},
                  {"id", "outlook.office365.com"},
                  {"attributes",
                   {{"last_analysis_stats", stats(0, 0, 66, 28)},
                    {"reputation", 412},
                    {"categories", {{"Forcepoint ThreatSeeker", "web-based email"}}}}}});
  return iocs;
}

Json demo_cases() {
  Json cases = Json::array();
  cases.push_back(
      {{"id", 1041},
       {"name", "Office application spawned encoded PowerShell on WKS-07"},
       {"description",
        "EDR alert: WINWORD.EXE started powershell.exe -nop -w hidden -enc on "
        "WKS-07.corp.acme.local (user mbrown), followed by an HTTPS connection to "
        "cdn.acme-cloudsync.com (185.220.101.47)."},
       {"priority", "PriorityMedium"},
       {"status", "Opened"},
       {"assignedUser", "tier1.analyst"},
       {"creationTime", "2026-11-20T13:05:12.000Z"},
       {"alerts",
        {{{"id", "ALERT-88213"},
          {"ruleName", "Office Application Spawned PowerShell"},
          {"severity", "Medium"},
          {"createdTime", "2026-11-20T13:03:01.000Z"},
          {"entities", {"WKS-07", "mbrown", "185.220.101.47", "cdn.acme-cloudsync.com"}}}}},
       {"comments",
        {{{"comment",
           "Triage started. User mbrown says they opened an invoice attachment from email. "
           "Awaiting approval to isolate WKS-07."},
          {"author", "tier1.analyst"},
          {"createTime", "2026-11-20T13:41:30.000Z"}}}}});
  cases.push_back(
      {{"id", 1040},
       {"name", "Impossible travel: ijohnson"},
       {"description", "Sign-ins for ijohnson from London and Singapore within 40 minutes."},
       {"priority", "PriorityLow"},
       {"status", "Opened"},
       {"assignedUser", "tier1.analyst"},
       {"creationTime", "2026-11-19T08:12:44.000Z"},
       {"alerts", Json::array()},
       {"comments", Json::array()}});
  cases.push_back(
      {{"id", 1039},
       {"name", "Reported phishing: fake parcel delivery notice"},
       {"description", "hroberts reported a DHL-themed phishing mail; no click recorded."},
       {"priority", "PriorityLow"},
       {"status", "Opened"},
       {"creationTime", "2026-11-18T15:20:02.000Z"},
       {"alerts", Json::array()},
       {"comments", Json::array()}});
  cases.push_back({{"id", 1017},
                   {"name", "PsExec service installs on SQL01 from JUMP01"},
                   {"description",
                    "PSEXESVC installed on SQL01 by adm-jsmith from JUMP01. Confirmed as approved "
                    "maintenance (change CHG-2211); PsExec from JUMP01 by IT admins is expected."},
                   {"priority", "PriorityInfo"},
                   {"status", "Closed"},
                   {"creationTime", "2026-11-03T10:40:00.000Z"},
                   {"alerts", Json::array()},
                   {"comments",
                    {{{"comment", "Benign: approved admin activity from the jump host. Closing."},
                      {"author", "tier2.analyst"},
                      {"createTime", "2026-11-03T11:05:00.000Z"}}}}});
  cases.push_back({{"id", 1012},
                   {"name", "Adware detected on WKS-22"},
                   {"description", "Browser extension adware removed by AV on WKS-22 (vlewis)."},
                   {"priority", "PriorityLow"},
                   {"status", "Closed"},
                   {"creationTime", "2026-10-28T09:02:10.000Z"},
                   {"alerts", Json::array()},
                   {"comments", Json::array()}});
  return cases;
}

}  // namespace sim::demo
