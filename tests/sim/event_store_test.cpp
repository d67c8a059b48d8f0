// EventStore loading: every input shape (bare UDM, {"udm"}, Chronicle {"name","udm"}, JSON
// arrays, pretty-printed objects, flat and nested Windows events), mixed files, and the clock.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/event_store.hpp"
#include "store_files.hpp"
#include "udm/query.hpp"

namespace {

using nlohmann::json;
using store_test::TempDir;
using store_test::udm_event;

std::size_t count_matching(const sim::EventStore& store, const std::string& query) {
  auto parsed = udm::parse(query);
  REQUIRE(parsed);
  return store.search(parsed.value(), {}, 1000).events.size();
}

}  // namespace

TEST_CASE("bare, wrapped and Chronicle-result UDM lines all load as UDM events", "[sim][store]") {
  TempDir dir;
  const std::string file = dir.write(
      "events.jsonl",
      udm_event("PROCESS_LAUNCH", "2024-05-01T10:00:00Z", "WS1").dump() + "\n" +
          json{{"udm", udm_event("PROCESS_LAUNCH", "2024-05-01T10:01:00Z", "WS2")}}.dump() +
          "\r\n\n" +
          json{{"name", "projects/p/locations/us/instances/i/events/abc"},
               {"udm", udm_event("NETWORK_CONNECTION", "2024-05-01T10:02:00Z", "WS3")}}
              .dump() +
          "\n");
  sim::EventStore store;
  const sim::LoadReport report = store.load_file(file);
  store.finalize();
  CHECK(report.ok());
  CHECK(report.format == "udm-jsonl");
  CHECK(report.loaded == 3);
  CHECK(report.errors_total == 0);
  CHECK(store.size() == 3);
  CHECK(count_matching(store, R"(metadata.event_type = "PROCESS_LAUNCH")") == 2);
  // The wrapper is gone: the store holds the UDM event itself.
  auto parsed = udm::parse(R"(principal.hostname = "WS3")");
  const auto result = store.search(parsed.value(), {}, 10);
  REQUIRE(result.events.size() == 1);
  CHECK(result.events.front()->contains("metadata"));
  CHECK_FALSE(result.events.front()->contains("name"));
}

TEST_CASE("a JSON array file and a pretty-printed single event load as documents", "[sim][store]") {
  TempDir dir;
  const json array = {udm_event("USER_LOGIN", "2024-05-01T10:00:00Z", "WS1"),
                      udm_event("USER_LOGIN", "2024-05-01T11:00:00Z", "WS2")};
  sim::EventStore store;
  const auto from_array = store.load_file(dir.write("array.json", array.dump(2)));
  const auto from_object = store.load_file(
      dir.write("one.json", udm_event("FILE_CREATION", "2024-05-01T12:00:00Z", "WS3").dump(2)));
  store.finalize();
  CHECK(from_array.format == "udm-json");
  CHECK(from_array.loaded == 2);
  CHECK(from_object.format == "udm-json");
  CHECK(from_object.loaded == 1);
  CHECK(store.size() == 3);
}

TEST_CASE("events keep their camelCase keys and are indexed through them", "[sim][store]") {
  TempDir dir;
  const std::string file = dir.write(
      "camel.jsonl",
      R"({"metadata":{"eventType":"PROCESS_LAUNCH","eventTimestamp":"2024-05-01T10:00:00.250Z"},)"
      R"("principal":{"hostname":"ws9.corp.local"},"target":{"process":{"commandLine":"x"}}})"
      "\n");
  sim::EventStore store;
  CHECK(store.load_file(file).loaded == 1);
  store.finalize();
  CHECK(count_matching(store, R"(metadata.event_type = "PROCESS_LAUNCH")") == 1);
  CHECK(count_matching(store, R"(principal.hostname = "ws9.corp.local")") == 1);
  CHECK(sim::format_time(*store.earliest()) == "2024-05-01T10:00:00.250Z");
}

TEST_CASE("an event timestamp given as {seconds, nanos} is read like RFC 3339 text",
          "[sim][store]") {
  sim::EventStore store;
  json event = udm_event("PROCESS_LAUNCH", "", "WS1");
  event["metadata"]["event_timestamp"] = {{"seconds", 1714557600}, {"nanos", 5'000'000}};
  std::string why;
  REQUIRE(store.add_udm(event, &why));
  store.finalize();
  CHECK(sim::format_time(*store.latest()) == "2024-05-01T10:00:00.005Z");
}

TEST_CASE("a UDM event without a readable event time is refused with the reason", "[sim][store]") {
  sim::EventStore store;
  std::string why;
  CHECK_FALSE(store.add_udm(json{{"metadata", {{"event_type", "PROCESS_LAUNCH"}}}}, &why));
  CHECK(why == "no metadata.event_timestamp");
  CHECK_FALSE(store.add_udm(udm_event("PROCESS_LAUNCH", "yesterday", "WS1"), &why));
  CHECK(why.find("not an RFC 3339 time") != std::string::npos);
  CHECK_FALSE(store.add_udm(json::array(), &why));
  CHECK(why == "not a JSON object");
  CHECK(store.size() == 0);
}

