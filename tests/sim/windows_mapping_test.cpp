// map_windows_event: one test per event family of the mapping contract
// (../briefs/udm-mapping.md, docs/windows-mapping.md), with the traps of detections.md §7.
// Records are small hand-written objects in the shape of the real exports, not copied data.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/windows_mapping.hpp"
#include "udm/query.hpp"

namespace {

using nlohmann::json;

// mapped parses and maps a record written as JSON text, requiring both to succeed.
json mapped(const char* text) {
  std::string why;
  auto record = sim::parse_windows_record(json::parse(text), &why);
  INFO(why);
  REQUIRE(record);
  auto event = sim::map_windows_event(*record, &why);
  INFO(why);
  REQUIRE(event);
  return *event;
}

// matches evaluates a UDM Search query (as the catalog writes it) on a mapped event.
bool matches(const char* query, const json& event) {
  auto parsed = udm::parse(query);
  INFO(query);
  REQUIRE(parsed);
  return udm::matches(parsed.value(), event);
}

json fields(const json& event) {
  return event.at("additional").at("fields");
}

}  // namespace

TEST_CASE("Sysmon 1 maps to PROCESS_LAUNCH with parent, child, OriginalFileName and hashes",
          "[sim][mapping]") {
  json e = mapped(R"({"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "SourceName": "Microsoft-Windows-Sysmon", "Hostname": "WORKSTATION5",
    "UtcTime": "2020-10-19 07:30:46.251", "TimeCreated": "2020-10-19 03:30:46.257",
    "ParentImage": "C:\\Windows\\System32\\cmd.exe", "ParentCommandLine": "\"cmd.exe\" ",
    "ParentProcessId": "2128", "Image": "C:\\Tools\\PsExec.exe", "ProcessId": 7256,
    "CommandLine": "PsExec.exe -accepteula -s cmd", "OriginalFileName": "psexec.c",
    "User": "WORKSTATION5\\wardog", "LogonId": "0xc61d9", "IntegrityLevel": "High",
    "Hashes": "SHA1=E50D9E3B,MD5=27304B24,SHA256=3337E387,IMPHASH=C1E59519"})");
  const json& m = e["metadata"];
  CHECK(m["event_type"] == "PROCESS_LAUNCH");
  CHECK(m["product_event_type"] == "1");
  CHECK(m["event_timestamp"] == "2020-10-19T07:30:46.251Z");
  CHECK(m["vendor_name"] == "Microsoft");
  CHECK(m["product_name"] == "Microsoft-Windows-Sysmon");
  CHECK(m["log_type"] == "WINDOWS_SYSMON");
  CHECK(e["principal"]["hostname"] == "WORKSTATION5");
  CHECK(e["principal"]["process"]["file"]["full_path"] == "C:\\Windows\\System32\\cmd.exe");
  CHECK(e["principal"]["process"]["command_line"] == "\"cmd.exe\" ");
  CHECK(e["principal"]["process"]["pid"] == "2128");
  CHECK(e["target"]["process"]["file"]["full_path"] == "C:\\Tools\\PsExec.exe");
  CHECK(e["target"]["process"]["command_line"] == "PsExec.exe -accepteula -s cmd");
  CHECK(e["target"]["process"]["pid"] == "7256");
  CHECK(e["src"]["process"]["file"]["full_path"] == "psexec.c");
  CHECK(e["target"]["process"]["file"]["sha256"] == "3337e387");
  CHECK(e["target"]["process"]["file"]["md5"] == "27304b24");
  CHECK(e["target"]["process"]["file"]["sha1"] == "e50d9e3b");
  CHECK(e["principal"]["user"]["userid"] == "wardog");
  CHECK(e["principal"]["administrative_domain"] == "WORKSTATION5");
  CHECK(e["target"]["user"]["userid"] == "wardog");
  CHECK(fields(e)["LogonId"] == "0xc61d9");
  CHECK(fields(e)["IntegrityLevel"] == "High");
  CHECK(matches(
      R"(metadata.event_type = "PROCESS_LAUNCH" AND src.process.file.full_path = "psexec.c" nocase)",
      e));
}

