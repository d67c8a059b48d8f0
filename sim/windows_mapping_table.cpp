// windows_mapping_table.cpp — the rows of the Windows → UDM mapping (the contract is
// ../briefs/udm-mapping.md; confidence per field in docs/windows-mapping.md). Rules run in order;
// a later rule writing the same path wins.
#include "sim/windows_mapping_table.hpp"

#include <string>

#include "sim/windows_values.hpp"

namespace sim::winmap {

namespace {

using enum Kind;

// ---- Sysmon (Microsoft-Windows-Sysmon/Operational) ----
constexpr FieldRule kSysmon1[] = {
    {kString, "ParentImage", "principal.process.file.full_path"},
    {kString, "ParentCommandLine", "principal.process.command_line"},
    {kPid, "ParentProcessId", "principal.process.pid"},
    {kString, "Image", "target.process.file.full_path"},
    {kString, "CommandLine", "target.process.command_line"},
    {kPid, "ProcessId", "target.process.pid"},
    {kString, "OriginalFileName", "src.process.file.full_path"},
    {kHashes, "Hashes", "target.process.file"},
    {kUser, "User", "principal"},
    {kUser, "User", "target"},
    {kString, "LogonId", "additional.fields.LogonId"},
    {kString, "IntegrityLevel", "additional.fields.IntegrityLevel"},
    {kString, "CurrentDirectory", "additional.fields.CurrentDirectory"},
};
constexpr FieldRule kSysmon3[] = {
    {kIp, "SourceIp", "principal.ip"},
    {kPort, "SourcePort", "principal.port"},
    {kIp, "DestinationIp", "target.ip"},
    {kPort, "DestinationPort", "target.port"},
    {kString, "DestinationHostname", "target.hostname"},
    {kString, "Image", "principal.process.file.full_path"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kUser, "User", "principal"},
    {kUpper, "Protocol", "network.ip_protocol"},
    {kString, "Initiated", "additional.fields.Initiated"},
    {kString, "SourceHostname", "additional.fields.SourceHostname"},
};
constexpr FieldRule kSysmon11[] = {
    {kString, "TargetFilename", "target.file.full_path"},
    {kString, "Image", "principal.process.file.full_path"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kUser, "User", "principal"},
};
constexpr FieldRule kSysmon13[] = {
    {kString, "TargetObject", "target.registry.registry_key"},
    {kString, "Details", "target.registry.registry_value_data"},
    {kString, "Image", "principal.process.file.full_path"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kUser, "User", "principal"},
    {kString, "EventType", "additional.fields.EventType"},
};
constexpr FieldRule kSysmonPipe[] = {
    {kString, "PipeName", "target.file.full_path"},
    {kString, "Image", "principal.process.file.full_path"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kUser, "User", "principal"},
    {kString, "EventType", "additional.fields.EventType"},
};
constexpr FieldRule kSysmonWmi[] = {
    {kString, "Name", "target.resource.name"},
    {kUser, "User", "principal"},
    {kString, "Operation", "additional.fields.Operation"},
    {kString, "EventNamespace", "additional.fields.EventNamespace"},
    {kString, "Query", "additional.fields.Query"},
    {kString, "Type", "additional.fields.Type"},
    {kString, "Destination", "additional.fields.Destination"},
    {kString, "Consumer", "additional.fields.Consumer"},
    {kString, "Filter", "additional.fields.Filter"},
    {kString, "EventType", "additional.fields.EventType"},
};

// ---- Security (Microsoft-Windows-Security-Auditing) ----
constexpr FieldRule kSecurity4688[] = {
    {kString, "ParentProcessName", "principal.process.file.full_path"},
    {kString, "ParentCommandLine", "principal.process.command_line"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kString, "NewProcessName", "target.process.file.full_path"},
    {kString, "CommandLine", "target.process.command_line"},
    {kPid, "NewProcessId", "target.process.pid"},
    {kString, "SubjectUserName", "principal.user.userid"},
    {kString, "SubjectDomainName", "principal.administrative_domain"},
    {kString, "TargetUserName", "target.user.userid"},
    {kString, "TargetDomainName", "target.administrative_domain"},
    {kString, "SubjectLogonId", "additional.fields.SubjectLogonId"},
    {kString, "TargetLogonId", "additional.fields.TargetLogonId"},
    {kString, "IntegrityLevel", "additional.fields.IntegrityLevel"},
    {kString, "MandatoryLabel", "additional.fields.MandatoryLabel"},
    {kString, "TokenElevationType", "additional.fields.TokenElevationType"},
};
constexpr FieldRule kSecurityLogon[] = {
    // 4624 and 4625
    {kString, "TargetUserName", "target.user.userid"},
    {kString, "TargetDomainName", "target.administrative_domain"},
    {kIp, "IpAddress", "src.ip"},
    {kPort, "IpPort", "src.port"},
    {kString, "WorkstationName", "src.hostname"},
    {kString, "ProcessName", "principal.process.file.full_path"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kLogonType, "LogonType", "extensions.auth.mechanism"},
    {kString, "LogonType", "additional.fields.LogonType"},
    {kString, "TargetLogonId", "additional.fields.TargetLogonId"},
    {kString, "SubjectLogonId", "additional.fields.SubjectLogonId"},
    {kString, "AuthenticationPackageName", "additional.fields.AuthenticationPackageName"},
    {kString, "LogonProcessName", "additional.fields.LogonProcessName"},
    {kString, "ElevatedToken", "additional.fields.ElevatedToken"},
    {kString, "Status", "additional.fields.Status"},
    {kString, "SubStatus", "additional.fields.SubStatus"},
    {kString, "FailureReason", "additional.fields.FailureReason"},
};
constexpr FieldRule kSecurity4648[] = {
    {kString, "SubjectUserName", "principal.user.userid"},
    {kString, "SubjectDomainName", "principal.administrative_domain"},
    {kString, "TargetUserName", "target.user.userid"},
    {kString, "TargetDomainName", "target.administrative_domain"},
    {kString, "TargetServerName", "target.hostname"},
    {kIp, "IpAddress", "target.ip"},
    {kPort, "IpPort", "target.port"},
    {kString, "ProcessName", "principal.process.file.full_path"},
    {kPid, "ProcessId", "principal.process.pid"},
    {kString, "TargetInfo", "additional.fields.TargetInfo"},
    {kString, "SubjectLogonId", "additional.fields.SubjectLogonId"},
};
constexpr FieldRule kSecurity4672[] = {
    {kString, "SubjectUserName", "target.user.userid"},
    {kString, "SubjectDomainName", "target.administrative_domain"},
    {kString, "SubjectLogonId", "additional.fields.SubjectLogonId"},
    {kString, "PrivilegeList", "additional.fields.PrivilegeList"},
};
constexpr FieldRule kSecurity4697[] = {
    {kString, "ServiceName", "target.application"},
    {kString, "ServiceFileName", "target.process.file.full_path"},
    {kString, "ServiceFileName", "target.process.command_line"},
    {kString, "SubjectUserName", "principal.user.userid"},
    {kString, "SubjectDomainName", "principal.administrative_domain"},
    {kPid, "ClientProcessId", "principal.process.pid"},
    {kString, "SubjectLogonId", "additional.fields.SubjectLogonId"},
    {kString, "ClientProcessId", "additional.fields.ClientProcessId"},
    {kString, "ServiceType", "additional.fields.ServiceType"},
    {kString, "ServiceStartType", "additional.fields.ServiceStartType"},
    {kString, "ServiceAccount", "additional.fields.ServiceAccount"},
};
constexpr FieldRule kSecurityShare[] = {
    // 5140 and 5145
    {kString, "SubjectUserName", "principal.user.userid"},
    {kString, "SubjectDomainName", "principal.administrative_domain"},
    {kIp, "IpAddress", "src.ip"},
    {kPort, "IpPort", "src.port"},
    {kString, "ShareName", "target.resource.name"},
    {kString, "RelativeTargetName", "target.file.full_path"},
    {kString, "AccessMask", "additional.fields.AccessMask"},
    {kString, "SubjectLogonId", "additional.fields.SubjectLogonId"},
    {kString, "ShareLocalPath", "additional.fields.ShareLocalPath"},
};

// ---- System (Service Control Manager) ----
constexpr FieldRule kSystem7045[] = {
    {kString, "ServiceName", "target.application"},
    {kString, "ImagePath", "target.process.file.full_path"},
    {kString, "ImagePath", "target.process.command_line"},
    {kPid, "ExecutionProcessID|ProcessID", "principal.process.pid"},
    {kString, "ServiceType", "additional.fields.ServiceType"},
    {kString, "StartType", "additional.fields.StartType"},
    {kString, "AccountName", "additional.fields.AccountName"},
};

// ---- WMI-Activity (Microsoft-Windows-WMI-Activity/Operational) ----
constexpr FieldRule kWmiProvider[] = {
    // 5857-5860
    {kString, "ProviderPath", "target.process.file.full_path"},
    {kPid, "ClientProcessId|ProcessID|processid|ProcessId", "principal.process.pid"},
    {kString, "Operation", "additional.fields.Operation"},
    {kString, "User", "additional.fields.User"},
    {kString, "ClientMachine", "additional.fields.ClientMachine"},
    {kString, "HostProcess", "additional.fields.HostProcess"},
    {kString, "ResultCode", "additional.fields.ResultCode"},
    {kString, "NamespaceName", "additional.fields.NamespaceName"},
    {kString, "Query", "additional.fields.Query"},
    {kString, "PossibleCause", "additional.fields.PossibleCause"},
};
constexpr FieldRule kWmi5861[] = {
    {kString, "CONSUMER|Consumer|ESS|Eventfilter", "target.resource.name"},
    {kString, "Namespace", "additional.fields.Namespace"},
    {kString, "ESS|Eventfilter", "additional.fields.ESS"},
    {kString, "CONSUMER|Consumer", "additional.fields.CONSUMER"},
    {kString, "PossibleCause", "additional.fields.PossibleCause"},
};

// ---- PowerShell (Microsoft-Windows-PowerShell/Operational) ----
constexpr FieldRule kPowerShell4103[] = {
    {kString, "Payload", "target.process.command_line"},
    {kString, "ContextInfo", "additional.fields.ContextInfo"},
    {kPid, "ExecutionProcessID|ProcessID", "principal.process.pid"},
};
constexpr FieldRule kPowerShell4104[] = {
    {kString, "ScriptBlockText", "target.process.command_line"},
    {kString, "ScriptBlockId", "additional.fields.ScriptBlockId"},
    {kString, "Path", "additional.fields.Path"},
    {kString, "MessageNumber", "additional.fields.MessageNumber"},
    {kString, "MessageTotal", "additional.fields.MessageTotal"},
    {kPid, "ExecutionProcessID|ProcessID", "principal.process.pid"},
};

constexpr MappingRow kRows[] = {
    {Family::kSysmon, 1, "PROCESS_LAUNCH", nullptr, kSysmon1},
    {Family::kSysmon, 3, "NETWORK_CONNECTION", nullptr, kSysmon3},
    {Family::kSysmon, 11, "FILE_CREATION", nullptr, kSysmon11},
    {Family::kSysmon, 13, "REGISTRY_MODIFICATION", nullptr, kSysmon13},
    {Family::kSysmon, 17, "FILE_CREATION", nullptr, kSysmonPipe},
    {Family::kSysmon, 18, "FILE_OPEN", nullptr, kSysmonPipe},
    {Family::kSysmon, 19, "USER_UNCATEGORIZED", nullptr, kSysmonWmi},
    {Family::kSysmon, 20, "USER_UNCATEGORIZED", nullptr, kSysmonWmi},
    {Family::kSysmon, 21, "USER_UNCATEGORIZED", nullptr, kSysmonWmi},
    {Family::kSecurity, 4624, "USER_LOGIN", nullptr, kSecurityLogon, "ALLOW"},
    {Family::kSecurity, 4625, "USER_LOGIN", nullptr, kSecurityLogon, "BLOCK"},
    {Family::kSecurity, 4648, "USER_LOGIN", nullptr, kSecurity4648},
    {Family::kSecurity, 4672, "USER_UNCATEGORIZED", nullptr, kSecurity4672},
    {Family::kSecurity, 4688, "PROCESS_LAUNCH", nullptr, kSecurity4688},
    {Family::kSecurity, 4697, "SERVICE_CREATION", nullptr, kSecurity4697},
    {Family::kSecurity, 5140, "USER_RESOURCE_ACCESS", nullptr, kSecurityShare},
    {Family::kSecurity, 5145, "USER_RESOURCE_ACCESS", nullptr, kSecurityShare},
    {Family::kSystem, 7045, "SERVICE_CREATION", "Service Control Manager", kSystem7045},
    {Family::kWmiActivity, 5857, "USER_UNCATEGORIZED", nullptr, kWmiProvider},
    {Family::kWmiActivity, 5858, "USER_UNCATEGORIZED", nullptr, kWmiProvider},
    {Family::kWmiActivity, 5859, "USER_UNCATEGORIZED", nullptr, kWmiProvider},
    {Family::kWmiActivity, 5860, "USER_UNCATEGORIZED", nullptr, kWmiProvider},
    {Family::kWmiActivity, 5861, "USER_UNCATEGORIZED", nullptr, kWmi5861},
    {Family::kPowerShell, 4103, "PROCESS_UNCATEGORIZED", nullptr, kPowerShell4103},
    {Family::kPowerShell, 4104, "PROCESS_UNCATEGORIZED", nullptr, kPowerShell4104},
};

}  // namespace

std::span<const MappingRow> rows() {
  return kRows;
}

Family family_of(std::string_view channel, std::string_view provider) {
  const std::string c = winvalues::lower(channel);
  if (c == "microsoft-windows-sysmon/operational") return Family::kSysmon;
  if (c == "security") return Family::kSecurity;
  if (c == "system") return Family::kSystem;
  if (c == "microsoft-windows-wmi-activity/operational") return Family::kWmiActivity;
  if (c == "microsoft-windows-powershell/operational") return Family::kPowerShell;
  if (!c.empty() && c != "forwardedevents") return Family::kUnknown;
  // No channel, or Windows Event Forwarding's collector channel: the provider decides.
  const std::string p = winvalues::lower(provider);
  if (p == "microsoft-windows-sysmon") return Family::kSysmon;
  if (p == "microsoft-windows-security-auditing") return Family::kSecurity;
  if (p == "service control manager") return Family::kSystem;
  if (p == "microsoft-windows-wmi-activity") return Family::kWmiActivity;
  if (p == "microsoft-windows-powershell") return Family::kPowerShell;
  return Family::kUnknown;
}

const char* family_product_name(Family family) {
  switch (family) {
    case Family::kSysmon:
      return "Microsoft-Windows-Sysmon";
    case Family::kSecurity:
      return "Microsoft-Windows-Security-Auditing";
    case Family::kSystem:
      return "Service Control Manager";
    case Family::kWmiActivity:
      return "Microsoft-Windows-WMI-Activity";
    case Family::kPowerShell:
      return "PowerShell";
    case Family::kUnknown:
      break;
  }
  return "";
}

const char* family_log_type(Family family) {
  return family == Family::kSysmon ? "WINDOWS_SYSMON" : "WINEVTLOG";
}

const char* family_label(Family family) {
  switch (family) {
    case Family::kSysmon:
      return "Sysmon";
    case Family::kSecurity:
      return "Security";
    case Family::kSystem:
      return "System";
    case Family::kWmiActivity:
      return "WMI-Activity";
    case Family::kPowerShell:
      return "PowerShell";
    case Family::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace sim::winmap
