// The event store's compact events (sim/compact_event.hpp): a tape turns back into exactly the
// JSON its text parses to, and udm::matches over its EventView agrees with udm::matches over that
// JSON, query by query.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/compact_event.hpp"
#include "sim/event_store.hpp"
#include "store_files.hpp"
#include "udm/query.hpp"

namespace {

using nlohmann::json;

const std::vector<std::string> kTexts = {
    R"({"metadata":{"event_type":"PROCESS_LAUNCH","event_timestamp":"2024-05-01T10:00:00Z",)"
    R"("product_event_type":"1","ingested_timestamp":{"seconds":1714557600,"nanos":5}},)"
    R"("principal":{"hostname":"WS1","ip":["10.0.0.6","fe80::6"],"process":{"file":)"
    R"({"full_path":"C:\\Windows\\PSEXESVC.exe"},"pid":"4242"}},)"
    R"("target":{"process":{"file":{"full_path":"C:\\Windows\\System32\\cmd.exe"},)"
    R"("command_line":"cmd.exe /c whoami\nsecond line psexec"},"port":445},)"
    R"("security_result":[{"action":"ALLOW","severity":"LOW"},{"action":"BLOCK"}],)"
    R"("network":{"tls":{"established":true}},"additional":{"fields":[{"key":"Initiated",)"
    R"("value":{"string_value":"true"}},{"key":"Count","value":{"number_value":3}}]}})",
    R"({"metadata":{"eventType":"NETWORK_CONNECTION","eventTimestamp":"2024-05-01T10:00:00Z"},)"
    R"("principal":{"ip":["10.0.0.7"],"port":"49812"},"target":{"ip":["10.0.0.5"],"port":"445",)"
    R"("process":{"commandLine":"svchost.exe -k RPCSS"}},"network":{"ipProtocol":"TCP"},)"
    R"("additional":{"fields":{"Initiated":{"stringValue":"false"}}}})",
    // Repeated keys (the last wins), all number types, escapes, empty containers, null.
    R"({"metadata":{"event_type":"USER_LOGIN","event_type":"FILE_CREATION"},"target":)"
    R"({"port":-1,"port":18446744073709551615,"size":1.5e3,"zero":-0.0,"hostname":"h\u00e9\"x",)"
    R"("labels":[],"about":{},"nothing":null,"flag":false,"nested":[[1,2],[{"a":[3]}]]},)"
    R"("principal":{"hostname":"WS9"},"principal":{"hostname":"WS10","ip":"10.1.1.1"}})",
};

const std::vector<std::string> kQueries = {
    R"(metadata.event_type = "PROCESS_LAUNCH")",
    R"(metadata.event_type = "FILE_CREATION")",
    R"(metadata.event_type = "USER_LOGIN")",
    R"(principal.process.file.full_path = /\\psexesvc\.exe$/ nocase)",
    R"(target.process.command_line = /psexec/)",
    R"(target.process.command_line = /(?s)psexec/)",
    R"(principal.ip = "fe80::6")",
    R"(principal.ip != "10.0.0.7")",
    R"(any principal.ip != "10.0.0.6")",
    R"(all security_result.action = "ALLOW")",
    R"(security_result.action = "BLOCK")",
    R"(target.port = 445)",
    R"(target.port > 400 AND target.port <= 445)",
    R"(target.port = "445")",
    R"(target.port < 0)",
    R"(target.size = 1500)",
    R"(network.tls.established = true)",
    R"(network.ip_protocol = "TCP")",
    R"(target.process.command_line = "CMD.EXE /C WHOAMI" nocase)",
    R"(additional.fields["Initiated"] = "true")",
    R"(additional.fields["Initiated"] = "false")",
    R"(additional.fields["Count"] > 2)",
    R"(metadata.ingested_timestamp.seconds > 1714557599)",
    R"(metadata.event_timestamp.seconds = 1714557600)",
    R"(target.hostname = /"x$/ OR target.hostname = "none")",
    R"(principal.hostname = "WS9")",
    R"(principal.hostname = "WS10" AND principal.ip = "10.1.1.1")",
    R"(target.process.command_line = "")",
    R"(NOT target.labels = "x" AND target.nothing = "")",
    R"(strings.contains(target.process.command_line, "whoami"))",
};

}  // namespace