TEST_CASE("Security 4688 maps to PROCESS_LAUNCH with hex pids and both users", "[sim][mapping]") {
  // A WMI-launched child on the target: the subject is the machine account, the real user is
  // TargetUserName, and TargetLogonId links to the inbound 4624 (detections.md §7).
  json e = mapped(R"({"EventID": 4688, "Channel": "Security",
    "SourceName": "Microsoft-Windows-Security-Auditing", "Hostname": "WORKSTATION6.theshire.local",
    "@timestamp": "2020-09-14T12:06:05.000Z",
    "ParentProcessName": "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "ProcessId": "0x850",
    "NewProcessName": "C:\\Windows\\System32\\net.exe", "NewProcessId": "0x1a2c",
    "CommandLine": "net user /add backdoor s3cret", "SubjectUserName": "WORKSTATION6$",
    "SubjectDomainName": "THESHIRE", "SubjectLogonId": "0x3e7", "TargetUserName": "pgustavo",
    "TargetDomainName": "THESHIRE", "TargetLogonId": "0x551686", "MandatoryLabel": "S-1-16-12288"})");
  CHECK(e["metadata"]["event_type"] == "PROCESS_LAUNCH");
  CHECK(e["metadata"]["product_name"] == "Microsoft-Windows-Security-Auditing");
  CHECK(e["metadata"]["log_type"] == "WINEVTLOG");
  CHECK(e["principal"]["hostname"] == "WORKSTATION6.theshire.local");
  CHECK(e["principal"]["process"]["file"]["full_path"] ==
        "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
  CHECK(e["principal"]["process"]["pid"] == "2128");
  CHECK(e["target"]["process"]["pid"] == "6700");
  CHECK(e["target"]["process"]["file"]["full_path"] == "C:\\Windows\\System32\\net.exe");
  CHECK(e["principal"]["user"]["userid"] == "WORKSTATION6$");
  CHECK(e["target"]["user"]["userid"] == "pgustavo");
  CHECK(e["target"]["administrative_domain"] == "THESHIRE");
  CHECK(fields(e)["SubjectLogonId"] == "0x3e7");
  CHECK(fields(e)["TargetLogonId"] == "0x551686");
  CHECK_FALSE(e.contains("src"));  // 4688 has no OriginalFileName
  CHECK(matches(
      R"(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\wmiprvse\.exe$/ nocase AND additional.fields["TargetLogonId"] = "0x551686")",
      e));
}

TEST_CASE("Sysmon 3 maps both ends as written and keeps the older inbound direction trap",
          "[sim][mapping]") {
  json outbound = mapped(R"({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION5.theshire.local", "UtcTime": "2020-09-14 12:06:02.100",
    "Image": "C:\\Windows\\System32\\svchost.exe", "ProcessId": "1000", "User": "NT AUTHORITY\\NETWORK SERVICE",
    "Protocol": "tcp", "Initiated": "true", "SourceIp": "172.18.39.5", "SourcePort": "52113",
    "DestinationIp": "172.18.39.6", "DestinationPort": 135, "DestinationHostname": "WORKSTATION6"})");
  CHECK(outbound["metadata"]["event_type"] == "NETWORK_CONNECTION");
  CHECK(outbound["principal"]["ip"] == json::array({"172.18.39.5"}));
  CHECK(outbound["principal"]["port"] == 52113);
  CHECK(outbound["target"]["ip"] == json::array({"172.18.39.6"}));
  CHECK(outbound["target"]["port"] == 135);
  CHECK(outbound["target"]["hostname"] == "WORKSTATION6");
  CHECK(outbound["network"]["ip_protocol"] == "TCP");
  CHECK(outbound["principal"]["user"]["userid"] == "NETWORK SERVICE");
  CHECK(outbound["principal"]["process"]["file"]["full_path"] ==
        "C:\\Windows\\System32\\svchost.exe");
  CHECK(fields(outbound)["Initiated"] == "true");

  // Older Sysmon logs an inbound SMB connection with the local end as the source.
  json inbound = mapped(R"({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION5", "UtcTime": "2020-10-19 07:30:46.319", "Image": "System",
    "Protocol": "udp", "Initiated": "false", "SourceIp": "fe80:0:0:0:90e:17af:263c:5209",
    "SourcePort": "445", "DestinationIp": "::ffff:172.18.39.7", "DestinationPort": "58391",
    "DestinationHostname": "-"})");
  CHECK(inbound["principal"]["ip"] == json::array({"fe80::90e:17af:263c:5209"}));
  CHECK(inbound["principal"]["port"] == 445);
  CHECK(inbound["target"]["ip"] == json::array({"172.18.39.7"}));
  CHECK(inbound["target"]["port"] == 58391);
  CHECK_FALSE(inbound["target"].contains("hostname"));
  CHECK(inbound["network"]["ip_protocol"] == "UDP");
  CHECK(fields(inbound)["Initiated"] == "false");
  CHECK(matches(
      R"(metadata.event_type = "NETWORK_CONNECTION" AND (target.port = 445 OR principal.port = 445) AND additional.fields["Initiated"] = "false")",
      inbound));
}

