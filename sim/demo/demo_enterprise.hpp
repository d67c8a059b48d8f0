// demo_enterprise.hpp — the bundled demo enterprise: five days of Windows telemetry from a small
// company (corp.acme.local, 42 hosts) with ordinary noise, benign administration (PsExec from the
// jump host, SCCM-style WMI) and one PsExec/WMI intrusion, plus threat-intel objects and seeded
// SOAR cases. examples/demo/README.md tells the story and the findings a hunt should make.
//
// Deterministic: a fixed seed and a fixed end time (kDemoEndTime); no clock, no global state, so
// two calls return equal data and tests can pin counts.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcp/result.hpp"

namespace sim {

inline constexpr const char* kDemoStartTime = "2026-11-15T18:00:00.000Z";
inline constexpr const char* kDemoEndTime = "2026-11-20T18:00:00.000Z";

// DemoData is everything the demo seeds into the local SecOps stand-in.
struct DemoData {
  // windows_records are flat NXLog/OTRF-style Windows events (EventID, Channel, Hostname as FQDN,
  // SourceName, "@timestamp" RFC 3339 UTC, EventData fields at the top level), oldest first, for
  // parse_windows_record + map_windows_event.
  std::vector<nlohmann::json> windows_records;
  // iocs is a JSON array of VirusTotal-shaped objects {type, id, attributes{...}} ("file",
  // "ip_address", "domain", "url").
  nlohmann::json iocs;
  // cases is a JSON array of SOAR case seeds {id, name, description, priority, status,
  // creationTime, alerts[], comments[]} for CaseStore::seed_if_empty.
  nlohmann::json cases;
  std::string start_time;  // RFC 3339 UTC bounds of windows_records (kDemoStartTime/kDemoEndTime)
  std::string end_time;
};

// generate_demo builds the demo enterprise. Pure and deterministic.
DemoData generate_demo();

// write_demo_files writes generate_demo() into dir (which must exist) as demo-events.jsonl (one
// Windows record per line), demo-iocs.json and demo-cases.json. Error names the file that could
// not be written.
mcp::Status write_demo_files(const std::string& dir);

}  // namespace sim
