// Zone-less local times (docs/windows-mapping.md, "Time"): each host's UTC offset is learned from
// its records that carry both a UTC time and a local one (Sysmon UtcTime + TimeCreated), per file,
// and applied to that host's records that carry only a local time (OTRF Security / System).
// Records are small hand-written objects in the shape of the OTRF export, not copied data.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/event_store.hpp"
#include "sim/windows_local_time.hpp"
#include "sim/windows_mapping.hpp"
#include "store_files.hpp"
#include "udm/query.hpp"

namespace {

using nlohmann::json;
using store_test::TempDir;

// sysmon_line is a Sysmon 1 record whose host runs at UTC−4: local 03:30:42.851, UTC 07:30:42.838.
std::string sysmon_line(const std::string& host, const std::string& local, const std::string& utc) {
  return json{{"EventID", 1},     {"Channel", "Microsoft-Windows-Sysmon/Operational"},
              {"Hostname", host}, {"TimeCreated", local},
              {"UtcTime", utc},   {"Image", "C:\\Windows\\System32\\reg.exe"}}
      .dump();
}

// service_line is a System 7045 record with only a zone-less local TimeCreated.
std::string service_line(const std::string& host, const std::string& local) {
  return json{{"EventID", 7045},
              {"Channel", "System"},
              {"Hostname", host},
              {"SourceName", "Service Control Manager"},
              {"TimeCreated", local},
              {"ServiceName", "PSEXESVC"},
              {"ImagePath", "%SystemRoot%\\PSEXESVC.exe"}}
      .dump();
}

sim::WindowsRecord parse(const std::string& line) {
  std::string why;
  auto record = sim::parse_windows_record(json::parse(line), &why);
  INFO(why);
  REQUIRE(record);
  return *record;
}

// service_event loads lines as one file and returns the one 7045 event's UDM.
json service_event(const std::string& lines) {
  TempDir dir;
  sim::EventStore store;
  const sim::LoadReport report = store.load_file(dir.write("events.jsonl", lines));
  INFO(report.errors_total);
  REQUIRE(report.errors_total == 0);
  store.finalize();
  auto query = udm::parse(R"(metadata.product_event_type = "7045")");
  REQUIRE(query);
  const auto result = store.search(query.value(), {}, 10);
  REQUIRE(result.events.size() == 1);
  return *result.events.front();
}

}  // namespace

TEST_CASE("a Sysmon record keeps its local time beside its UTC time", "[sim][mapping][localtime]") {
  const auto record =
      parse(sysmon_line("WORKSTATION5", "2020-10-19 03:30:42.851", "2020-10-19 07:30:42.838"));
  CHECK(record.time_utc == "2020-10-19T07:30:42.838Z");
  CHECK(record.local_time == "2020-10-19T03:30:42.851Z");
  CHECK_FALSE(record.time_is_local);
}

TEST_CASE("a host's offset learned from Sysmon converts its local-only records to UTC",
          "[sim][mapping][localtime]") {
  sim::LocalTimeZones zones;
  zones.observe(
      parse(sysmon_line("WORKSTATION5", "2020-10-19 03:30:42.851", "2020-10-19 07:30:42.838")));
  CHECK(zones.offset_for("WORKSTATION5") == std::chrono::minutes(-240));
  // Hosts are compared as short names, whatever the case or domain.
  CHECK(zones.offset_for("workstation5.theshire.local") == std::chrono::minutes(-240));
  CHECK_FALSE(zones.offset_for("WORKSTATION6"));

  auto service = parse(service_line("WORKSTATION5", "2020-10-19 03:30:46.416"));
  REQUIRE(service.time_is_local);
  REQUIRE(zones.resolve(service));
  CHECK(service.time_utc == "2020-10-19T07:30:46.416Z");
  CHECK_FALSE(service.time_is_local);
  CHECK(service.utc_offset_minutes == -240);

  auto elsewhere = parse(service_line("WORKSTATION6", "2020-10-19 03:30:46.416"));
  CHECK_FALSE(zones.resolve(elsewhere));
  CHECK(elsewhere.time_utc == "2020-10-19T03:30:46.416Z");
  CHECK(elsewhere.time_is_local);
}