TEST_CASE("a compact event turns back into exactly the JSON its text parses to", "[sim][compact]") {
  sim::store::KeyTable keys;
  sim::store::TapeBuilder builder(keys);
  for (const std::string& text : kTexts) {
    INFO(text);
    REQUIRE(builder.parse(text));
    const sim::store::CompactView view(builder.tape(), keys);
    CHECK(sim::store::to_json(view, view.root()).dump() == json::parse(text).dump());
    // From a parsed tree, the same.
    builder.from_json(json::parse(text));
    const sim::store::CompactView again(builder.tape(), keys);
    CHECK(sim::store::to_json(again, again.root()).dump() == json::parse(text).dump());
  }
}

TEST_CASE("a compact event survives being stored in an arena", "[sim][compact]") {
  sim::store::KeyTable keys;
  sim::store::TapeBuilder builder(keys);
  sim::store::Arena arena;
  REQUIRE(builder.parse(R"({"name":"n","udm":{"metadata":{"a":[1,{"b":"c"}]},"x":"w","x":"y"}})"));
  const sim::store::CompactView tape(builder.tape(), keys);
  const auto udm = tape.find(tape.root(), "udm");
  REQUIRE(udm != udm::EventView::kNone);
  std::uint8_t* block = arena.allocate(sim::store::stored_size(builder.tape(), udm));
  sim::store::store_tape(builder.tape(), udm, block);
  const sim::store::CompactView stored(block, keys);
  CHECK(sim::store::to_json(stored, stored.root()).dump() ==
        R"({"metadata":{"a":[1,{"b":"c"}]},"x":"y"})");
  // A repeated key reads as its last value, as in the JSON tree.
  CHECK(stored.string(stored.find(stored.root(), "x")) == "y");
}

TEST_CASE("udm::matches over a compact event agrees with udm::matches over its JSON",
          "[sim][compact]") {
  sim::store::KeyTable keys;
  sim::store::TapeBuilder builder(keys);
  std::size_t matched = 0;
  for (const std::string& text : kTexts) {
    REQUIRE(builder.parse(text));
    const sim::store::CompactView view(builder.tape(), keys);
    const json event = json::parse(text);
    for (const std::string& query : kQueries) {
      INFO(text << "\n" << query);
      const auto parsed = udm::parse(query);
      REQUIRE(parsed);
      const bool expected = udm::matches(parsed.value(), event);
      CHECK(udm::matches(parsed.value(), view) == expected);
      matched += expected ? 1 : 0;
    }
  }
  // The table exercises both answers.
  CHECK(matched > 10);
  CHECK(matched < kTexts.size() * kQueries.size() - 10);
}

TEST_CASE("search returns loaded lines as the JSON their text parses to, with the same names",
          "[sim][compact]") {
  store_test::TempDir dir;
  std::string lines;
  for (const std::string& text : kTexts) {
    json event = json::parse(text);
    event["metadata"]["event_timestamp"] = "2024-05-01T10:00:00Z";
    event["metadata"].erase("eventTimestamp");
    lines += event.dump() + "\n";
  }
  sim::EventStore store;
  const sim::LoadReport report = store.load_file(dir.write("events.jsonl", lines));
  REQUIRE(report.loaded == kTexts.size());
  store.finalize();
  const auto all = udm::parse(R"(metadata.event_timestamp.seconds > 0)");
  REQUIRE(all);
  const sim::SearchResult result = store.search(all.value(), {}, 10);
  REQUIRE(result.events.size() == kTexts.size());
  std::size_t line = 0;
  for (std::size_t start = 0; start < lines.size(); ++line) {
    const std::size_t end = lines.find('\n', start);
    const json expected = json::parse(lines.substr(start, end - start));
    CHECK(result.events[line]->dump() == expected.dump());
    start = end + 1;
  }
  const sim::SearchResult copy = result;  // results own their JSON; copies stay valid
  CHECK(store.event_name(copy.events[0]) == store.event_name(result.events[0]));
}
