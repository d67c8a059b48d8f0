// analysis_events.hpp — hand-built UDM events (shaped as /work/briefs/udm-mapping.md and
// sim/windows_mapping.cpp write them) and catalog entries for the analysis and report tests.
#pragma once

#include <algorithm>
#include <string>

#include "tools/hunt/evidence.hpp"
#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/model.hpp"

namespace udm_events {

// any_reason reports whether one of the finding's scoring reasons contains text.
inline bool any_reason(const hunt::Finding& f, const std::string& text) {
  return std::any_of(f.reasons.begin(), f.reasons.end(),
                     [&](const std::string& r) { return r.find(text) != std::string::npos; });
}

using hunt::Json;

// at returns 2024-05-01T10:00:00Z plus `minutes`.
inline std::string at(int minutes) {
  return hunt::format_time(1714557600 + static_cast<std::int64_t>(minutes) * 60);
}

inline Json base(const std::string& time, const std::string& event_type,
                 const std::string& product_event_type, const std::string& host,
                 const std::string& product_name) {
  return {
      {"metadata",
       {{"event_timestamp", time},
        {"event_type", event_type},
        {"product_event_type", product_event_type},
        {"vendor_name", "Microsoft"},
        {"product_name", product_name},
        {"log_type", product_name == "Microsoft-Windows-Sysmon" ? "WINDOWS_SYSMON" : "WINEVTLOG"}}},
      {"principal", {{"hostname", host}}}};
}

// Sysmon 1 process launch.
inline Json process(const std::string& time, const std::string& host, const std::string& parent,
                    const std::string& image, const std::string& command_line,
                    const std::string& user = "alice", const std::string& original_file_name = "") {
  Json e = base(time, "PROCESS_LAUNCH", "1", host, "Microsoft-Windows-Sysmon");
  e["principal"]["process"] = {{"file", {{"full_path", parent}}}, {"pid", 1000}};
  e["principal"]["user"] = {{"userid", user}};
  e["target"] = {
      {"process",
       {{"file", {{"full_path", image}}}, {"command_line", command_line}, {"pid", 2000}}},
      {"user", {{"userid", user}}}};
  if (!original_file_name.empty()) {
    e["src"] = {{"process", {{"file", {{"full_path", original_file_name}}}}}};
  }
  e["additional"] = {{"fields", {{"LogonId", "0x1a2b"}}}};
  return e;
}

// System 7045 service install.
inline Json service(const std::string& time, const std::string& host, const std::string& name,
                    const std::string& image_path) {
  Json e = base(time, "SERVICE_CREATION", "7045", host, "Service Control Manager");
  e["principal"]["process"] = {{"pid", 0}};
  e["target"] = {
      {"application", name},
      {"process", {{"file", {{"full_path", image_path}}}, {"command_line", image_path}}}};
  e["additional"] = {
      {"fields", {{"ServiceType", "user mode service"}, {"AccountName", "LocalSystem"}}}};
  return e;
}

// Sysmon 17 pipe created.
inline Json pipe(const std::string& time, const std::string& host, const std::string& name) {
  Json e = base(time, "FILE_CREATION", "17", host, "Microsoft-Windows-Sysmon");
  e["principal"]["process"] = {{"file", {{"full_path", "C:\\Windows\\PSEXESVC.exe"}}}};
  e["target"] = {{"file", {{"full_path", name}}}};
  return e;
}

// Security 4624.
inline Json logon(const std::string& time, const std::string& host, const std::string& user,
                  const std::string& ip, const std::string& workstation, int type = 3,
                  const std::string& logon_id = "0x5000") {
  Json e = base(time, "USER_LOGIN", "4624", host, "Microsoft-Windows-Security-Auditing");
  e["target"] = {{"user", {{"userid", user}}}, {"administrative_domain", "CORP"}};
  e["src"] = {{"ip", ip}, {"port", 50000}};
  if (!workstation.empty()) e["src"]["hostname"] = workstation;
  e["extensions"] = {{"auth", {{"mechanism", type == 3 ? "NETWORK" : "INTERACTIVE"}}}};
  e["security_result"] = Json::array({{{"action", Json::array({"ALLOW"})}}});
  e["additional"] = {{"fields",
                      {{"LogonType", std::to_string(type)},
                       {"TargetLogonId", logon_id},
                       {"AuthenticationPackageName", "NTLM"}}}};
  return e;
}

// Sysmon 3 network connection as logged by `host`.
inline Json network(const std::string& time, const std::string& host, const std::string& src_ip,
                    int src_port, const std::string& dst_ip, int dst_port,
                    const std::string& initiated, const std::string& dst_name = "") {
  Json e = base(time, "NETWORK_CONNECTION", "3", host, "Microsoft-Windows-Sysmon");
  e["principal"]["ip"] = Json::array({src_ip});
  e["principal"]["port"] = src_port;
  e["principal"]["process"] = {{"file", {{"full_path", "System"}}}};
  e["target"] = {{"ip", Json::array({dst_ip})}, {"port", dst_port}};
  if (!dst_name.empty()) e["target"]["hostname"] = dst_name;
  e["network"] = {{"ip_protocol", "TCP"}};
  if (!initiated.empty()) e["additional"] = {{"fields", {{"Initiated", initiated}}}};
  return e;
}

inline hunt::CatalogEntry entry(const std::string& id, const std::string& family,
                                const std::string& technique, int weight,
                                const std::string& title = "") {
  hunt::CatalogEntry e{.id = id,
                       .title = title.empty() ? id : title,
                       .technique = technique,
                       .techniques = {technique},
                       .family = family,
                       .role = weight > 0 ? "detection" : "context",
                       .query = "",
                       .parsed = udm::parse(R"(metadata.event_type = "PROCESS_LAUNCH")").value(),
                       .natural_language = "",
                       .runbook_query = "",
                       .rationale = "",
                       .false_positives = {},
                       .weight = weight,
                       .extract = {}};
  return e;
}

inline const hunt::CatalogEntry& psexec_service() {
  static const auto e = entry("psexec_service_install", "psexec", "T1569.002", 60,
                              "PsExec service (PSEXESVC) installed");
  return e;
}
inline const hunt::CatalogEntry& psexec_pipe() {
  static const auto e = entry("psexec_pipes", "psexec", "T1021.002", 55, "PsExec stdio pipes");
  return e;
}
inline const hunt::CatalogEntry& psexec_child() {
  static const auto e = entry("psexesvc_child", "psexec", "T1569.002", 50, "Child of PSEXESVC");
  return e;
}
inline const hunt::CatalogEntry& wmi_child() {
  static const auto e = entry("wmiprvse_child", "wmi", "T1047", 45, "WmiPrvSE child process");
  return e;
}
inline const hunt::CatalogEntry& wmic_node() {
  static const auto e = entry("wmic_node", "wmi", "T1047", 50, "wmic /node process call create");
  return e;
}
inline const hunt::CatalogEntry& impacket() {
  static const auto e = entry("impacket_exec", "impacket", "T1047", 80, "Impacket wmiexec/smbexec");
  return e;
}
inline const hunt::CatalogEntry& correlation() {
  static const auto e = entry("correlate:X:logon", "fan_out", "T1021.002", 0, "correlation");
  return e;
}

}  // namespace udm_events
