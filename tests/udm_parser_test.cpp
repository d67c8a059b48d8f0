// Valid UDM Search queries and their canonical printed form; the round-trip property.
#include <catch2/catch.hpp>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "udm/query.hpp"

namespace {

struct ValidCase {
  std::string_view query;
  std::string_view canonical;
};

// The drafts of reference/detections.md §5 and its runbook rewrites come first, verbatim.
const ValidCase kValidQueries[] = {
    // §5 #10 PsExec client / renamed (source), written over two lines.
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND (target.process.file.full_path = /\\(psexec|psexec64|paexec|remcom|csexec)\.exe$/ nocase
  OR src.process.file.full_path = "psexec.c" nocase OR target.process.command_line = /accepteula/ nocase))q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND (target.process.file.full_path = /\\(psexec|psexec64|paexec|remcom|csexec)\.exe$/ nocase OR src.process.file.full_path = "psexec.c" nocase OR target.process.command_line = /accepteula/ nocase))q"},
    // §5 #11 child of PSEXESVC (target).
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\psexesvc\.exe$/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\psexesvc\.exe$/ nocase)q"},
    // §5 #1/3 service installs.
    {R"q(metadata.product_event_type = "7045" AND (target.application = /psexesvc|paexec|remcom|csexecsvc|btobto/ nocase
  OR target.process.file.full_path = /%comspec%|cmd(\.exe)? \/[cqk]|powershell|\\\\127\.0\.0\.1\\|admin\$/ nocase))q",
     R"q(metadata.product_event_type = "7045" AND (target.application = /psexesvc|paexec|remcom|csexecsvc|btobto/ nocase OR target.process.file.full_path = /%comspec%|cmd(\.exe)? \/[cqk]|powershell|\\\\127\.0\.0\.1\\|admin\$/ nocase))q"},
    // §5 #12 services.exe -> shell.
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\services\.exe$/ nocase
  AND target.process.file.full_path = /\\(cmd|powershell|pwsh|rundll32|mshta)\.exe$/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\services\.exe$/ nocase AND target.process.file.full_path = /\\(cmd|powershell|pwsh|rundll32|mshta)\.exe$/ nocase)q"},
    // §5 #13 WmiPrvSE child.
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\wmiprvse\.exe$/ nocase
  AND NOT target.process.file.full_path = /\\(wmiprvse|werfault)\.exe$/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\wmiprvse\.exe$/ nocase AND NOT target.process.file.full_path = /\\(wmiprvse|werfault)\.exe$/ nocase)q"},
    // §5 #14 Impacket wmiexec/smbexec.
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.command_line = /cmd(\.exe)?\s+\/q\s+\/c\s.*\\\\127\.0\.0\.1\\[a-z]+\$/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.command_line = /cmd(\.exe)?\s+\/q\s+\/c\s.*\\\\127\.0\.0\.1\\[a-z]+\$/ nocase)q"},
    // §5 #15 wmic /node.
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.file.full_path = /\\wmic\.exe$/ nocase
  AND target.process.command_line = /\/node:/ nocase AND NOT target.process.command_line = /\/node:"?(localhost|127\.0\.0\.1)\b/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.file.full_path = /\\wmic\.exe$/ nocase AND target.process.command_line = /\/node:/ nocase AND NOT target.process.command_line = /\/node:"?(localhost|127\.0\.0\.1)\b/ nocase)q"},
    // §5 #17 SMB/RPC context.
    {R"q(metadata.event_type = "NETWORK_CONNECTION" AND (target.port = 445 OR principal.port = 445 OR target.port = 135))q",
     R"q(metadata.event_type = "NETWORK_CONNECTION" AND (target.port = 445 OR principal.port = 445 OR target.port = 135))q"},
    // §5 runbook rewrites.
    {R"q(metadata.product_event_type = "ServiceInstalled" AND target.process.file.full_path = /psexesvc\.exe/ nocase)q",
     R"q(metadata.product_event_type = "ServiceInstalled" AND target.process.file.full_path = /psexesvc\.exe/ nocase)q"},
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\wbem\\wmiprvse\.exe$/ nocase AND target.process.file.full_path = /\\(cmd|powershell)\.exe$/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\wbem\\wmiprvse\.exe$/ nocase AND target.process.file.full_path = /\\(cmd|powershell)\.exe$/ nocase)q"},
    {R"q(principal.process.command_line = /wmic/ nocase AND principal.process.command_line = /\/node:/ nocase AND principal.process.command_line = /process call create/ nocase)q",
     R"q(principal.process.command_line = /wmic/ nocase AND principal.process.command_line = /\/node:/ nocase AND principal.process.command_line = /process call create/ nocase)q"},
    {R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.command_line = /(Invoke-WmiMethod|Invoke-CimMethod|Get-WmiObject)/ nocase)q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.command_line = /(Invoke-WmiMethod|Invoke-CimMethod|Get-WmiObject)/ nocase)q"},
    {R"q(metadata.event_type = "NETWORK_CONNECTION" AND target.port = 445 AND target.ip = "10.0.0.5" AND principal.ip = "10.0.0.7")q",
     R"q(metadata.event_type = "NETWORK_CONNECTION" AND target.port = 445 AND target.ip = "10.0.0.5" AND principal.ip = "10.0.0.7")q"},
    // Chronicle's own examples (udm-search-best-practices).
    {R"q((metadata.event_type = "NETWORK_CONNECTION" or metadata.event_type = "NETWORK_DHCP"))q",
     R"q(metadata.event_type = "NETWORK_CONNECTION" OR metadata.event_type = "NETWORK_DHCP")q"},
    {R"q(target.user.userid = "TIM.SMITH" nocase)q",
     R"q(target.user.userid = "TIM.SMITH" nocase)q"},
    {R"q(metadata.ingested_timestamp.seconds = 1660784400)q",
     R"q(metadata.ingested_timestamp.seconds = 1660784400)q"},
    {R"q(principal.hostname = "win-server")q", R"q(principal.hostname = "win-server")q"},
    // Backslashes, backticks, escapes.
    {R"q(target.process.file.full_path = /\\PSEXESVC\.exe$/ nocase)q",
     R"q(target.process.file.full_path = /\\PSEXESVC\.exe$/ nocase)q"},
    {R"q(target.file.full_path = `C:\Windows\PSEXESVC.exe` NOCASE)q",
     R"q(target.file.full_path = `C:\Windows\PSEXESVC.exe` nocase)q"},
    {R"q(target.process.command_line = `\\ADMIN\$\\`)q",
     R"q(target.process.command_line = `\\ADMIN\$\\`)q"},
    {R"q(target.process.command_line = "say \"hi\"\tnow\\")q",
     R"q(target.process.command_line = "say \"hi\"\tnow\\")q"},
    {R"q(target.url = /https?:\/\/evil\.example\//)q",
     R"q(target.url = /https?:\/\/evil\.example\//)q"},
    {R"q(target.process.command_line = /(?s)cmd.*\/c/)q",
     R"q(target.process.command_line = /(?s)cmd.*\/c/)q"},
    {R"q(principal.user.user_display_name = "José")q",
     R"q(principal.user.user_display_name = "José")q"},
    {R"q(principal.hostname = "")q", R"q(principal.hostname = "")q"},
    {R"q(principal.ip = "fe80::1")q", R"q(principal.ip = "fe80::1")q"},
    // Boolean structure: implied AND, precedence, case-insensitive keywords, redundant parentheses.
    {R"q(metadata.event_type = "PROCESS_LAUNCH" principal.hostname = "WS6")q",
     R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.hostname = "WS6")q"},
    {R"q(principal.hostname = "a" and not target.hostname = "b" or target.port = 80)q",
     R"q(principal.hostname = "a" AND NOT target.hostname = "b" OR target.port = 80)q"},
    {R"q(NOT principal.hostname = "a" AND target.hostname = "b")q",
     R"q(NOT principal.hostname = "a" AND target.hostname = "b")q"},
    {R"q(NOT (principal.hostname = "a" AND target.hostname = "b"))q",
     R"q(NOT (principal.hostname = "a" AND target.hostname = "b"))q"},
    {R"q(NOT (principal.hostname = "a" OR target.hostname = "b"))q",
     R"q(NOT (principal.hostname = "a" OR target.hostname = "b"))q"},
    {R"q(NOT (principal.hostname = "a"))q", R"q(NOT principal.hostname = "a")q"},
    {R"q(NOT NOT principal.hostname = "a")q", R"q(NOT NOT principal.hostname = "a")q"},
    {R"q(target.port = 1 OR target.port = 2 AND principal.port = 3)q",
     R"q(target.port = 1 OR target.port = 2 AND principal.port = 3)q"},
    {R"q((target.port = 1 OR target.port = 2) AND principal.port = 3)q",
     R"q((target.port = 1 OR target.port = 2) AND principal.port = 3)q"},
    {R"q(target.port = 1 AND (target.port = 2 AND principal.port = 3))q",
     R"q(target.port = 1 AND target.port = 2 AND principal.port = 3)q"},
    {R"q((target.port = 1 OR (target.port = 2 AND (principal.port = 3 OR principal.port = 4))))q",
     R"q(target.port = 1 OR target.port = 2 AND (principal.port = 3 OR principal.port = 4))q"},
    {R"q(((((((((((principal.hostname = "deep")))))))))))q", R"q(principal.hostname = "deep")q"},
    {"target.port=445\n\tAND\r\nprincipal.port!=0", "target.port = 445 AND principal.port != 0"},
    // Numbers, booleans, ordering.
    {R"q(target.port >= 49152 AND target.port < 65536)q",
     R"q(target.port >= 49152 AND target.port < 65536)q"},
    {R"q(network.sent_bytes > 1.5 OR network.received_bytes <= 0)q",
     R"q(network.sent_bytes > 1.5 OR network.received_bytes <= 0)q"},
    {R"q(principal.process.pid != -1)q", R"q(principal.process.pid != -1)q"},
    {R"q(network.tls.established = TRUE OR network.tls.established != false)q",
     R"q(network.tls.established = true OR network.tls.established != false)q"},
    // Repeated fields, maps, functions, enums.
    {R"q(ANY principal.ip = "1.2.3.4" AND all principal.ip != "5.6.7.8")q",
     R"q(any principal.ip = "1.2.3.4" AND all principal.ip != "5.6.7.8")q"},
    {R"q(additional.fields["Initiated"] = "true")q",
     R"q(additional.fields["Initiated"] = "true")q"},
    {R"q(additional.fields[`odd "key"`] = "v")q", R"q(additional.fields["odd \"key\""] = "v")q"},
    {R"q(strings.contains(target.process.command_line, "-accepteula"))q",
     R"q(strings.contains(target.process.command_line, "-accepteula"))q"},
    {R"q(NOT strings.contains(principal.hostname, `DC`) AND target.port = 445)q",
     R"q(NOT strings.contains(principal.hostname, `DC`) AND target.port = 445)q"},
    {R"q(metadata.event_type != "USER_LOGIN" AND security_result.action = "BLOCK")q",
     R"q(metadata.event_type != "USER_LOGIN" AND security_result.action = "BLOCK")q"},
    {R"q(network.direction = "INBOUND" AND network.ip_protocol = "TCP" AND extensions.auth.mechanism = "NETWORK")q",
     R"q(network.direction = "INBOUND" AND network.ip_protocol = "TCP" AND extensions.auth.mechanism = "NETWORK")q"},
    {R"q(metadata.product_event_type = "4624" AND target.user.userid != /\$$/)q",
     R"q(metadata.product_event_type = "4624" AND target.user.userid != /\$$/)q"},
};

