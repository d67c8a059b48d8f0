// parse_windows_record over the input shapes we accept (flat NXLog / OTRF, nested Winlogbeat)
// and their traps: time zones, channel case, host names, value types, garbage input.
// Records are small hand-written objects in the shape of the real exports, not copied data.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/windows_mapping.hpp"

namespace {

using nlohmann::json;

sim::WindowsRecord parse_ok(const json& object) {
  std::string why;
  auto record = sim::parse_windows_record(object, &why);
  INFO(why);
  REQUIRE(record);
  return *record;
}

std::string parse_error(const json& object) {
  std::string why;
  REQUIRE_FALSE(sim::parse_windows_record(object, &why));
  return why;
}

}  // namespace

TEST_CASE("a flat NXLog record keeps its fields and reads its event time in UTC",
          "[sim][mapping]") {
  // NXLog + Logstash: EventTime and EventReceivedTime are local (UTC-4), @timestamp is the UTC
  // arrival time; the host member is the collector, not the logging host.
  auto record = parse_ok(json::parse(R"({
    "EventID": 4688, "Channel": "Security", "SourceName": "Microsoft-Windows-Security-Auditing",
    "Hostname": "WORKSTATION6.theshire.local", "host": "wec.internal.cloudapp.net",
    "EventTime": "2020-09-14 08:06:01", "EventReceivedTime": "2020-09-14 08:06:03",
    "@timestamp": "2020-09-14T12:06:03.849Z", "NewProcessId": "0x1a2c", "port": 60427,
    "Message": "A new process has been created.", "tags": ["mordorDataset"]})"));
  CHECK(record.event_id == 4688);
  CHECK(record.channel == "Security");
  CHECK(record.provider == "Microsoft-Windows-Security-Auditing");
  CHECK(record.computer == "WORKSTATION6.theshire.local");
  CHECK(record.time_utc == "2020-09-14T12:06:01.000Z");
  CHECK_FALSE(record.time_is_local);
  CHECK(record.data["NewProcessId"] == "0x1a2c");
  CHECK(record.data["port"] == "60427");
  CHECK_FALSE(record.data.contains("Message"));
  CHECK_FALSE(record.data.contains("tags"));
}

TEST_CASE("Sysmon UtcTime is the event time whatever local times the record also carries",
          "[sim][mapping]") {
  auto record = parse_ok(json::parse(R"({
    "EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "WORKSTATION5",
    "TimeCreated": "2020-10-19 03:30:46.257", "UtcTime": "2020-10-19 07:30:46.251"})"));
  CHECK(record.time_utc == "2020-10-19T07:30:46.251Z");
  CHECK_FALSE(record.time_is_local);
}

TEST_CASE("a record with only a local time is read as UTC and flagged as local", "[sim][mapping]") {
  auto record = parse_ok(json::parse(R"({
    "EventID": 7045, "Channel": "System", "SourceName": "Service Control Manager",
    "Hostname": "WORKSTATION5", "TimeCreated": "2020-10-19 03:30:46.416"})"));
  CHECK(record.time_utc == "2020-10-19T03:30:46.416Z");
  CHECK(record.time_is_local);
}

TEST_CASE("zoned times are converted to UTC and a missing time leaves time_utc empty",
          "[sim][mapping]") {
  auto offset = parse_ok(json::parse(R"({"EventID": 4624, "Channel": "Security",
    "TimeCreated": "2020-09-14T08:05:52.5-04:00"})"));
  CHECK(offset.time_utc == "2020-09-14T12:05:52.500Z");
  auto system_time = parse_ok(json::parse(R"({"EventID": 4624, "Channel": "Security",
    "TimeCreated": {"SystemTime": "2020-09-14T12:05:52.1234567Z"}})"));
  CHECK(system_time.time_utc == "2020-09-14T12:05:52.123Z");
  auto none = parse_ok(json::parse(R"({"EventID": 4624, "Channel": "Security"})"));
  CHECK(none.time_utc.empty());
  auto garbage = parse_ok(json::parse(R"({"EventID": 4624, "Channel": "Security",
    "@timestamp": "yesterday", "EventTime": 12})"));
  CHECK(garbage.time_utc.empty());
}

TEST_CASE("a nested Winlogbeat record reads winlog.*, host.name and event_data", "[sim][mapping]") {
  auto record = parse_ok(json::parse(R"({
    "@timestamp": "2020-09-14T12:06:05.120Z",
    "host": {"name": "workstation6.theshire.local"},
    "event": {"code": "7045", "provider": "Service Control Manager"},
    "winlog": {"event_id": "7045", "channel": "System", "provider_name": "Service Control Manager",
               "computer_name": "WORKSTATION6.theshire.local", "process": {"pid": 0},
               "event_data": {"ServiceName": "PSEXESVC", "ImagePath": "%SystemRoot%\\PSEXESVC.exe"}}})"));
  CHECK(record.event_id == 7045);
  CHECK(record.channel == "System");
  CHECK(record.provider == "Service Control Manager");
  CHECK(record.computer == "WORKSTATION6.theshire.local");
  CHECK(record.time_utc == "2020-09-14T12:06:05.120Z");
  CHECK(record.data["ServiceName"] == "PSEXESVC");
  CHECK(record.data["ImagePath"] == "%SystemRoot%\\PSEXESVC.exe");
  CHECK(record.data["ExecutionProcessID"] == "0");

  auto numeric_id = parse_ok(json::parse(R"({"@timestamp": "2020-09-14T12:06:05Z",
    "host": {"name": "WORKSTATION6"}, "winlog": {"event_id": 4624, "channel": "Security"}})"));
  CHECK(numeric_id.event_id == 4624);
  CHECK(numeric_id.computer == "WORKSTATION6");
}