TEST_CASE("Sysmon 11 and 13 map file creation and registry writes, collapsing doubled %",
          "[sim][mapping]") {
  json file = mapped(R"({"EventID": 11, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION5", "UtcTime": "2020-10-19 07:30:46.300", "Image": "System",
    "ProcessId": "4", "TargetFilename": "C:\\Windows\\PSEXESVC.exe"})");
  CHECK(file["metadata"]["event_type"] == "FILE_CREATION");
  CHECK(file["target"]["file"]["full_path"] == "C:\\Windows\\PSEXESVC.exe");
  CHECK(file["principal"]["process"]["file"]["full_path"] == "System");
  CHECK(file["principal"]["process"]["pid"] == "4");

  json registry = mapped(R"({"EventID": 13, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION5", "UtcTime": "2020-10-19 07:30:46.400", "EventType": "SetValue",
    "Image": "C:\\Windows\\system32\\services.exe",
    "TargetObject": "HKLM\\System\\CurrentControlSet\\Services\\PSEXESVC\\ImagePath",
    "Details": "%%SystemRoot%%\\PSEXESVC.exe"})");
  CHECK(registry["metadata"]["event_type"] == "REGISTRY_MODIFICATION");
  CHECK(registry["target"]["registry"]["registry_key"] ==
        "HKLM\\System\\CurrentControlSet\\Services\\PSEXESVC\\ImagePath");
  CHECK(registry["target"]["registry"]["registry_value_data"] == "%SystemRoot%\\PSEXESVC.exe");
  CHECK(registry["principal"]["process"]["file"]["full_path"] ==
        "C:\\Windows\\system32\\services.exe");
}

TEST_CASE("Sysmon 17 and 18 map named pipes with the client host in the pipe name",
          "[sim][mapping]") {
  json created = mapped(R"({"EventID": 17, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION6", "UtcTime": "2020-10-19 07:30:46.478",
    "PipeName": "\\PSEXESVC-WKS07-1234-stdin", "Image": "C:\\windows\\PSEXESVC.exe",
    "ProcessId": "1460", "EventType": "CreatePipe"})");
  CHECK(created["metadata"]["event_type"] == "FILE_CREATION");
  CHECK(created["metadata"]["product_event_type"] == "17");
  CHECK(created["target"]["file"]["full_path"] == "\\PSEXESVC-WKS07-1234-stdin");
  CHECK(created["principal"]["process"]["file"]["full_path"] == "C:\\windows\\PSEXESVC.exe");

  json connected = mapped(R"({"EventID": 18, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION5.theshire.local", "UtcTime": "2020-09-14 12:06:02.000",
    "PipeName": "&lt;Anonymous Pipe&gt;", "Image": "C:\\Windows\\System32\\powershell.exe"})");
  CHECK(connected["metadata"]["event_type"] == "FILE_OPEN");
  CHECK(connected["target"]["file"]["full_path"] == "<Anonymous Pipe>");
  CHECK(matches(
      R"(metadata.product_event_type = "17" AND metadata.product_name = "Microsoft-Windows-Sysmon" AND target.file.full_path = /^\\PSEXESVC/ nocase)",
      created));
}

