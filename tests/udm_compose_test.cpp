// Composing queries for the hunt (conjoin), index hints for the store (required_equalities), and
// one query shared by many threads.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "udm/query.hpp"

namespace {

using nlohmann::json;

udm::Query parsed(std::string_view text) {
  udm::ParseResult result = udm::parse(text);
  if (!result) FAIL("parse failed: " << result.error().describe() << "\n  query: " << text);
  return std::move(result).value();
}

json process_launch(std::string_view host, std::string_view parent, std::string_view image,
                    std::string_view command_line) {
  return {{"metadata", {{"event_type", "PROCESS_LAUNCH"}}},
          {"principal", {{"hostname", host}, {"process", {{"file", {{"full_path", parent}}}}}}},
          {"target",
           {{"process", {{"file", {{"full_path", image}}}, {"command_line", command_line}}}}}};
}

}  // namespace

TEST_CASE("conjoin keeps a scope's OR inside its own parentheses", "[udm][compose]") {
  const udm::Query base = parsed(R"q(metadata.event_type = "PROCESS_LAUNCH")q");
  const udm::Query scope = parsed(R"q(principal.hostname = "WS6" OR principal.hostname = "WS7")q");
  const udm::Query both = udm::conjoin(base, scope);
  CHECK(
      udm::to_string(both) ==
      R"q(metadata.event_type = "PROCESS_LAUNCH" AND (principal.hostname = "WS6" OR principal.hostname = "WS7"))q");

  const json network_on_ws7 = {{"metadata", {{"event_type", "NETWORK_CONNECTION"}}},
                               {"principal", {{"hostname", "WS7"}}}};
  CHECK_FALSE(udm::matches(both, network_on_ws7));
  // Gluing the texts without the tree's parentheses would have matched it.
  CHECK(udm::matches(
      parsed(
          R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.hostname = "WS6" OR principal.hostname = "WS7")q"),
      network_on_ws7));

  const json launch_on_ws7 = process_launch("WS7", "", "", "");
  CHECK(udm::matches(both, launch_on_ws7));
}

TEST_CASE("a scope fragment that tries to close the parentheses does not parse", "[udm][compose]") {
  const udm::ParseResult fragment =
      udm::parse(R"q(principal.hostname = "x") OR (metadata.event_type = "NETWORK_CONNECTION")q");
  REQUIRE_FALSE(fragment.ok());
  CHECK(fragment.error().position == 24);
  CHECK_THAT(fragment.error().message, Catch::Contains("no matching ("));
}

TEST_CASE("a conjoined query prints text that parses back to the same query", "[udm][compose]") {
  const udm::Query both = udm::conjoin(
      parsed(R"q(target.port = 445 OR target.port = 135)q"),
      parsed(R"q(NOT principal.hostname = "SCANNER" AND principal.ip != "10.0.0.9")q"));
  const std::string printed = udm::to_string(both);
  CHECK(
      printed ==
      R"q((target.port = 445 OR target.port = 135) AND NOT principal.hostname = "SCANNER" AND principal.ip != "10.0.0.9")q");
  CHECK(udm::to_string(parsed(printed)) == printed);
}

TEST_CASE("required_equalities lists the top-level equalities an index can serve",
          "[udm][compose]") {
  const udm::Query query = parsed(
      R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.hostname = "WS6" AND (target.port = 445 OR target.port = 135) AND target.user.userid = "bob" nocase AND any principal.ip = "10.0.0.1" AND NOT target.hostname = "z" AND metadata.product_event_type = "4624" AND target.port = "0445" AND principal.port = 445 AND target.hostname = "" AND principal.process.file.full_path = /x/ AND all about.ip = "1.1.1.1" AND metadata.event_timestamp.seconds = "1660784400")q");
  const std::vector<udm::Equality> equalities = udm::required_equalities(query);
  REQUIRE(equalities.size() == 4);
  CHECK(equalities[0].field == "metadata.event_type");
  CHECK(equalities[0].value == "PROCESS_LAUNCH");
  CHECK(equalities[1].field == "principal.hostname");
  CHECK(equalities[1].value == "WS6");
  CHECK(equalities[2].field == "principal.ip");
  CHECK(equalities[2].value == "10.0.0.1");
  CHECK(equalities[3].field == "metadata.product_event_type");
  CHECK(equalities[3].value == "4624");

  CHECK(udm::required_equalities(parsed(R"q(metadata.event_type = "USER_LOGIN")q")).size() == 1);
  CHECK(udm::required_equalities(
            parsed(R"q(metadata.event_type = "USER_LOGIN" OR principal.hostname = "a")q"))
            .empty());
  const auto from_conjoin =
      udm::required_equalities(udm::conjoin(parsed(R"q(metadata.event_type = "USER_LOGIN")q"),
                                            parsed(R"q(additional.fields["LogonType"] = "3")q")));
  REQUIRE(from_conjoin.size() == 2);
  CHECK(from_conjoin[1].field == R"q(additional.fields["LogonType"])q");
}

