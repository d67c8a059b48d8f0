// Invalid UDM Search queries: each is refused at the right byte with a message and a hint.
#include <catch2/catch.hpp>
#include <iterator>
#include <string>
#include <string_view>

#include "udm/query.hpp"

namespace {

struct InvalidCase {
  std::string_view query;
  std::size_t position;
  std::string_view message;  // a substring of ParseError::message
  std::string_view hint;     // a substring of ParseError::hint
};

const InvalidCase kInvalidQueries[] = {
    // Operators of other query languages.
    {R"q(target.process.command_line CONTAINS "psexec")q", 28,
     "CONTAINS is not a UDM Search operator", "target.process.command_line = /psexec/ nocase"},
    {R"q(target.process.file.full_path CONTAINS "PSEXESVC.exe")q", 30, "CONTAINS",
     R"q(target.process.file.full_path = /PSEXESVC\.exe/ nocase)q"},
    {R"q(target.hostname NOT IN ("a", "b"))q", 16, "NOT IN is not a UDM Search operator",
     R"q(NOT (target.hostname = "a" OR target.hostname = "b"))q"},
    {R"q(target.port IN (445, 135))q", 12, "IN is not a UDM Search operator",
     R"q((target.port = 445 OR target.port = 135))q"},
    {R"q(principal.hostname == "x")q", 19, "== is not a UDM Search operator", "use = for equality"},
    {R"q(principal.hostname = "a" && target.hostname = "b")q", 25, "&&", "use AND"},
    {R"q(principal.hostname = "a" || target.hostname = "b")q", 25, "||", "use OR"},
    {R"q(principal.hostname LIKE "%ws%")q", 19, "LIKE is not a UDM Search operator",
     "regular expression"},
    {R"q(target.hostname IS NULL)q", 16, "IS is not a UDM Search operator",
     "target.hostname = \"\""},
    {R"q(!principal.hostname = "x")q", 0, "! is not a UDM Search operator", "NOT"},
    {R"q(principal.hostname = 'x')q", 21, "single quotes", "double quotes"},
    // Structure.
    {"", 0, "empty query", "metadata.event_type"},
    {"  \n\t ", 0, "empty query", ""},
    {R"q((principal.hostname = "a")q", 0, "this ( is never closed", "add the )"},
    {R"q(principal.hostname = "a"))q", 24, "this ) has no matching (", ""},
    {R"q(principal.hostname = "x") OR (target.hostname = "y")q", 24, "has no matching (", ""},
    {R"q(())q", 0, "empty parentheses", ""},
    {R"q(principal.hostname = "a" AND)q", 28, "ends after AND", "remove the trailing AND"},
    {R"q(principal.hostname = "a" OR NOT)q", 31, "ends after NOT", ""},
    {R"q(OR principal.hostname = "a")q", 0, "expected a condition but found 'OR'", ""},
    {R"q(target.port = 445 AND AND target.port = 1)q", 22, "expected a condition but found", ""},
    {R"q(principal.hostname = "x" 5)q", 25, "unexpected the number 5", "join conditions"},
    // Values.
    {R"q(principal.hostname =)q", 20, "missing value after =", "principal.hostname = \"value\""},
    {R"q(principal.hostname = AND target.port = 1)q", 21, "missing value after =", ""},
    {R"q(principal.hostname "x")q", 19, "expected a comparison operator", ""},
    {R"q(principal.hostname)q", 18, "has no operator and value", ""},
    {R"q(principal.hostname = "abc)q", 21, "unterminated string", ""},
    {R"q(target.process.command_line = /abc)q", 30, "unterminated regular expression", "\\/"},
    {"target.process.command_line = `abc", 30, "unterminated backtick string", ""},
    {R"q(target.file.full_path = "C:\Windows")q", 27, "unknown escape sequence \\W", "backtick"},
    {R"q(principal.ip = 10.0.0.1)q", 15, "unquoted value 10.0.0.1", "\"10.0.0.1\""},
    {R"q(principal.hostname = WIN-01)q", 21, "unquoted value WIN-01", "\"WIN-01\""},
    {R"q(principal.hostname = target.hostname)q", 21, "not with a field", ""},
    {R"q(target.port = 445 nocase)q", 18, "nocase applies only to strings", ""},
    {R"q(target.port > "1000")q", 14, "compares numbers", "target.port > 1000"},
    {R"q(network.tls.established < true)q", 26, "compares numbers", ""},
    // Regular expressions.
    {R"q(target.process.command_line = /(abc/)q", 30, "missing )", ""},
    {R"q(target.process.command_line = /foo(?=bar)/)q", 30, "invalid perl operator", "lookahead"},
    {R"q(target.process.command_line = /*.exe/)q", 30, "argument for repetition operator", ".*"},
    {R"q(target.hostname = //)q", 18, "empty regular expression", ""},
    {R"q(target.port < /44/)q", 12, "regular expression can only be used with = or !=", ""},
    // Field paths.
    {R"q(principal..hostname = "a")q", 10, "has an empty part", ""},
    {R"q(principal.hostname. = "a")q", 19, "has an empty part", ""},
    {R"q(principal.1ip = "a")q", 10, "starts with a digit", ""},
    {R"q(princpal.hostname = "a")q", 0, "is not a UDM field path", "principal.hostname"},
    {R"q(udm.principal.hostname = "a")q", 0, "is not a UDM field path", "drop the udm. prefix"},
    {R"q(hostname = "a")q", 0, "is not a UDM field path", "principal.hostname"},
    {R"q(principal = "a")q", 0, "noun, not a field", ""},
    {R"q(target.process.commandLine = "x")q", 0, "snake_case", "target.process.command_line"},
    {R"q(Principal.Hostname = "x")q", 0, "snake_case", "principal.hostname"},
    {R"q(WKS-07)q", 0, "is not a UDM field path", "principal.hostname"},
    {R"q(additional.fields[Initiated] = "true")q", 18, "expected a quoted key", ""},
    // Enumerated fields.
    {R"q(metadata.event_type = /NETWORK*/)q", 22, "enumerated field; regular expressions",
     R"q(metadata.event_type = "NETWORK_CONNECTION")q"},
    {R"q(network.ip_protocol = /tcp/ nocase)q", 22, "enumerated field", " OR "},
    {R"q(metadata.event_type = "PROCESS_LAUNCHED")q", 22, "unknown metadata.event_type value",
     "\"PROCESS_LAUNCH\""},
    {R"q(metadata.event_type = "process_launch")q", 22, "unknown metadata.event_type value",
     "\"PROCESS_LAUNCH\""},
    {R"q(metadata.event_type = "WMI_ACTIVITY")q", 22, "unknown metadata.event_type value",
     "did you mean"},
    {R"q(security_result.action = "DENY")q", 25, "unknown security_result.action value", ""},
    {R"q(network.direction = "INBOUND" nocase)q", 20, "nocase does not apply", ""},
    {R"q(metadata.event_type = 5)q", 22, "quoted value name", ""},
    // Functions.
    {R"q(strings.contains(target.hostname))q", 32, "expected , after the field", ""},
    {R"q(strings.contains(metadata.event_type, "NET"))q", 38, "enumerated field", ""},
    {R"q(strings.contains(target.hostname, "x") = true)q", 39, "is not compared", ""},
    {R"q(re.regex(target.hostname, "x"))q", 0, "re.regex", "field = /pattern/"},
    {R"q(any strings.contains(target.hostname, "x"))q", 0, "any/all cannot qualify", ""},
};

}  // namespace

