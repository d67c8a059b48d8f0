// windows_mapping.hpp — Windows event records (Security, System, Sysmon, WMI-Activity, PowerShell)
// → UDM events, the way Google SecOps' WINEVTLOG / WINDOWS_SYSMON parsers map them.
//
// The mapping is data: one table row per (channel, event id) in windows_mapping.cpp, documented
// in docs/windows-mapping.md with the confidence of each field (confirmed in
// ../shared/reference/detections.md §4, or our most plausible choice). Correct a mapping there.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace sim {

// WindowsRecord is one Windows event normalised from any of the input shapes we accept:
// flat (NXLog / OTRF: EventID, Channel, Hostname, EventTime/@timestamp/TimeCreated, EventData
// fields at the top level), nested (Winlogbeat: winlog.event_id, winlog.channel,
// winlog.event_data.*, host.name, @timestamp) and EVTX (built by the EVTX reader).
struct WindowsRecord {
  int event_id = 0;
  std::string channel;   // as written; compared case-insensitively
  std::string provider;  // e.g. Microsoft-Windows-Sysmon, Service Control Manager
  std::string computer;  // as written (FQDN or short)
  std::string time_utc;  // RFC 3339 UTC with a Z suffix, e.g. 2020-10-22T03:02:11.123Z
  // time_is_local: the record carried only a local time without a zone (e.g. OTRF TimeCreated),
  // so time_utc holds that local wall-clock time read as UTC (docs/windows-mapping.md, "Time").
  bool time_is_local = false;
  // local_time: set when time_utc is a true UTC time (Sysmon UtcTime) and the record also carried a
  // zone-less local time of the same moment (TimeCreated / EventTime): that wall-clock time read
  // as UTC (RFC 3339). The pair reveals the logging host's UTC offset (sim/windows_local_time.hpp).
  std::string local_time;
  // utc_offset_minutes: set when time_utc was converted from a zone-less local time with the UTC
  // offset (local − UTC, e.g. -240 for UTC−4) learned from the same host's records.
  std::optional<int> utc_offset_minutes;
  nlohmann::json data = nlohmann::json::object();  // EventData / UserData name → string value
};

// parse_windows_record reads a flat or nested JSON record. nullopt (with *why set when why is not
// null) when the object is not a Windows event (no event id, or no channel / provider).
std::optional<WindowsRecord> parse_windows_record(const nlohmann::json& object,
                                                  std::string* why = nullptr);

// map_windows_event maps a record to a UDM event object (snake_case keys: metadata, principal,
// target, src, network, security_result, extensions, additional, ...). metadata.event_timestamp is
// the RFC 3339 UTC time; metadata.product_event_type the event id as a string. nullopt (with *why)
// for an event id / channel pair the table does not map (such events are skipped, not errors).
std::optional<nlohmann::json> map_windows_event(const WindowsRecord& record,
                                                std::string* why = nullptr);

// short_hostname normalises `WORKSTATION6.theshire.local` → `WORKSTATION6` (upper case, domain
// dropped); an IP address is returned unchanged.
std::string short_hostname(std::string_view host);

}  // namespace sim