TEST_CASE(
    "flat NXLog and nested Winlogbeat Windows lines are mapped to UDM, unmapped ids "
    "skipped",
    "[sim][store]") {
  TempDir dir;
  const std::string flat =
      R"({"EventID":4688,"Channel":"Security","SourceName":"Microsoft-Windows-Security-Auditing",)"
      R"("Hostname":"WORKSTATION6.theshire.local","EventTime":"2020-09-14 08:06:01",)"
      R"("@timestamp":"2020-09-14T12:06:03.849Z","NewProcessName":"C:\\Windows\\PSEXESVC.exe",)"
      R"("ParentProcessName":"C:\\Windows\\System32\\services.exe","CommandLine":"PSEXESVC.exe",)"
      R"("SubjectUserName":"WORKSTATION6$","SubjectDomainName":"THESHIRE","NewProcessId":"0x1"})";
  const std::string nested =
      R"({"@timestamp":"2020-09-14T12:07:00.000Z","host":{"name":"ws7.theshire.local"},)"
      R"("winlog":{"event_id":7045,"channel":"System","provider_name":"Service Control Manager",)"
      R"("computer_name":"WS7.theshire.local","event_data":{"ServiceName":"PSEXESVC",)"
      R"("ImagePath":"%SystemRoot%\\PSEXESVC.exe","ServiceType":"user mode service",)"
      R"("StartType":"demand start","AccountName":"LocalSystem"}}})";
  const std::string unmapped =
      R"({"EventID":4999,"Channel":"Security","Hostname":"WS1","@timestamp":"2020-09-14T12:00:00Z"})";
  const std::string file = dir.write("win.jsonl", flat + "\n" + nested + "\n" + unmapped + "\n");
  sim::EventStore store;
  const auto report = store.load_file(file);
  store.finalize();
  INFO((report.errors.empty() ? std::string() : report.errors.front().message));
  CHECK(report.format == "windows-jsonl");
  CHECK(report.loaded == 2);
  CHECK(report.skipped == 1);
  CHECK(report.errors_total == 0);
  CHECK(report.ok());
  CHECK(count_matching(store, R"(metadata.event_type = "PROCESS_LAUNCH")") == 1);
  CHECK(count_matching(store, R"(metadata.product_event_type = "7045")") == 1);
}

TEST_CASE("several files of different kinds load into one store", "[sim][store]") {
  TempDir dir;
  const std::string udm_file =
      dir.write("a.jsonl", udm_event("PROCESS_LAUNCH", "2024-05-01T10:00:00Z", "WS1").dump());
  const std::string array_file = dir.write(
      "b.json", json::array({udm_event("USER_LOGIN", "2024-05-01T09:00:00Z", "WS2")}).dump());
  const std::string windows_file = dir.write(
      "c.jsonl",
      R"({"EventID":7045,"Channel":"System","SourceName":"Service Control Manager",)"
      R"("Hostname":"WS3","@timestamp":"2024-05-01T11:00:00Z","ServiceName":"x",)"
      R"("ImagePath":"C:\\x.exe","ServiceType":"user mode service","StartType":"demand start",)"
      R"("AccountName":"LocalSystem"})");
  const std::string text_file = dir.write("notes.txt", "hello\n");
  sim::EventStore store;
  std::size_t loaded = 0;
  for (const auto& file : {udm_file, array_file, text_file, windows_file}) {
    loaded += store.load_file(file).loaded;
  }
  store.finalize();
  CHECK(loaded == 3);
  CHECK(store.size() == 3);
  CHECK(sim::format_time(*store.earliest()) == "2024-05-01T09:00:00.000Z");
  CHECK(sim::format_time(*store.latest()) == "2024-05-01T11:00:00.000Z");
}

TEST_CASE("parse_time reads Z, offsets, naive UTC and fractions; format_time prints UTC ms",
          "[sim][store]") {
  CHECK(sim::format_time(*sim::parse_time("2024-05-01T10:00:00Z")) == "2024-05-01T10:00:00.000Z");
  CHECK(sim::format_time(*sim::parse_time("2024-05-01T12:00:00.1234+02:00")) ==
        "2024-05-01T10:00:00.123Z");
  CHECK(sim::format_time(*sim::parse_time("2024-05-01 10:00:00.5")) == "2024-05-01T10:00:00.500Z");
  CHECK(sim::format_time(*sim::parse_time("1969-12-31T23:59:59.250Z")) ==
        "1969-12-31T23:59:59.250Z");
  CHECK_FALSE(sim::parse_time("2024-05-01"));
  CHECK_FALSE(sim::parse_time("not a time"));
  CHECK_FALSE(sim::parse_time(""));
}

TEST_CASE("an empty store has no earliest or latest time and finds nothing", "[sim][store]") {
  sim::EventStore store;
  store.finalize();
  CHECK_FALSE(store.earliest());
  CHECK_FALSE(store.latest());
  auto parsed = udm::parse(R"(metadata.event_type = "PROCESS_LAUNCH")");
  const auto result = store.search(parsed.value(), {}, 10);
  CHECK(result.events.empty());
  CHECK_FALSE(result.more_data_available);
  CHECK(store.events_for_entity("WS1", {}, 10).events.empty());
}