TEST_CASE("invalid queries are refused at the offending byte with a hint", "[udm][parser]") {
  STATIC_REQUIRE(std::size(kInvalidQueries) >= 25);
  for (const InvalidCase& invalid : kInvalidQueries) {
    INFO("query: " << invalid.query);
    const udm::ParseResult result = udm::parse(invalid.query);
    REQUIRE_FALSE(result.ok());
    const udm::ParseError& error = result.error();
    INFO("error: " << error.describe());
    CHECK(error.position == invalid.position);
    CHECK_THAT(error.message, Catch::Contains(std::string(invalid.message)));
    CHECK_THAT(error.hint, Catch::Contains(std::string(invalid.hint)));
  }
}

TEST_CASE("a regex on an enumerated field is refused with the matching values as a hint",
          "[udm][parser]") {
  const udm::ParseResult result = udm::parse(R"q(metadata.event_type = /^NETWORK_(DNS|DHCP)$/)q");
  REQUIRE_FALSE(result.ok());
  CHECK(
      result.error().hint ==
      R"q(compare with an OR of values: (metadata.event_type = "NETWORK_DHCP" OR metadata.event_type = "NETWORK_DNS"))q");
}

TEST_CASE("more than 169 logical operators inside one pair of parentheses are refused",
          "[udm][parser]") {
  std::string query = "(target.port = 0";
  for (int i = 1; i <= 170; ++i) query += " OR target.port = " + std::to_string(i);
  query += ")";
  std::size_t position = 0;
  for (int i = 0; i < 170; ++i) position = query.find(" OR ", position) + 1;
  const udm::ParseResult result = udm::parse(query);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().position == position);
  CHECK_THAT(result.error().message, Catch::Contains("169 logical operators"));
}

TEST_CASE("a query longer than the length limit is refused", "[udm][parser]") {
  std::string query = "principal.hostname = \"";
  query += std::string(udm::kMaxQueryBytes, 'a');
  query += "\"";
  const udm::ParseResult result = udm::parse(query);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().position == udm::kMaxQueryBytes);
  CHECK_THAT(result.error().message, Catch::Contains("longer than the limit"));
}

TEST_CASE("nesting deeper than the limit is refused instead of exhausting the stack",
          "[udm][parser]") {
  const std::string query = std::string(2000, '(') + "target.port = 1" + std::string(2000, ')');
  const udm::ParseResult result = udm::parse(query);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().position == udm::kMaxNestingDepth + 1);
  CHECK_THAT(result.error().message, Catch::Contains("levels deep"));

  const std::string nots = [] {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "NOT ";
    return text + "target.port = 1";
  }();
  REQUIRE_FALSE(udm::parse(nots).ok());
}

TEST_CASE("describe renders position, message and hint on one line", "[udm][parser]") {
  const udm::ParseResult result = udm::parse(R"q(principal.hostname == "x")q");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().describe() ==
        "at byte 19: == is not a UDM Search operator (use = for equality)");
}
