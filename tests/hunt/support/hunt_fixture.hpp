// hunt_fixture.hpp — a small detection catalog and UDM events for the engine's unit tests: PsExec
// from WKS07 to three servers (service installs and stdio pipes naming the client host), plus WMI
// and network-logon entries that find nothing.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "fake_downstream.hpp"
#include "tools/hunt/args.hpp"
#include "tools/hunt/catalog.hpp"
#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/runner.hpp"

namespace test {

inline mcp::Json test_catalog_json() {
  return mcp::Json::parse(R"json({
  "version": 1,
  "detections": [
    {"id": "psexec_service_install", "title": "PsExec service (PSEXESVC) installed",
     "family": "psexec", "role": "detection", "technique": "T1569.002",
     "techniques": ["T1569.002", "T1021.002"],
     "query": "metadata.event_type = \"SERVICE_CREATION\" AND target.application = /psexesvc/ nocase",
     "natural_language": "PsExec service installations",
     "runbook_query": "metadata.product_event_type = \"ServiceInstalled\" AND target.process.file.full_path CONTAINS \"PSEXESVC.exe\"",
     "rationale": "PsExec installs PSEXESVC on the target", "weight": 90},
    {"id": "psexec_pipe", "title": "PsExec stdio named pipe", "family": "psexec",
     "role": "detection", "technique": "T1021.002",
     "query": "metadata.product_event_type = \"17\" AND target.file.full_path = /psexesvc-/ nocase",
     "weight": 100},
    {"id": "wmi_provider_child", "title": "WmiPrvSE.exe spawned a shell", "family": "wmi",
     "role": "detection", "technique": "T1047",
     "query": "metadata.event_type = \"PROCESS_LAUNCH\" AND principal.process.file.full_path = /wmiprvse\\.exe$/ nocase",
     "weight": 55},
    {"id": "network_logons", "title": "Network logons (type 3)", "family": "fan_out",
     "role": "context", "technique": "T1021.002",
     "query": "metadata.event_type = \"USER_LOGIN\" AND additional.fields[\"LogonType\"] = \"3\"",
     "weight": 10}
  ]
})json");
}

inline std::vector<hunt::CatalogEntry> test_catalog() {
  return hunt::parse_catalog(test_catalog_json()).value();
}

// minutes_ago is an RFC 3339 timestamp `minutes` before now.
inline std::string minutes_ago(int minutes) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return hunt::format_time(now - std::int64_t{60} * minutes);
}

inline mcp::Json service_install(const std::string& host, int minutes) {
  return {{"metadata",
           {{"event_timestamp", minutes_ago(minutes)},
            {"event_type", "SERVICE_CREATION"},
            {"product_event_type", "7045"},
            {"product_name", "Service Control Manager"}}},
          {"principal", {{"hostname", host + ".corp.local"}, {"process", {{"pid", 0}}}}},
          {"target",
           {{"application", "PSEXESVC"},
            {"process",
             {{"file", {{"full_path", "%SystemRoot%\\PSEXESVC.exe"}}},
              {"command_line", "%SystemRoot%\\PSEXESVC.exe"}}}}}};
}

inline mcp::Json psexec_pipe(const std::string& host, const std::string& client, int minutes) {
  return {{"metadata",
           {{"event_timestamp", minutes_ago(minutes)},
            {"event_type", "FILE_CREATION"},
            {"product_event_type", "17"},
            {"product_name", "Microsoft-Windows-Sysmon"}}},
          {"principal",
           {{"hostname", host + ".corp.local"},
            {"process", {{"file", {{"full_path", "C:\\Windows\\PSEXESVC.exe"}}}}}}},
          {"target", {{"file", {{"full_path", "\\PSEXESVC-" + client + "-4242-stdin"}}}}}};
}

// psexec_events: WKS07 runs PsExec against SRV01..SRV03 within a few minutes.
inline std::vector<mcp::Json> psexec_events() {
  std::vector<mcp::Json> events;
  int minute = 50;
  for (const char* host : {"SRV01", "SRV02", "SRV03"}) {
    events.push_back(service_install(host, minute));
    events.push_back(psexec_pipe(host, "WKS07", minute - 1));
    minute -= 3;
  }
  return events;
}

// Rig is a hunt environment over in-memory fakes: the test catalog, PsExec events, case 42.
struct Rig {
  Rig() {
    siem->events = psexec_events();
    siem->entities["WKS07"] = "Entity WKS07: asset, first seen 2024-01-01, 120 events";
    soar->add_case("42", "Hunting case", "Threat hunting log");
    settings.spool_dir = spool_dir();
  }

  static std::string spool_dir() {
    return (std::filesystem::temp_directory_path() /
            ("lmhunt-engine-test-spool-" + std::to_string(::getpid())))
        .string();
  }

  hunt::HuntEnv env() const {
    hunt::HuntEnv e;
    e.downstream.siem = with_siem ? siem : nullptr;
    e.downstream.threat_intel = intel;
    e.downstream.soar = with_soar ? soar : nullptr;
    e.catalog = std::make_shared<const std::vector<hunt::CatalogEntry>>(catalog);
    e.settings = settings;
    e.research_cache = cache;
    return e;
  }

  hunt::HuntArgs args(mcp::Json arguments = mcp::Json::object()) const {
    return hunt::parse_hunt_args(arguments, settings).value();
  }

  hunt::HuntResult run(const hunt::HuntArgs& a, const std::string& id = hunt::new_hunt_id()) {
    hunt::HuntRunner runner(env(), a, id);
    return runner.run({});
  }

  std::shared_ptr<FakeSiem> siem = std::make_shared<FakeSiem>();
  std::shared_ptr<FakeThreatIntel> intel = std::make_shared<FakeThreatIntel>();
  std::shared_ptr<FakeSoar> soar = std::make_shared<FakeSoar>();
  std::shared_ptr<hunt::ResearchCache> cache =
      std::make_shared<hunt::ResearchCache>(std::chrono::seconds(3600));
  std::vector<hunt::CatalogEntry> catalog = test_catalog();
  hunt::HuntSettings settings;
  bool with_siem = true;
  bool with_soar = true;
};

inline const hunt::QueryOutcome* query(const hunt::HuntResult& r, const std::string& id) {
  for (const auto& q : r.queries) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

}  // namespace test