TEST_CASE("Sysmon 19, 20 and 21 map WMI filter, consumer and binding", "[sim][mapping]") {
  json filter = mapped(R"({"EventID": 19, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION6", "UtcTime": "2020-09-14 12:06:02.000", "Operation": "Created",
    "User": "THESHIRE\\pgustavo", "EventNamespace": "\"root\\\\cimv2\"", "Name": "\"Updater\"",
    "Query": "\"SELECT * FROM __InstanceModificationEvent WITHIN 60\""})");
  CHECK(filter["metadata"]["event_type"] == "USER_UNCATEGORIZED");
  CHECK(filter["target"]["resource"]["name"] == "\"Updater\"");
  CHECK(filter["principal"]["user"]["userid"] == "pgustavo");
  CHECK(fields(filter)["Operation"] == "Created");
  CHECK(fields(filter)["Query"] == "\"SELECT * FROM __InstanceModificationEvent WITHIN 60\"");

  json consumer = mapped(R"({"EventID": 20, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION6", "UtcTime": "2020-09-14 12:06:03.000", "Name": "\"Updater\"",
    "Type": "Command Line", "Destination": "\"cmd.exe /c calc.exe\""})");
  CHECK(fields(consumer)["Type"] == "Command Line");
  CHECK(fields(consumer)["Destination"] == "\"cmd.exe /c calc.exe\"");

  json binding = mapped(R"({"EventID": 21, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "Hostname": "WORKSTATION6", "UtcTime": "2020-09-14 12:06:04.000",
    "Consumer": "\"CommandLineEventConsumer.Name=\\\"Updater\\\"\"", "Filter": "\"__EventFilter.Name=\\\"Updater\\\"\""})");
  CHECK(fields(binding)["Consumer"] == "\"CommandLineEventConsumer.Name=\\\"Updater\\\"\"");
  CHECK(fields(binding)["Filter"] == "\"__EventFilter.Name=\\\"Updater\\\"\"");
}

TEST_CASE("System 7045 and Security 4697 map service installs", "[sim][mapping]") {
  json scm = mapped(R"({"EventID": 7045, "Channel": "System",
    "SourceName": "Service Control Manager", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-10-19T07:30:46.416Z", "ServiceName": "PSEXESVC",
    "ImagePath": "%SystemRoot%\\PSEXESVC.exe", "ServiceType": "user mode service",
    "StartType": "demand start", "AccountName": "LocalSystem", "ExecutionProcessID": 0})");
  CHECK(scm["metadata"]["event_type"] == "SERVICE_CREATION");
  CHECK(scm["metadata"]["product_name"] == "Service Control Manager");
  CHECK(scm["metadata"]["log_type"] == "WINEVTLOG");
  CHECK(scm["target"]["application"] == "PSEXESVC");
  CHECK(scm["target"]["process"]["file"]["full_path"] == "%SystemRoot%\\PSEXESVC.exe");
  CHECK(scm["target"]["process"]["command_line"] == "%SystemRoot%\\PSEXESVC.exe");
  CHECK(scm["principal"]["process"]["pid"] == "0");  // 0 = installed by a remote client
  CHECK(fields(scm)["ServiceType"] == "user mode service");
  CHECK(fields(scm)["StartType"] == "demand start");
  CHECK(fields(scm)["AccountName"] == "LocalSystem");
  CHECK(matches(
      R"(metadata.product_event_type = "7045" AND target.application = /psexesvc/ nocase)", scm));

  json security = mapped(R"({"EventID": 4697, "Channel": "Security", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-10-19T07:30:46.420Z", "ServiceName": "BTOBTO",
    "ServiceFileName": "%COMSPEC% /Q /c echo dir ^&gt; \\\\127.0.0.1\\C$\\__output",
    "SubjectUserName": "wardog", "SubjectDomainName": "WORKSTATION6", "SubjectLogonId": "0xc61d9",
    "ClientProcessId": "0"})");
  CHECK(security["metadata"]["event_type"] == "SERVICE_CREATION");
  CHECK(security["metadata"]["product_name"] == "Microsoft-Windows-Security-Auditing");
  CHECK(security["target"]["application"] == "BTOBTO");
  CHECK(security["target"]["process"]["command_line"] ==
        "%COMSPEC% /Q /c echo dir ^> \\\\127.0.0.1\\C$\\__output");
  CHECK(security["principal"]["user"]["userid"] == "wardog");
  CHECK(security["principal"]["process"]["pid"] == "0");
  CHECK(fields(security)["SubjectLogonId"] == "0xc61d9");
  CHECK(fields(security)["ClientProcessId"] == "0");
}

