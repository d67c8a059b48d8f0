// udm::matches over hand-written UDM events (snake_case and camelCase exports).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "udm/query.hpp"

namespace {

using nlohmann::json;

// A Sysmon 1 process launch under PSEXESVC, as snake_case UDM with repeated fields.
const json kPsexecChild = json::parse(R"json({
  "metadata": {"event_type": "PROCESS_LAUNCH", "product_event_type": "1",
               "event_timestamp": "2022-08-18T01:00:00Z",
               "ingested_timestamp": {"seconds": 1660784400, "nanos": 5}},
  "principal": {"hostname": "WORKSTATION6", "ip": ["10.0.0.6", "fe80::6"],
                "process": {"file": {"full_path": "C:\\Windows\\PSEXESVC.exe"}, "pid": "4242"}},
  "target": {"process": {"file": {"full_path": "C:\\Windows\\System32\\cmd.exe"},
                         "command_line": "cmd.exe /c whoami\nsecond line mentions psexec"},
             "port": 445},
  "security_result": [{"action": "ALLOW", "severity": "LOW"}, {"action": "BLOCK"}],
  "network": {"tls": {"established": true}},
  "additional": {"fields": [{"key": "Initiated", "value": {"string_value": "true"}},
                            {"key": "Count", "value": {"number_value": 3}}]}
})json");

// A Sysmon 3 connection as Chronicle's camelCase export writes it, ports as strings.
const json kCamelConnection = json::parse(R"json({
  "metadata": {"eventType": "NETWORK_CONNECTION", "productEventType": "3"},
  "principal": {"ip": ["10.0.0.7"], "port": "49812"},
  "target": {"ip": ["10.0.0.5"], "port": "445", "process": {"commandLine": "svchost.exe -k RPCSS"}},
  "network": {"ipProtocol": "TCP"},
  "additional": {"fields": {"Initiated": {"stringValue": "false"}}}
})json");

// eval parses query and evaluates it on event, checking on the way that the canonical text
// parses back to a query that prints and evaluates the same (the round-trip property).
bool eval(std::string_view query, const json& event) {
  udm::ParseResult result = udm::parse(query);
  if (!result) FAIL("parse failed: " << result.error().describe() << "\n  query: " << query);
  const std::string printed = udm::to_string(result.value());
  const udm::ParseResult reparsed = udm::parse(printed);
  if (!reparsed) FAIL("canonical text does not parse: " << printed);
  const bool matched = udm::matches(result.value(), event);
  CHECK(udm::to_string(reparsed.value()) == printed);
  CHECK(udm::matches(reparsed.value(), event) == matched);
  return matched;
}

}  // namespace

TEST_CASE("a nocase regex ignores case and a plain regex does not", "[udm][eval]") {
  CHECK(eval(R"q(principal.process.file.full_path = /\\psexesvc\.exe$/ nocase)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(principal.process.file.full_path = /\\psexesvc\.exe$/)q", kPsexecChild));
  CHECK(eval(R"q(principal.process.file.full_path = /\\PSEXESVC\.exe$/)q", kPsexecChild));
  CHECK(eval(R"q(principal.process.file.full_path != /\\wmiprvse\.exe$/ nocase)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(principal.process.file.full_path != /psexesvc/ nocase)q", kPsexecChild));
}

TEST_CASE("string equality is exact unless nocase", "[udm][eval]") {
  CHECK(eval(R"q(principal.hostname = "WORKSTATION6")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(principal.hostname = "workstation6")q", kPsexecChild));
  CHECK(eval(R"q(principal.hostname = "workstation6" nocase)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(principal.hostname = "WORKSTATION")q", kPsexecChild));
  CHECK(eval(R"q(principal.process.file.full_path = `C:\Windows\PSEXESVC.exe`)q", kPsexecChild));
  CHECK(eval(R"q(principal.process.file.full_path = "C:\\Windows\\PSEXESVC.exe")q", kPsexecChild));
}

TEST_CASE("a regex sees only the first line unless it starts with (?s)", "[udm][eval]") {
  CHECK_FALSE(eval(R"q(target.process.command_line = /psexec/)q", kPsexecChild));
  CHECK(eval(R"q(target.process.command_line = /(?s)psexec/)q", kPsexecChild));
  CHECK(eval(R"q(target.process.command_line = /(?si)PSEXEC/)q", kPsexecChild));
  CHECK(eval(R"q(target.process.command_line = /whoami$/)q", kPsexecChild));
  CHECK(eval(R"q(target.process.command_line = /(?s)whoami.second/)q", kPsexecChild));
  CHECK(eval(R"q(target.process.command_line != /psexec/)q", kPsexecChild));
  // strings.contains is a substring test over the whole value, case-sensitive.
  CHECK(eval(R"q(strings.contains(target.process.command_line, "psexec"))q", kPsexecChild));
  CHECK_FALSE(eval(R"q(strings.contains(target.process.command_line, "PSEXEC"))q", kPsexecChild));
}

