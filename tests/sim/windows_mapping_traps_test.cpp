// map_windows_event across families: unmapped ids, channel case and WEF channels, escaping,
// time flags, odd value types, and the mapping table staying in step with its documentation.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/windows_mapping.hpp"
#include "sim/windows_mapping_table.hpp"

namespace {

using nlohmann::json;

std::optional<json> map_text(const char* text, std::string* why) {
  auto record = sim::parse_windows_record(json::parse(text), why);
  REQUIRE(record);
  return sim::map_windows_event(*record, why);
}

}  // namespace

TEST_CASE("events outside the table are unmapped, with a reason starting \"unmapped\"",
          "[sim][mapping]") {
  for (
      const char* text : {
          R"({"EventID": 7, "Channel": "Microsoft-Windows-Sysmon/Operational", "UtcTime": "2020-10-19 07:30:46.000"})",
          R"({"EventID": 4658, "Channel": "Security", "@timestamp": "2020-10-19T07:30:46Z"})",
          R"({"EventID": 104, "Channel": "System", "@timestamp": "2020-10-19T07:30:46Z"})",
          R"({"EventID": 800, "Channel": "Windows PowerShell", "@timestamp": "2020-10-19T07:30:46Z"})",
          R"({"EventID": 1000, "Channel": "Application", "SourceName": "Microsoft-Windows-Sysmon"})",
          R"({"EventID": 4624, "Channel": "Microsoft-Windows-Sysmon/Operational"})",
          R"({"EventID": 1, "Channel": "Security"})",
      }) {
    std::string why;
    INFO(text);
    CHECK_FALSE(map_text(text, &why));
    CHECK(why.starts_with("unmapped"));
  }
}

TEST_CASE("channels match case-insensitively and WEF ForwardedEvents fall back to the provider",
          "[sim][mapping]") {
  for (
      const char* text : {
          R"({"EventID": 4624, "Channel": "Security", "@timestamp": "2020-09-14T12:00:00Z"})",
          R"({"EventID": 4624, "Channel": "security", "@timestamp": "2020-09-14T12:00:00Z"})",
          R"({"EventID": 4624, "Channel": "SECURITY", "@timestamp": "2020-09-14T12:00:00Z"})",
          R"({"EventID": 4624, "Channel": "ForwardedEvents", "SourceName": "Microsoft-Windows-Security-Auditing", "@timestamp": "2020-09-14T12:00:00Z"})",
          R"({"EventID": 4624, "ProviderName": "microsoft-windows-security-auditing", "@timestamp": "2020-09-14T12:00:00Z"})",
      }) {
    std::string why;
    INFO(text);
    auto event = map_text(text, &why);
    INFO(why);
    REQUIRE(event);
    CHECK((*event)["metadata"]["product_name"] == "Microsoft-Windows-Security-Auditing");
    CHECK((*event)["metadata"]["event_type"] == "USER_LOGIN");
  }
}

TEST_CASE("strings are HTML-unescaped once and doubled % collapsed except message references",
          "[sim][mapping]") {
  std::string why;
  auto event = map_text(R"({"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "UtcTime": "2020-09-14 12:06:02.000", "Image": "C:\\Windows\\System32\\cmd.exe",
    "CommandLine": "cmd.exe /Q /c cd 1&gt; \\\\127.0.0.1\\ADMIN$\\__1600 2&gt;&amp;1 &#39;x&#x27; &amp;lt; &bogus; &",
    "ParentCommandLine": "%%systemroot%%\\x.exe %%1833 100%% done"})",
                        &why);
  INFO(why);
  REQUIRE(event);
  CHECK((*event)["target"]["process"]["command_line"] ==
        "cmd.exe /Q /c cd 1> \\\\127.0.0.1\\ADMIN$\\__1600 2>&1 'x' &lt; &bogus; &");
  CHECK((*event)["principal"]["process"]["command_line"] == "%systemroot%\\x.exe %%1833 100% done");
}

TEST_CASE("a local-only event time is marked in additional.fields and a missing one refused",
          "[sim][mapping]") {
  std::string why;
  auto local = map_text(R"({"EventID": 4697, "Channel": "Security",
    "TimeCreated": "2020-10-19 03:30:46.420", "ServiceName": "PSEXESVC"})",
                        &why);
  REQUIRE(local);
  CHECK((*local)["metadata"]["event_timestamp"] == "2020-10-19T03:30:46.420Z");
  CHECK((*local)["additional"]["fields"]["TimeIsLocal"] == "true");

  CHECK_FALSE(map_text(R"({"EventID": 4697, "Channel": "Security"})", &why));
  CHECK(why.starts_with("no event time"));
  CHECK_FALSE(why.starts_with("unmapped"));

  sim::WindowsRecord bad_time;
  bad_time.event_id = 4697;
  bad_time.channel = "Security";
  bad_time.time_utc = "19/10/2020";
  CHECK_FALSE(sim::map_windows_event(bad_time, &why));
  CHECK(why.starts_with("bad event time"));
}