TEST_CASE("Security 4624 and 4625 map logons with mechanism, source and result", "[sim][mapping]") {
  json success = mapped(R"({"EventID": 4624, "Channel": "security",
    "Hostname": "WORKSTATION6.theshire.local", "@timestamp": "2020-09-14T12:06:04.000Z",
    "TargetUserName": "pgustavo", "TargetDomainName": "THESHIRE", "LogonType": "3",
    "IpAddress": "::ffff:172.18.39.5", "IpPort": "50123", "WorkstationName": "-",
    "ProcessName": "-", "TargetLogonId": "0x551686", "AuthenticationPackageName": "Kerberos",
    "LogonProcessName": "Kerberos", "ImpersonationLevel": "%%1833", "ElevatedToken": "%%1842"})");
  CHECK(success["metadata"]["event_type"] == "USER_LOGIN");
  CHECK(success["metadata"]["product_event_type"] == "4624");
  CHECK(success["target"]["user"]["userid"] == "pgustavo");
  CHECK(success["target"]["administrative_domain"] == "THESHIRE");
  CHECK(success["src"]["ip"] == json::array({"172.18.39.5"}));
  CHECK(success["src"]["port"] == 50123);
  CHECK_FALSE(success["src"].contains("hostname"));  // "-" is no value
  CHECK_FALSE(success["principal"].contains("process"));
  CHECK(success["extensions"]["auth"]["mechanism"] == json::array({"NETWORK"}));
  CHECK(success["security_result"] == json::parse(R"([{"action": ["ALLOW"]}])"));
  CHECK(fields(success)["LogonType"] == "3");
  CHECK(fields(success)["TargetLogonId"] == "0x551686");
  CHECK(fields(success)["AuthenticationPackageName"] == "Kerberos");
  CHECK(fields(success)["LogonProcessName"] == "Kerberos");
  CHECK(fields(success)["ElevatedToken"] == "%%1842");  // message references are kept
  CHECK(matches(
      R"(metadata.event_type = "USER_LOGIN" AND metadata.product_event_type = "4624" AND additional.fields["LogonType"] = "3" AND security_result.action = "ALLOW")",
      success));

  json failure = mapped(R"({"EventID": 4625, "Channel": "Security", "Hostname": "MORDORDC",
    "@timestamp": "2020-09-14T12:06:04Z", "TargetUserName": "admin", "LogonType": 10,
    "IpAddress": "10.0.0.9", "WorkstationName": "KALI", "Status": "0xc000006d",
    "ProcessName": "C:\\Windows\\System32\\svchost.exe", "ProcessId": "0x3a8"})");
  CHECK(failure["security_result"] == json::parse(R"([{"action": ["BLOCK"]}])"));
  CHECK(failure["extensions"]["auth"]["mechanism"] == json::array({"REMOTE_INTERACTIVE"}));
  CHECK(failure["src"]["hostname"] == "KALI");
  CHECK(failure["principal"]["process"]["file"]["full_path"] ==
        "C:\\Windows\\System32\\svchost.exe");
  CHECK(failure["principal"]["process"]["pid"] == "936");
  CHECK(fields(failure)["Status"] == "0xc000006d");
}