TEST_CASE("the channel, provider and host are kept exactly as written", "[sim][mapping]") {
  auto lower = parse_ok(json::parse(R"({"EventID": "4624", "Channel": "security",
    "ProviderName": "Microsoft-Windows-Security-Auditing", "Computer": "mordordc.theshire.local"})"));
  CHECK(lower.event_id == 4624);
  CHECK(lower.channel == "security");
  CHECK(lower.computer == "mordordc.theshire.local");
  auto provider_only = parse_ok(json::parse(R"({"EventID": 1,
    "SourceName": "Microsoft-Windows-Sysmon", "Hostname": "WORKSTATION5"})"));
  CHECK(provider_only.channel.empty());
  CHECK(provider_only.provider == "Microsoft-Windows-Sysmon");
}

TEST_CASE("an EventData object inside a flat record is merged into the event data",
          "[sim][mapping]") {
  auto record = parse_ok(json::parse(R"({"EventID": 5145, "Channel": "Security",
    "EventData": {"ShareName": "\\\\*\\IPC$", "IpPort": 49812, "ShareLocalPath": null,
                  "Nested": {"x": 1}}})"));
  CHECK(record.data["ShareName"] == "\\\\*\\IPC$");
  CHECK(record.data["IpPort"] == "49812");
  CHECK_FALSE(record.data.contains("ShareLocalPath"));
  CHECK_FALSE(record.data.contains("Nested"));
}

TEST_CASE("WMI-Activity fields that only exist in the rendered message are recovered",
          "[sim][mapping]") {
  // NXLog does not flatten UserData, so the message is the only copy of these fields.
  auto started = parse_ok(json::parse(R"({"EventID": 5857,
    "Channel": "Microsoft-Windows-WMI-Activity/Operational", "Hostname": "WORKSTATION6",
    "Message": "CIMWin32 provider started with result code 0x0. HostProcess = wmiprvse.exe; ProcessID = 3952; ProviderPath = %systemroot%\\system32\\wbem\\cimwin32.dll"})"));
  CHECK(started.data["HostProcess"] == "wmiprvse.exe");
  CHECK(started.data["ProcessID"] == "3952");
  CHECK(started.data["ProviderPath"] == "%systemroot%\\system32\\wbem\\cimwin32.dll");

  auto failed = parse_ok(json::parse(R"({"EventID": 5858,
    "Channel": "Microsoft-Windows-WMI-Activity/Operational", "User": "THESHIRE\\pgustavo",
    "Message": "Id = {1D65}; ClientMachine = WORKSTATION5; User = NT AUTHORITY\\SYSTEM; ClientProcessId = 2116; Operation = Start IWbemServices::ExecQuery - root\\cimv2 : select * from Win32_Process; ResultCode = 0x80041002; PossibleCause = Unknown; see the docs"})"));
  CHECK(failed.data["ClientMachine"] == "WORKSTATION5");
  CHECK(failed.data["User"] == "THESHIRE\\pgustavo");  // the record's own field wins
  CHECK(failed.data["ClientProcessId"] == "2116");
  CHECK(failed.data["Operation"] ==
        "Start IWbemServices::ExecQuery - root\\cimv2 : select * from Win32_Process");
  CHECK(failed.data["PossibleCause"] == "Unknown; see the docs");
}

TEST_CASE("input that is not a Windows event is refused with a reason, never a crash",
          "[sim][mapping]") {
  CHECK(parse_error(json::array({1, 2})).find("not a JSON object") != std::string::npos);
  CHECK(parse_error(json("EventID")).find("not a JSON object") != std::string::npos);
  CHECK(parse_error(json(nullptr)).find("not a JSON object") != std::string::npos);
  CHECK(parse_error(json::object()).find("EventID") != std::string::npos);
  CHECK(parse_error(json::parse(R"({"EventID": "abc", "Channel": "Security"})")).find("EventID") !=
        std::string::npos);
  CHECK(parse_error(json::parse(R"({"EventID": -4, "Channel": "Security"})")).find("EventID") !=
        std::string::npos);
  CHECK(parse_error(json::parse(R"({"EventID": 70000, "Channel": "Security"})")).find("EventID") !=
        std::string::npos);
  CHECK(parse_error(json::parse(R"({"EventID": {"#text": 4624}, "Channel": "Security"})"))
            .find("EventID") != std::string::npos);
  CHECK(parse_error(json::parse(R"({"EventID": 4624, "Hostname": "WORKSTATION6"})"))
            .find("no Channel") != std::string::npos);
  // A number where a string belongs prints as text; a non-object winlog is not Winlogbeat.
  CHECK(parse_ok(json::parse(R"({"winlog": "x", "EventID": 1, "Channel": 7})")).channel == "7");
  // Wrong types in optional places are skipped rather than trusted.
  auto odd = parse_ok(json::parse(
      R"({"EventID": 1.0, "Channel": ["Security"], "SourceName": "Microsoft-Windows-Sysmon",
          "Hostname": {"name": "x"}, "winlog": [1], "CommandLine": [1, 2]})"));
  CHECK(odd.event_id == 1);
  CHECK(odd.channel.empty());
  CHECK(odd.computer.empty());
  CHECK_FALSE(odd.data.contains("CommandLine"));
  CHECK_FALSE(sim::parse_windows_record(json::object(), nullptr));  // why is optional
}
