// EventStore search: time order and range, max_events / more_data_available, the indexes
// (SearchResult::scanned shows how far they narrowed the candidates), repeated fields, entity
// lookup and event names.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/event_store.hpp"
#include "store_files.hpp"
#include "udm/query.hpp"

namespace {

using nlohmann::json;
using store_test::udm_event;

udm::Query query(const std::string& text) {
  auto parsed = udm::parse(text);
  INFO(text);
  REQUIRE(parsed);
  return parsed.value();
}

sim::TimePoint at(const std::string& text) {
  return *sim::parse_time(text);
}

std::vector<std::string> times_of(const sim::SearchResult& result) {
  std::vector<std::string> times;
  for (const json* event : result.events) {
    times.push_back(event->at("metadata").at("event_timestamp").get<std::string>());
  }
  return times;
}

// A store of 40 events: 10:00..10:39, one per minute, alternating hosts WS1 / ws2.corp.local;
// every fourth is a PROCESS_LAUNCH of psexesvc.exe, the rest NETWORK_CONNECTION.
void fill(sim::EventStore& store) {
  for (int minute = 39; minute >= 0; --minute) {  // added newest first: search must sort
    char time[32];
    std::snprintf(time, sizeof time, "2024-05-01T10:%02d:00Z", minute);
    const bool launch = minute % 4 == 0;
    json event = udm_event(launch ? "PROCESS_LAUNCH" : "NETWORK_CONNECTION", time,
                           minute % 2 == 0 ? "WS1" : "ws2.corp.local",
                           launch ? "C:\\Windows\\PSEXESVC.exe" : "");
    REQUIRE(store.add_udm(event));
  }
  store.finalize();
}

}  // namespace

TEST_CASE("search returns matches oldest first within an inclusive time range", "[sim][store]") {
  sim::EventStore store;
  fill(store);
  const auto result = store.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"),
                                   {at("2024-05-01T10:08:00Z"), at("2024-05-01T10:16:00Z")}, 100);
  CHECK(times_of(result) == std::vector<std::string>{"2024-05-01T10:08:00Z", "2024-05-01T10:12:00Z",
                                                     "2024-05-01T10:16:00Z"});
  CHECK_FALSE(result.more_data_available);
  const auto open_start = store.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"),
                                       {std::nullopt, at("2024-05-01T10:04:00Z")}, 100);
  CHECK(open_start.events.size() == 2);
  const auto empty = store.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"),
                                  {at("2024-05-01T11:00:00Z"), std::nullopt}, 100);
  CHECK(empty.events.empty());
  CHECK(sim::format_time(*store.earliest()) == "2024-05-01T10:00:00.000Z");
  CHECK(sim::format_time(*store.latest()) == "2024-05-01T10:39:00.000Z");
}

TEST_CASE("max_events caps the result and more_data_available says more matched", "[sim][store]") {
  sim::EventStore store;
  fill(store);
  const auto capped = store.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"), {}, 3);
  CHECK(times_of(capped) == std::vector<std::string>{"2024-05-01T10:00:00Z", "2024-05-01T10:04:00Z",
                                                     "2024-05-01T10:08:00Z"});
  CHECK(capped.more_data_available);
  const auto exact = store.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"), {}, 10);
  CHECK(exact.events.size() == 10);
  CHECK_FALSE(exact.more_data_available);
}

TEST_CASE("an equality on an indexed field narrows the candidates to that index", "[sim][store]") {
  sim::EventStore store;
  fill(store);
  // No usable equality: every event in the range is evaluated.
  const auto full =
      store.search(query(R"(target.process.file.full_path = /psexesvc/ nocase)"), {}, 100);
  CHECK(full.events.size() == 10);
  CHECK(full.scanned == 40);
  // Event type: only the 10 launches are evaluated.
  const auto by_type = store.search(
      query(R"(metadata.event_type = "PROCESS_LAUNCH" AND target.process.file.full_path = )"
            R"(/psexesvc/ nocase)"),
      {}, 100);
  CHECK(by_type.events.size() == 10);
  CHECK(by_type.scanned == 10);
  // Two indexes apply: the narrower one (WS1 ∩ the range) is used.
  const auto by_host =
      store.search(query(R"(metadata.event_type = "NETWORK_CONNECTION" AND principal.hostname = )"
                         R"("WS1")"),
                   {at("2024-05-01T10:00:00Z"), at("2024-05-01T10:09:00Z")}, 100);
  CHECK(by_host.events.size() == 2);  // 10:02, 10:06
  CHECK(by_host.scanned == 5);        // WS1 at 10:00, 02, 04, 06, 08
  // A value no event holds: nothing is evaluated.
  const auto none = store.search(query(R"(metadata.event_type = "USER_LOGIN")"), {}, 100);
  CHECK(none.events.empty());
  CHECK(none.scanned == 0);
  // An OR has no required equality: a full scan, still correct.
  const auto either = store.search(
      query(R"(metadata.event_type = "USER_LOGIN" OR principal.hostname = "WS1")"), {}, 100);
  CHECK(either.events.size() == 20);
  CHECK(either.scanned == 40);
}