TEST_CASE("half-hour offsets are learned and records that disagree teach nothing",
          "[sim][mapping][localtime]") {
  sim::LocalTimeZones zones;
  zones.observe(parse(sysmon_line("DELHI1", "2020-10-19 13:00:01.000", "2020-10-19 07:30:00.990")));
  CHECK(zones.offset_for("DELHI1") == std::chrono::minutes(330));
  // Two records of one host showing different offsets (a DST change in the file): no offset.
  zones.observe(parse(sysmon_line("WS1", "2020-10-19 03:00:00.000", "2020-10-19 07:00:00.000")));
  zones.observe(parse(sysmon_line("WS1", "2020-11-02 02:00:00.000", "2020-11-02 07:00:00.000")));
  CHECK_FALSE(zones.offset_for("WS1"));
  // A local time that is not the same moment as the UTC time (7 minutes off a quarter hour).
  zones.observe(parse(sysmon_line("WS2", "2020-10-19 03:07:00.000", "2020-10-19 07:00:00.000")));
  CHECK_FALSE(zones.offset_for("WS2"));
}

TEST_CASE("loading converts a host's local-only events with the offset its later Sysmon shows",
          "[sim][store][localtime]") {
  // The System record comes first in the file, as in the OTRF PsExec export.
  const json event = service_event(
      service_line("WORKSTATION5", "2020-10-19 03:30:46.416") + "\n" +
      sysmon_line("WORKSTATION5", "2020-10-19 03:30:42.851", "2020-10-19 07:30:42.838") + "\n");
  CHECK(event["metadata"]["event_timestamp"] == "2020-10-19T07:30:46.416Z");
  CHECK(event["additional"]["fields"]["UtcOffset"] == "-04:00");
  CHECK_FALSE(event["additional"]["fields"].contains("TimeIsLocal"));
}

TEST_CASE("loading keeps a local-only time as UTC, flagged, when no record shows the offset",
          "[sim][store][localtime]") {
  // The Sysmon record is from another host, so WORKSTATION5's offset is unknown.
  const json event = service_event(
      service_line("WORKSTATION5", "2020-10-19 03:30:46.416") + "\n" +
      sysmon_line("WORKSTATION6", "2020-10-19 03:30:42.851", "2020-10-19 07:30:42.838") + "\n");
  CHECK(event["metadata"]["event_timestamp"] == "2020-10-19T03:30:46.416Z");
  CHECK(event["additional"]["fields"]["TimeIsLocal"] == "true");
  CHECK_FALSE(event["additional"]["fields"].contains("UtcOffset"));
}

TEST_CASE("the offset learned in one file is not applied to another file",
          "[sim][store][localtime]") {
  TempDir dir;
  sim::EventStore store;
  store.load_file(dir.write(
      "sysmon.jsonl",
      sysmon_line("WORKSTATION5", "2020-10-19 03:30:42.851", "2020-10-19 07:30:42.838") + "\n"));
  store.load_file(
      dir.write("system.jsonl", service_line("WORKSTATION5", "2020-10-19 03:30:46.416") + "\n"));
  store.finalize();
  auto query = udm::parse(R"(metadata.product_event_type = "7045")");
  REQUIRE(query);
  const auto result = store.search(query.value(), {}, 10);
  REQUIRE(result.events.size() == 1);
  CHECK((*result.events.front())["metadata"]["event_timestamp"] == "2020-10-19T03:30:46.416Z");
}

TEST_CASE("a JSON array file learns and converts the same way", "[sim][store][localtime]") {
  TempDir dir;
  sim::EventStore store;
  const json array =
      json::array({json::parse(service_line("WORKSTATION5", "2020-10-19 03:30:46.416")),
                   json::parse(sysmon_line("WORKSTATION5", "2020-10-19 03:30:42.851",
                                           "2020-10-19 07:30:42.838"))});
  const auto report = store.load_file(dir.write("events.json", array.dump()));
  CHECK(report.loaded == 2);
  store.finalize();
  auto query = udm::parse(R"(metadata.product_event_type = "7045")");
  REQUIRE(query);
  const auto result = store.search(query.value(), {}, 10);
  REQUIRE(result.events.size() == 1);
  CHECK((*result.events.front())["metadata"]["event_timestamp"] == "2020-10-19T07:30:46.416Z");
}