TEST_CASE("every event an equality hint names satisfies it", "[udm][compose]") {
  // The contract a store relies on: a matching event holds the value at that path.
  const udm::Query query = parsed(
      R"q(metadata.product_event_type = "4624" AND principal.hostname = "WS6" AND target.port = 1 OR target.port = 2)q");
  CHECK(udm::required_equalities(query).empty());  // top level is an OR
  const udm::Query conjunction =
      parsed(R"q(metadata.product_event_type = "4624" AND target.port = "445")q");
  const json numeric = {{"metadata", {{"product_event_type", 4624}}}, {"target", {{"port", 445}}}};
  REQUIRE(udm::matches(conjunction, numeric));
  for (const udm::Equality& equality : udm::required_equalities(conjunction)) {
    const json value = equality.field == "target.port" ? numeric["target"]["port"]
                                                       : numeric["metadata"]["product_event_type"];
    CHECK(value.dump() == equality.value);
  }
}

TEST_CASE("the detection drafts find the activity they describe", "[udm][compose]") {
  const udm::Query child_of_psexesvc = parsed(
      R"q(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\psexesvc\.exe$/ nocase)q");
  CHECK(udm::matches(child_of_psexesvc, process_launch("WS6", R"(C:\Windows\PSEXESVC.exe)",
                                                       R"(C:\Windows\System32\cmd.exe)", "cmd")));
  CHECK_FALSE(udm::matches(child_of_psexesvc,
                           process_launch("WS6", R"(C:\Tools\notpsexesvc.exe.bak)", "", "")));

  const udm::Query impacket = parsed(
      R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.command_line = /cmd(\.exe)?\s+\/q\s+\/c\s.*\\\\127\.0\.0\.1\\[a-z]+\$/ nocase)q");
  CHECK(udm::matches(
      impacket,
      process_launch("WS6", R"(C:\Windows\System32\wbem\WmiPrvSE.exe)",
                     R"(C:\Windows\System32\cmd.exe)",
                     R"(cmd.exe /Q /c whoami 1> \\127.0.0.1\ADMIN$\__1660784400.5 2>&1)")));
  CHECK_FALSE(
      udm::matches(impacket, process_launch("WS6", "", "", R"(cmd.exe /c dir \\fs01\share)")));

  const udm::Query wmic_node = parsed(
      R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.file.full_path = /\\wmic\.exe$/ nocase
  AND target.process.command_line = /\/node:/ nocase AND NOT target.process.command_line = /\/node:"?(localhost|127\.0\.0\.1)\b/ nocase)q");
  const std::string wmic = R"(C:\Windows\System32\wbem\WMIC.exe)";
  CHECK(udm::matches(
      wmic_node,
      process_launch("WS5", "", wmic, R"(wmic /node:"WS6" process call create "net user")")));
  CHECK_FALSE(
      udm::matches(wmic_node, process_launch("WS5", "", wmic, R"(wmic /node:localhost os get)")));
}

TEST_CASE("one parsed query can be evaluated from many threads at once", "[udm][compose]") {
  const udm::Query query = parsed(
      R"q(metadata.event_type = "PROCESS_LAUNCH" AND target.process.command_line = /accepteula/ nocase)q");
  const json hit = process_launch("WS6", "", "", "psexec.exe -AcceptEula \\\\WS7 cmd");
  const json miss = process_launch("WS6", "", "", "notepad.exe");
  std::vector<int> hits(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < hits.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) hits[t] += udm::matches(query, i % 2 == 0 ? hit : miss) ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : hits) CHECK(count == 250);
}