TEST_CASE("values of the wrong shape are left out of the UDM event, never a crash",
          "[sim][mapping]") {
  std::string why;
  auto event = map_text(R"({"EventID": 3, "Channel": "Microsoft-Windows-Sysmon/Operational",
    "UtcTime": "2020-09-14 12:06:02", "SourcePort": "99999", "DestinationPort": "http",
    "ProcessId": "0xZZ", "SourceIp": "not-an-ip", "User": "\\", "Protocol": 6})",
                        &why);
  INFO(why);
  REQUIRE(event);
  CHECK_FALSE((*event)["principal"].contains("port"));
  CHECK_FALSE((*event).contains("target"));
  CHECK_FALSE((*event)["principal"].contains("process"));
  CHECK((*event)["principal"]["ip"] == json::array({"not-an-ip"}));  // kept as written
  CHECK_FALSE((*event)["principal"].contains("user"));
  CHECK((*event)["network"]["ip_protocol"] == "6");
  CHECK_FALSE((*event)["principal"].contains("hostname"));  // no host in the record

  // A record built by hand (the EVTX reader's path) with non-string data and no data object.
  sim::WindowsRecord record;
  record.event_id = 7045;
  record.channel = "System";
  record.time_utc = "2020-10-19T07:30:46.416Z";
  record.data = json::array({1});
  REQUIRE(sim::map_windows_event(record, &why));
  record.data = json::parse(R"({"ServiceName": 12, "ProcessID": 0, "ImagePath": null})");
  auto built = sim::map_windows_event(record, &why);
  REQUIRE(built);
  CHECK((*built)["target"]["application"] == "12");
  CHECK((*built)["principal"]["process"]["pid"] == "0");
  CHECK_FALSE((*built)["target"].contains("process"));
}

TEST_CASE("every row of the mapping table is documented in docs/windows-mapping.md",
          "[sim][mapping]") {
  std::ifstream file(std::string(LMHUNT_SOURCE_DIR) + "/docs/windows-mapping.md");
  REQUIRE(file);
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  for (const auto& row : sim::winmap::rows()) {
    // The documentation's table has one line per row: "| <family> <id> | <event_type> | …".
    std::string line = std::string("| ") + sim::winmap::family_label(row.family) + " " +
                       std::to_string(row.event_id) + " | " + row.event_type + " |";
    INFO(line);
    CHECK(doc.find(line) != std::string::npos);
    for (const auto& rule : row.fields) {
      // Every UDM path a row writes appears in the documentation, as a query would name it.
      std::string path = rule.path;
      if (path.starts_with("additional.fields."))
        path = "additional.fields[\"" + path.substr(18) + "\"]";
      else if (rule.kind == sim::winmap::Kind::kUser)
        path += ".user.userid";
      else if (rule.kind == sim::winmap::Kind::kHashes)
        path += ".sha256";
      INFO(path);
      CHECK(doc.find("`" + path + "`") != std::string::npos);
    }
  }
}

TEST_CASE("a Winlogbeat record maps to the same UDM event as its flat NXLog twin",
          "[sim][mapping]") {
  const json flat = json::parse(R"({"EventID": 4688, "Channel": "Security",
    "SourceName": "Microsoft-Windows-Security-Auditing", "Hostname": "WORKSTATION6.theshire.local",
    "EventTime": "2020-09-14 08:06:02", "EventReceivedTime": "2020-09-14 08:06:04",
    "@timestamp": "2020-09-14T12:06:04.300Z", "host": "wec.internal.cloudapp.net",
    "ParentProcessName": "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "ProcessId": "0xf70",
    "NewProcessName": "C:\\Windows\\System32\\net.exe", "NewProcessId": "0x1e58",
    "CommandLine": "net user /add backdoor s3cret", "SubjectUserName": "WORKSTATION6$",
    "TargetUserName": "pgustavo", "TargetLogonId": "0x551686"})");
  const json nested = json::parse(R"({"@timestamp": "2020-09-14T12:06:02Z",
    "host": {"name": "workstation6"}, "event": {"code": "4688"},
    "winlog": {"event_id": "4688", "channel": "Security",
      "provider_name": "Microsoft-Windows-Security-Auditing",
      "computer_name": "WORKSTATION6.theshire.local", "process": {"pid": 4},
      "event_data": {"ParentProcessName": "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
        "ProcessId": "0xf70", "NewProcessName": "C:\\Windows\\System32\\net.exe",
        "NewProcessId": "0x1e58", "CommandLine": "net user /add backdoor s3cret",
        "SubjectUserName": "WORKSTATION6$", "TargetUserName": "pgustavo",
        "TargetLogonId": "0x551686"}}})");
  std::string why;
  auto flat_record = sim::parse_windows_record(flat, &why);
  auto nested_record = sim::parse_windows_record(nested, &why);
  REQUIRE(flat_record);
  REQUIRE(nested_record);
  auto from_flat = sim::map_windows_event(*flat_record, &why);
  auto from_nested = sim::map_windows_event(*nested_record, &why);
  REQUIRE(from_flat);
  REQUIRE(from_nested);
  CHECK(from_flat->dump() == from_nested->dump());
  CHECK((*from_nested)["metadata"]["event_timestamp"] == "2020-09-14T12:06:02.000Z");
  CHECK((*from_nested)["principal"]["hostname"] == "WORKSTATION6.theshire.local");
  CHECK((*from_nested)["target"]["process"]["pid"] == "7768");
}

TEST_CASE("short_hostname drops UNC prefixes and domains and is its own short name",
          "[sim][mapping]") {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"wks-07.corp.example", "WKS-07"},
      {"  \\\\fs01.corp  ", "FS01"},
      {"WO2 .exedowsSVC.e$xe", "WO2"},  // found by fuzz_windows_mapping: a space before the dot
      {"\\\\ \\\\sql01", "SQL01"},
      {"10.0.0.7", "10.0.0.7"},
      {"fe80::1", "fe80::1"},
      {"", ""},
  };
  for (const auto& [host, expected] : rows) {
    INFO(host);
    CHECK(sim::short_hostname(host) == expected);
    CHECK(sim::short_hostname(sim::short_hostname(host)) == sim::short_hostname(host));
  }
}