TEST_CASE("Security 4648 and 4672 map explicit credentials and special privileges",
          "[sim][mapping]") {
  json explicit_logon = mapped(R"({"EventID": 4648, "Channel": "Security",
    "Hostname": "WORKSTATION5", "@timestamp": "2020-09-14T12:06:01Z",
    "SubjectUserName": "pgustavo", "SubjectDomainName": "THESHIRE", "SubjectLogonId": "0x2cc013",
    "TargetUserName": "pgustavo", "TargetServerName": "WORKSTATION6", "TargetInfo": "RPCSS/WORKSTATION6",
    "IpAddress": "172.18.39.6", "IpPort": "135", "ProcessName": "C:\\Windows\\System32\\wbem\\WMIC.exe"})");
  CHECK(explicit_logon["metadata"]["event_type"] == "USER_LOGIN");
  CHECK(explicit_logon["principal"]["user"]["userid"] == "pgustavo");
  CHECK(explicit_logon["target"]["user"]["userid"] == "pgustavo");
  CHECK(explicit_logon["target"]["hostname"] == "WORKSTATION6");
  CHECK(explicit_logon["target"]["ip"] == json::array({"172.18.39.6"}));
  CHECK(explicit_logon["principal"]["process"]["file"]["full_path"] ==
        "C:\\Windows\\System32\\wbem\\WMIC.exe");
  CHECK(fields(explicit_logon)["TargetInfo"] == "RPCSS/WORKSTATION6");
  CHECK(fields(explicit_logon)["SubjectLogonId"] == "0x2cc013");
  CHECK_FALSE(explicit_logon.contains("security_result"));

  json privileges = mapped(R"({"EventID": 4672, "Channel": "Security", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-09-14T12:06:04Z", "SubjectUserName": "pgustavo",
    "SubjectLogonId": "0x551686", "PrivilegeList": "SeBackupPrivilege\r\n\t\t\tSeDebugPrivilege"})");
  CHECK(privileges["metadata"]["event_type"] == "USER_UNCATEGORIZED");
  CHECK(privileges["target"]["user"]["userid"] == "pgustavo");
  CHECK(fields(privileges)["SubjectLogonId"] == "0x551686");
  CHECK(fields(privileges)["PrivilegeList"] == "SeBackupPrivilege\r\n\t\t\tSeDebugPrivilege");
}

TEST_CASE("Security 5140 and 5145 map share access with the client address", "[sim][mapping]") {
  json share = mapped(R"({"EventID": 5140, "Channel": "Security", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-10-19T07:30:46.600Z", "SubjectUserName": "wardog",
    "SubjectDomainName": "WORKSTATION5", "SubjectLogonId": "0xc61d9", "IpAddress": "10.0.0.5",
    "IpPort": "58391", "ShareName": "\\\\*\\ADMIN$", "ShareLocalPath": "\\??\\C:\\Windows",
    "AccessMask": "0x1"})");
  CHECK(share["metadata"]["event_type"] == "USER_RESOURCE_ACCESS");
  CHECK(share["principal"]["user"]["userid"] == "wardog");
  CHECK(share["src"]["ip"] == json::array({"10.0.0.5"}));
  CHECK(share["src"]["port"] == 58391);
  CHECK(share["target"]["resource"]["name"] == "\\\\*\\ADMIN$");
  CHECK(fields(share)["ShareLocalPath"] == "\\??\\C:\\Windows");
  CHECK_FALSE(share["target"].contains("file"));

  json file = mapped(R"({"EventID": 5145, "Channel": "Security", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-10-19T07:30:46.625Z", "SubjectUserName": "wardog", "IpAddress": "10.0.0.5",
    "ShareName": "\\\\*\\IPC$", "RelativeTargetName": "svcctl", "AccessMask": "0x12019f"})");
  CHECK(file["target"]["resource"]["name"] == "\\\\*\\IPC$");
  CHECK(file["target"]["file"]["full_path"] == "svcctl");
  CHECK(fields(file)["AccessMask"] == "0x12019f");
  CHECK(matches(
      R"(metadata.product_event_type = "5145" AND target.resource.name = /IPC\$/ AND target.file.full_path = "svcctl")",
      file));
}