TEST_CASE("a repeated field matches when any element does, and != when none equals",
          "[udm][eval]") {
  CHECK(eval(R"q(principal.ip = "fe80::6")q", kPsexecChild));
  CHECK(eval(R"q(principal.ip = "10.0.0.6")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(principal.ip != "10.0.0.6")q", kPsexecChild));
  CHECK(eval(R"q(principal.ip != "10.9.9.9")q", kPsexecChild));
  CHECK(eval(R"q(any principal.ip != "10.0.0.6")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(all principal.ip != "10.0.0.6")q", kPsexecChild));
  CHECK(eval(R"q(all principal.ip != "10.9.9.9")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(all principal.ip = /^10\./)q", kPsexecChild));
  CHECK(eval(R"q(all principal.ip = /[.:]/)q", kPsexecChild));
  // Arrays of objects: security_result is a list.
  CHECK(eval(R"q(security_result.action = "BLOCK")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(security_result.action != "BLOCK")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(all security_result.action = "ALLOW")q", kPsexecChild));
  CHECK(eval(R"q(security_result.severity = "LOW")q", kPsexecChild));
}

TEST_CASE("an absent field reads as empty: = fails, != holds, = the empty string holds",
          "[udm][eval]") {
  CHECK_FALSE(eval(R"q(target.hostname = "x")q", kPsexecChild));
  CHECK(eval(R"q(target.hostname != "x")q", kPsexecChild));
  CHECK(eval(R"q(target.hostname = "")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(target.hostname != "")q", kPsexecChild));
  CHECK(eval(R"q(principal.hostname != "")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(target.hostname = /./)q", kPsexecChild));
  CHECK(eval(R"q(target.hostname != /./)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(network.sent_bytes > 0)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(network.sent_bytes < 1)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(network.sent_bytes = 0)q", kPsexecChild));
  CHECK(eval(R"q(network.sent_bytes != 0)q", kPsexecChild));
  CHECK_FALSE(eval(R"q(any target.ip = "10.0.0.5")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(strings.contains(target.hostname, "x"))q", kPsexecChild));
  // A path through a scalar reaches nothing.
  CHECK_FALSE(eval(R"q(principal.hostname.name = "WORKSTATION6")q", kPsexecChild));
}

TEST_CASE("numbers compare numerically, also when the event holds them as strings", "[udm][eval]") {
  CHECK(eval("target.port = 445", kPsexecChild));
  CHECK(eval("target.port = 445", kCamelConnection));     // "445"
  CHECK(eval(R"q(target.port = "445")q", kPsexecChild));  // 445
  CHECK(eval(R"q(target.port = "445")q", kCamelConnection));
  CHECK(eval("target.port = 445.0", kPsexecChild));
  CHECK(eval("principal.port > 49000 AND principal.port <= 49812", kCamelConnection));
  CHECK_FALSE(eval("principal.port > 49812", kCamelConnection));
  CHECK(eval("target.port >= 445 AND target.port <= 445 AND target.port != 139", kPsexecChild));
  CHECK_FALSE(eval("target.port < 100", kPsexecChild));
  CHECK(eval("principal.process.pid = 4242", kPsexecChild));  // "4242"
  CHECK(eval("principal.process.pid > -1", kPsexecChild));
  CHECK(eval("principal.process.pid < 4242.5", kPsexecChild));
  // A string literal that is not a number never equals a JSON number.
  CHECK_FALSE(eval(R"q(target.port = "445x")q", kPsexecChild));
  // A number never equals text that is not one.
  CHECK_FALSE(eval("principal.hostname = 6", kPsexecChild));
  // Numbers also match regexes through their decimal text.
  CHECK(eval(R"q(target.port = /^44/)q", kPsexecChild));
}