TEST_CASE("a hostname index finds the FQDN and short spellings, the query decides which match",
          "[sim][store]") {
  sim::EventStore store;
  fill(store);
  REQUIRE(store.add_udm(udm_event("NETWORK_CONNECTION", "2024-05-01T10:40:00Z", "WS2")));
  store.finalize();
  const auto fqdn = store.search(query(R"(principal.hostname = "ws2.corp.local")"), {}, 100);
  CHECK(fqdn.events.size() == 20);
  CHECK(fqdn.scanned == 21);
  const auto short_name = store.search(query(R"(principal.hostname = "WS2")"), {}, 100);
  CHECK(short_name.events.size() == 1);
  const auto nocase =
      store.search(query(R"(principal.hostname = "WS2.CORP.LOCAL" nocase)"), {}, 100);
  CHECK(nocase.events.size() == 20);  // nocase is not indexed: a scan, still right
}

TEST_CASE("repeated fields are indexed and matched on every value", "[sim][store]") {
  sim::EventStore store;
  json event = udm_event("NETWORK_CONNECTION", "2024-05-01T10:00:00Z", "WS1");
  event["principal"]["ip"] = {"10.0.0.1", "10.0.0.2"};
  event["target"]["ip"] = json::array({"10.0.0.9"});
  event["target"]["port"] = 445;
  REQUIRE(store.add_udm(event));
  REQUIRE(store.add_udm(udm_event("NETWORK_CONNECTION", "2024-05-01T10:01:00Z", "WS2")));
  store.finalize();
  const auto second_ip = store.search(query(R"(principal.ip = "10.0.0.2")"), {}, 10);
  CHECK(second_ip.events.size() == 1);
  CHECK(second_ip.scanned == 1);
  CHECK(store.search(query(R"(target.ip = "10.0.0.9" AND target.port = 445)"), {}, 10)
            .events.size() == 1);
  CHECK(store.search(query(R"(principal.ip = "10.0.0.3")"), {}, 10).events.empty());
}

TEST_CASE("events_for_entity finds hosts by short or full name, IPs, users and hashes",
          "[sim][store]") {
  sim::EventStore store;
  json first = udm_event("PROCESS_LAUNCH", "2024-05-01T10:00:00Z", "WORKSTATION6.theshire.local");
  first["principal"]["user"]["userid"] = "Alice";
  first["target"]["process"]["file"]["sha256"] = "ABCDEF0123";
  json second = udm_event("NETWORK_CONNECTION", "2024-05-01T11:00:00Z", "WS7");
  second["target"]["hostname"] = "WORKSTATION6";
  second["target"]["ip"] = {"10.1.2.3"};
  json third = udm_event("USER_LOGIN", "2024-05-01T12:00:00Z", "WS8");
  for (const json& event : {first, second, third}) REQUIRE(store.add_udm(event));
  store.finalize();
  CHECK(store.events_for_entity("workstation6", {}, 10).events.size() == 2);
  CHECK(store.events_for_entity("WORKSTATION6.theshire.local", {}, 10).events.size() == 2);
  CHECK(store.events_for_entity("10.1.2.3", {}, 10).events.size() == 1);
  CHECK(store.events_for_entity("alice", {}, 10).events.size() == 1);
  CHECK(store.events_for_entity("abcdef0123", {}, 10).events.size() == 1);
  CHECK(store.events_for_entity("nobody", {}, 10).events.empty());
  const auto capped = store.events_for_entity("WORKSTATION6", {}, 1);
  REQUIRE(capped.events.size() == 1);
  CHECK(capped.more_data_available);
  CHECK(capped.events.front()->at("metadata").at("event_type") == "PROCESS_LAUNCH");
  const auto later =
      store.events_for_entity("WORKSTATION6", {at("2024-05-01T10:30:00Z"), std::nullopt}, 10);
  REQUIRE(later.events.size() == 1);
  CHECK(later.events.front()->at("metadata").at("event_type") == "NETWORK_CONNECTION");
}

TEST_CASE("event names are Chronicle-like, distinct per event and stable across stores",
          "[sim][store]") {
  sim::EventStore a;
  sim::EventStore b;
  fill(a);
  fill(b);
  const auto in_a = a.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"), {}, 2);
  const auto in_b = b.search(query(R"(metadata.event_type = "PROCESS_LAUNCH")"), {}, 2);
  REQUIRE(in_a.events.size() == 2);
  const std::string name = a.event_name(in_a.events[0]);
  CHECK(name.starts_with("projects/lmhunt-sim/locations/us/instances/local/events/"));
  CHECK(name.size() == sim::kEventNamePrefix.size() + 16);
  CHECK(name == b.event_name(in_b.events[0]));
  CHECK(name != a.event_name(in_a.events[1]));
}