TEST_CASE("WMI-Activity 5857 to 5861 map providers, operations and permanent consumers",
          "[sim][mapping]") {
  json provider = mapped(R"({"EventID": 5857,
    "Channel": "Microsoft-Windows-WMI-Activity/Operational", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-09-14T12:06:03.893Z", "ProviderName": "CIMWin32", "Code": "0x0",
    "HostProcess": "wmiprvse.exe", "ProcessID": "3952",
    "ProviderPath": "%systemroot%\\system32\\wbem\\cimwin32.dll"})");
  CHECK(provider["metadata"]["event_type"] == "USER_UNCATEGORIZED");
  CHECK(provider["metadata"]["product_name"] == "Microsoft-Windows-WMI-Activity");
  CHECK(provider["target"]["process"]["file"]["full_path"] ==
        "%systemroot%\\system32\\wbem\\cimwin32.dll");
  CHECK(provider["principal"]["process"]["pid"] == "3952");

  json operation = mapped(R"({"EventID": 5858,
    "Channel": "Microsoft-Windows-WMI-Activity/Operational", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-09-14T12:06:08Z", "ClientProcessId": 2116,
    "Operation": "Start IWbemServices::ExecMethod - root\\cimv2 : Win32_Process::Create",
    "User": "THESHIRE\\pgustavo", "ClientMachine": "WORKSTATION5"})");
  CHECK(operation["principal"]["process"]["pid"] == "2116");
  CHECK(fields(operation)["Operation"] ==
        "Start IWbemServices::ExecMethod - root\\cimv2 : Win32_Process::Create");
  CHECK(fields(operation)["User"] == "THESHIRE\\pgustavo");

  json consumer = mapped(R"({"EventID": 5861,
    "Channel": "Microsoft-Windows-WMI-Activity/Operational", "Hostname": "WORKSTATION6",
    "@timestamp": "2020-09-14T12:06:09Z", "Namespace": "//./root/subscription",
    "ESS": "Updater", "CONSUMER": "CommandLineEventConsumer=\"Updater\"",
    "PossibleCause": "Binding EventFilter: instance of __EventFilter"})");
  CHECK(consumer["target"]["resource"]["name"] == "CommandLineEventConsumer=\"Updater\"");
  CHECK(fields(consumer)["Namespace"] == "//./root/subscription");
  CHECK(fields(consumer)["ESS"] == "Updater");
  CHECK(fields(consumer)["PossibleCause"] == "Binding EventFilter: instance of __EventFilter");
}

TEST_CASE("PowerShell 4103 and 4104 map pipeline and script block text", "[sim][mapping]") {
  json block = mapped(R"({"EventID": 4104, "Channel": "Microsoft-Windows-PowerShell/Operational",
    "SourceName": "Microsoft-Windows-PowerShell", "Hostname": "WORKSTATION5",
    "@timestamp": "2020-09-14T12:05:46Z", "ScriptBlockText": "Invoke-WmiMethod -ComputerName WORKSTATION6",
    "ScriptBlockId": "4f25-1", "Path": ""})");
  CHECK(block["metadata"]["event_type"] == "PROCESS_UNCATEGORIZED");
  CHECK(block["metadata"]["product_name"] == "PowerShell");
  CHECK(block["metadata"]["log_type"] == "WINEVTLOG");
  CHECK(block["target"]["process"]["command_line"] ==
        "Invoke-WmiMethod -ComputerName WORKSTATION6");
  CHECK(fields(block)["ScriptBlockId"] == "4f25-1");
  CHECK_FALSE(fields(block).contains("Path"));  // empty is no value

  json pipeline = mapped(R"({"EventID": 4103, "Channel": "Microsoft-Windows-PowerShell/Operational",
    "Hostname": "WORKSTATION5", "@timestamp": "2020-09-14T12:05:46Z",
    "Payload": "CommandInvocation(Start-Sleep): \"Start-Sleep\"",
    "ContextInfo": "Host Application = powershell.exe -noP -sta -w 1 -enc SQBGAC"})");
  CHECK(pipeline["target"]["process"]["command_line"] ==
        "CommandInvocation(Start-Sleep): \"Start-Sleep\"");
  CHECK(fields(pipeline)["ContextInfo"] ==
        "Host Application = powershell.exe -noP -sta -w 1 -enc SQBGAC");
}