TEST_CASE("timestamps compare as epoch seconds, also when exported as RFC 3339 text",
          "[udm][eval]") {
  CHECK(eval("metadata.ingested_timestamp.seconds = 1660784400", kPsexecChild));
  CHECK(eval("metadata.ingested_timestamp.nanos = 5", kPsexecChild));
  CHECK(eval("metadata.event_timestamp.seconds = 1660784400", kPsexecChild));
  CHECK(
      eval("metadata.event_timestamp.seconds >= 1660784400 AND "
           "metadata.event_timestamp.seconds < 1660784401",
           kPsexecChild));
  const json offset =
      json::parse(R"json({"metadata": {"eventTimestamp": "2022-08-18T03:00:00.250+02:00"}})json");
  CHECK(eval("metadata.event_timestamp.seconds = 1660784400", offset));
  CHECK(eval("metadata.event_timestamp.nanos = 250000000", offset));
  const json garbage = json::parse(R"json({"metadata": {"event_timestamp": "yesterday"}})json");
  CHECK_FALSE(eval("metadata.event_timestamp.seconds > 0", garbage));
}

TEST_CASE("snake_case query paths find camelCase event keys", "[udm][eval]") {
  CHECK(eval(R"q(metadata.event_type = "NETWORK_CONNECTION")q", kCamelConnection));
  CHECK(eval(R"q(metadata.product_event_type = "3")q", kCamelConnection));
  CHECK(eval(R"q(network.ip_protocol = "TCP")q", kCamelConnection));
  CHECK(eval(R"q(target.process.command_line = /rpcss/ nocase)q", kCamelConnection));
  CHECK_FALSE(eval(R"q(metadata.event_type = "PROCESS_LAUNCH")q", kCamelConnection));
}

TEST_CASE("additional.fields with a key reads UDM map entries in either JSON shape",
          "[udm][eval]") {
  CHECK(eval(R"q(additional.fields["Initiated"] = "true")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(additional.fields["Initiated"] = "false")q", kPsexecChild));
  CHECK(eval(R"q(additional.fields["Count"] = 3)q", kPsexecChild));
  CHECK(eval(R"q(additional.fields["Count"] > 2)q", kPsexecChild));
  CHECK(eval(R"q(additional.fields["Missing"] = "")q", kPsexecChild));
  CHECK_FALSE(eval(R"q(additional.fields["initiated"] = "true")q", kPsexecChild));
  CHECK(eval(R"q(additional.fields["Initiated"] = "false")q", kCamelConnection));
  CHECK(eval(R"q(additional.fields["Initiated"] = /^F/ nocase)q", kCamelConnection));
  const json labels = json::parse(
      R"json({"about": [{"labels": [{"key": "env", "value": "prod"}]}, {"labels": []}]})json");
  CHECK(eval(R"q(about.labels["env"] = "prod")q", labels));
  CHECK_FALSE(eval(R"q(about.labels["env"] = "dev")q", labels));
}

TEST_CASE("booleans compare with true and false", "[udm][eval]") {
  CHECK(eval("network.tls.established = true", kPsexecChild));
  CHECK_FALSE(eval("network.tls.established = false", kPsexecChild));
  CHECK(eval("network.tls.established != false", kPsexecChild));
  CHECK_FALSE(eval("network.tls.established = true", kCamelConnection));
  CHECK(eval(R"q(network.tls.established = "true")q", kPsexecChild));
}

TEST_CASE("NOT binds tighter than AND, and AND tighter than OR", "[udm][eval]") {
  CHECK(eval(
      R"q(metadata.event_type = "PROCESS_LAUNCH" OR target.port = 1 AND principal.hostname = "nobody")q",
      kPsexecChild));
  CHECK_FALSE(eval(
      R"q((metadata.event_type = "PROCESS_LAUNCH" OR target.port = 1) AND principal.hostname = "nobody")q",
      kPsexecChild));
  CHECK(eval(R"q(NOT target.port = 1 AND principal.hostname = "WORKSTATION6")q", kPsexecChild));
  CHECK_FALSE(
      eval(R"q(NOT (target.port = 445 AND principal.hostname = "WORKSTATION6"))q", kPsexecChild));
  CHECK(eval(R"q(NOT (target.port = 445 AND principal.hostname = "nobody"))q", kPsexecChild));
  // Implied AND.
  CHECK_FALSE(eval(R"q(target.port = 445 principal.hostname = "nobody")q", kPsexecChild));
  CHECK(eval(R"q(target.port = 445 principal.hostname = "WORKSTATION6")q", kPsexecChild));
}

TEST_CASE("a search result wrapping the event under udm is unwrapped", "[udm][eval]") {
  const json result = {{"name", "events/1"}, {"udm", kPsexecChild}};
  CHECK(eval(R"q(principal.hostname = "WORKSTATION6")q", result));
}