std::string parse_and_print(std::string_view text) {
  udm::ParseResult result = udm::parse(text);
  if (!result) FAIL("parse failed: " << result.error().describe() << "\n  query: " << text);
  return udm::to_string(result.value());
}

}  // namespace

TEST_CASE("valid queries print in canonical form", "[udm][parser]") {
  STATIC_REQUIRE(std::size(kValidQueries) >= 40);
  for (const ValidCase& valid : kValidQueries) {
    INFO("query: " << valid.query);
    CHECK(parse_and_print(valid.query) == valid.canonical);
  }
}

TEST_CASE("printing and parsing again yields the same canonical text", "[udm][parser]") {
  for (const ValidCase& valid : kValidQueries) {
    const std::string printed = parse_and_print(valid.query);
    INFO("printed: " << printed);
    CHECK(parse_and_print(printed) == printed);
  }
}

TEST_CASE("a query may use exactly 169 logical operators inside one pair of parentheses",
          "[udm][parser]") {
  std::string query = "(target.port = 0";
  for (int i = 1; i < 170; ++i) query += " OR target.port = " + std::to_string(i);
  query += ")";
  REQUIRE(udm::parse(query).ok());
}

TEST_CASE("the top level is not bound by the per-group operator limit", "[udm][parser]") {
  std::string query = "target.port = 0";
  for (int i = 1; i < 300; ++i) query += " OR target.port = " + std::to_string(i);
  REQUIRE(udm::parse(query).ok());
}

TEST_CASE("a copied query outlives its text and the query it was copied from", "[udm][parser]") {
  std::optional<udm::Query> copy;
  {
    std::string text = R"q(principal.hostname = "WS6" AND target.port = /^44/)q";
    const udm::Query query = udm::parse(text).value();
    copy = query;
    text.assign(text.size(), 'x');
  }
  CHECK(udm::to_string(*copy) == R"q(principal.hostname = "WS6" AND target.port = /^44/)q");
  CHECK(udm::matches(*copy, {{"principal", {{"hostname", "WS6"}}}, {"target", {{"port", 445}}}}));
}

TEST_CASE("field paths are pre-split with their camelCase spelling", "[udm][parser]") {
  const udm::Query query = udm::parse(R"q(target.process.command_line = "x")q").value();
  const auto& comparison = std::get<udm::Comparison>(query.root().value);
  REQUIRE(comparison.field.segments.size() == 3);
  CHECK(comparison.field.segments[2].name == "command_line");
  CHECK(comparison.field.segments[2].camel_name == "commandLine");
  CHECK(comparison.field.segments[0].camel_name == "target");
}
