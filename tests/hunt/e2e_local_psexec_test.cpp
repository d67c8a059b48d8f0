// A local PsExec run that dumps LSA secrets as SYSTEM, in the shape of the OTRF export
// (docs/datasets.md): Security and System records carry only a zone-less local TimeCreated
// (UTC−4 here), Sysmon records carry UtcTime beside it, and the Security records come first in
// the file. The hunt must see one run, flag it, and say it is local. The records are written by
// this test (invented values), not copied from the dataset.
#include <fstream>

#include <catch2/catch.hpp>

#include "support/e2e.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace {

using e2e::Json;

constexpr const char* kHost = "WORKSTATION9";
constexpr const char* kPsexec = "C:\\Users\\frodo\\Downloads\\PSTools\\PsExec.exe";
constexpr const char* kClientLine =
    "PsExec.exe  -accepteula -s reg save HKLM\\security\\policy\\secrets "
    "C:\\Users\\frodo\\AppData\\Local\\Temp\\secrets";
constexpr const char* kRegLine =
    "\"reg\" save HKLM\\security\\policy\\secrets C:\\Users\\frodo\\AppData\\Local\\Temp\\secrets";

// local_record: a Security/System record with only a local time; sysmon: one with UtcTime too
// (UTC = local + 4 h, and the local TimeCreated a few milliseconds later, as Sysmon writes it).
Json local_record(int id, const char* channel, const std::string& local, Json data) {
  data["EventID"] = id;
  data["Channel"] = channel;
  data["Hostname"] = kHost;
  data["TimeCreated"] = "2021-03-02 " + local;
  return data;
}

Json sysmon(int id, const std::string& local_second, Json data) {
  data["EventID"] = id;
  data["Channel"] = "Microsoft-Windows-Sysmon/Operational";
  data["SourceName"] = "Microsoft-Windows-Sysmon";
  data["Hostname"] = kHost;
  data["TimeCreated"] = "2021-03-02 09:15:" + local_second + ".120";
  data["UtcTime"] = "2021-03-02 13:15:" + local_second + ".117";
  return data;
}

std::string write_run(const std::filesystem::path& dir) {
  const std::vector<Json> records = {
      local_record(4688, "Security", "09:15:10.251",
                   {{"SourceName", "Microsoft-Windows-Security-Auditing"},
                    {"SubjectUserName", "frodo"},
                    {"SubjectDomainName", kHost},
                    {"SubjectLogonId", "0x4f1a2"},
                    {"NewProcessId", "0x1c58"},
                    {"NewProcessName", kPsexec},
                    {"CommandLine", kClientLine},
                    {"ParentProcessName", "C:\\Windows\\System32\\cmd.exe"},
                    {"TargetLogonId", "0x0"}}),
      local_record(4697, "Security", "09:15:10.420",
                   {{"SourceName", "Microsoft-Windows-Security-Auditing"},
                    {"SubjectUserName", "frodo"},
                    {"SubjectDomainName", kHost},
                    {"SubjectLogonId", "0x4f1a2"},
                    {"ServiceName", "PSEXESVC"},
                    {"ServiceFileName", "%SystemRoot%\\PSEXESVC.exe"}}),
      local_record(7045, "System", "09:15:10.416",
                   {{"SourceName", "Service Control Manager"},
                    {"ServiceName", "PSEXESVC"},
                    {"ImagePath", "%SystemRoot%\\PSEXESVC.exe"},
                    {"AccountName", "LocalSystem"}}),
      local_record(4688, "Security", "09:15:10.660",
                   {{"SourceName", "Microsoft-Windows-Security-Auditing"},
                    {"SubjectUserName", "WORKSTATION9$"},
                    {"SubjectLogonId", "0x3e7"},
                    {"NewProcessId", "0x1d10"},
                    {"NewProcessName", "C:\\Windows\\System32\\reg.exe"},
                    {"CommandLine", kRegLine},
                    {"ParentProcessName", "C:\\Windows\\PSEXESVC.exe"},
                    {"TargetLogonId", "0x0"}}),
      sysmon(1, "10",
             {{"Image", kPsexec},
              {"OriginalFileName", "psexec.c"},
              {"CommandLine", kClientLine},
              {"ParentImage", "C:\\Windows\\System32\\cmd.exe"},
              {"User", "WORKSTATION9\\frodo"},
              {"LogonId", "0x4f1a2"},
              {"ProcessId", "7256"}}),
      sysmon(1, "10",
             {{"Image", "C:\\Windows\\PSEXESVC.exe"},
              {"CommandLine", "C:\\Windows\\PSEXESVC.exe"},
              {"ParentImage", "C:\\Windows\\System32\\services.exe"},
              {"User", "NT AUTHORITY\\SYSTEM"},
              {"LogonId", "0x3e7"},
              {"ProcessId", "5120"}}),
      sysmon(17, "10",
             {{"PipeName", "\\PSEXESVC-WORKSTATION9-7256-stdin"},
              {"Image", "C:\\Windows\\PSEXESVC.exe"},
              {"ProcessId", "5120"}}),
      sysmon(1, "10",
             {{"Image", "C:\\Windows\\System32\\reg.exe"},
              {"CommandLine", kRegLine},
              {"ParentImage", "C:\\Windows\\PSEXESVC.exe"},
              {"User", "NT AUTHORITY\\SYSTEM"},
              {"LogonId", "0x3e7"},
              {"ProcessId", "7440"}}),
  };
  const auto path = dir / "local-psexec.jsonl";
  std::ofstream out(path);
  for (const auto& record : records) out << record.dump() << "\n";
  return path.string();
}

}  // namespace

TEST_CASE("a local PsExec run dumping LSA secrets as SYSTEM is one suspicious local finding",
          "[e2e][hunt]") {
  e2e::TempDir dir;
  const std::string events = write_run(dir.path());
  auto run = e2e::run_lmhunt(dir.str(), {"hunt", "--events", events, "--now", "latest", "--hours",
                                         "8760", "--format", "json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const Json result = Json::parse(run.out);
  INFO(result["findings"].dump(1));
  CHECK(result["verdict"] == "suspicious");
  CHECK(result["verdict_reason"].get<std::string>().find("local execution, no remote target") !=
        std::string::npos);
  // One run, one finding: the Security/System times were moved to UTC beside the Sysmon ones.
  REQUIRE(result["findings"].size() == 1);
  const Json& f = result["findings"][0];
  CHECK(f["id"] == "F1");
  CHECK(f["verdict"] == "suspicious");
  CHECK(f["source_host"] == kHost);
  CHECK(f["targets"] == Json::array({kHost}));
  CHECK(f["user"] == "frodo");
  const auto first = hunt::parse_time(f["first_seen"].get<std::string>());
  const auto last = hunt::parse_time(f["last_seen"].get<std::string>());
  REQUIRE(first);
  REQUIRE(last);
  CHECK(*last - *first < 60);
  CHECK(f["first_seen"].get<std::string>().starts_with("2021-03-02T13:15:"));
  bool dumping = false, local = false;
  for (const auto& reason : f["reasons"]) {
    const std::string text = reason;
    dumping |= text.find("credential dumping") != std::string::npos;
    local |= text.find("local execution on WORKSTATION9 (no remote target)") != std::string::npos;
  }
  CHECK(dumping);
  CHECK(local);
  CHECK(e2e::no_leaked_children(dir.str()));
}
