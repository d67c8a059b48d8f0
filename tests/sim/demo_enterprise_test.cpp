// The demo enterprise (sim/demo): deterministic, big enough to be believable, small enough for
// fast tests, every record mappable, the intrusion's fan-out and IOCs present, cases seedable.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <unistd.h>

#include "demo_events.hpp"
#include "sim/case_store.hpp"
#include "sim/demo/demo_enterprise.hpp"
#include "sim/event_store.hpp"
#include "sim/windows_mapping.hpp"

using demo_test::demo;
using demo_test::json;
using demo_test::mapped_demo;
using demo_test::text_at;

namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

TEST_CASE("the demo generator is deterministic", "[sim][demo]") {
  const sim::DemoData again = sim::generate_demo();
  REQUIRE(again.windows_records.size() == demo().windows_records.size());
  CHECK(again.windows_records == demo().windows_records);
  CHECK(again.iocs == demo().iocs);
  CHECK(again.cases == demo().cases);
  CHECK(again.start_time == "2026-11-15T18:00:00.000Z");
  CHECK(again.end_time == "2026-11-20T18:00:00.000Z");
}

TEST_CASE("the demo enterprise has at least 40 hosts and a few thousand events in its window",
          "[sim][demo]") {
  const auto& records = demo().windows_records;
  CHECK(records.size() >= 3000);
  CHECK(records.size() <= 20000);
  std::set<std::string> hosts;
  for (const json& r : records) {
    const std::string host = r.at("Hostname").get<std::string>();
    CHECK(host.ends_with(".corp.acme.local"));
    hosts.insert(sim::short_hostname(host));
    const std::string t = r.at("@timestamp").get<std::string>();
    CHECK(t >= demo().start_time);
    CHECK(t <= demo().end_time);
  }
  CHECK(hosts.size() >= 40);
  for (const char* host : {"DC01", "FS01", "SQL01", "JUMP01", "SCCM01", "WKS-07", "WKS-36"}) {
    CHECK(hosts.count(host) == 1);
  }
  // Records come oldest first.
  CHECK(std::is_sorted(records.begin(), records.end(), [](const json& a, const json& b) {
    return a.at("@timestamp").get<std::string>() < b.at("@timestamp").get<std::string>();
  }));
}

TEST_CASE("every demo record parses and maps to a UDM event", "[sim][demo]") {
  std::map<int, int> by_id;
  for (const json& r : demo().windows_records) {
    std::string why;
    auto parsed = sim::parse_windows_record(r, &why);
    INFO(r.dump() << "\n" << why);
    REQUIRE(parsed);
    auto udm = sim::map_windows_event(*parsed, &why);
    REQUIRE(udm);
    CHECK(text_at(*udm, {"metadata", "event_timestamp"}) == r.at("@timestamp").get<std::string>());
    ++by_id[parsed->event_id];
  }
  CHECK(mapped_demo().size() == demo().windows_records.size());
  // Every event kind the hunt relies on is present.
  for (int id :
       {1, 3, 11, 13, 17, 19, 20, 21, 4624, 4648, 4672, 4688, 4697, 4104, 5140, 5145, 5861, 7045}) {
    INFO("event id " << id);
    CHECK(by_id[id] > 0);
  }
}

TEST_CASE("the demo store loads the written files without errors or skipped records",
          "[sim][demo]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("lmhunt-demo-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto written = sim::write_demo_files(dir.string());
  INFO((written ? std::string() : written.error().message));
  REQUIRE(written);

  sim::EventStore store;
  const sim::LoadReport report = store.load_file((dir / "demo-events.jsonl").string());
  CHECK(report.format == "windows-jsonl");
  CHECK(report.errors_total == 0);
  CHECK(report.skipped == 0);
  CHECK(report.loaded == demo().windows_records.size());

  std::ifstream iocs(dir / "demo-iocs.json");
  CHECK(json::parse(iocs, nullptr, false) == demo().iocs);
  std::ifstream cases(dir / "demo-cases.json");
  CHECK(json::parse(cases, nullptr, false) == demo().cases);
  std::filesystem::remove_all(dir);
}

TEST_CASE("write_demo_files names the file it cannot write", "[sim][demo]") {
  auto written = sim::write_demo_files("/nonexistent-lmhunt-dir/sub");
  REQUIRE_FALSE(written);
  CHECK(written.error().message.find("/nonexistent-lmhunt-dir/sub/demo-events.jsonl") !=
        std::string::npos);
}

TEST_CASE("the intrusion fans out from WKS-07 to at least five hosts within ten minutes",
          "[sim][demo]") {
  // Network logons whose source is WKS-07's address, by target host and time.
  std::vector<std::pair<std::string, std::string>> logons;  // time, target
  for (const json& e : mapped_demo()) {
    if (text_at(e, {"metadata", "product_event_type"}) != "4624") continue;
    if (text_at(e, {"additional", "fields", "LogonType"}) != "3") continue;
    if (text_at(e, {"src", "ip"}) != "10.20.1.107" &&
        !(e.contains("src") && e["src"].contains("ip") && e["src"]["ip"].is_array() &&
          e["src"]["ip"].size() == 1 && e["src"]["ip"][0] == "10.20.1.107")) {
      continue;
    }
    logons.emplace_back(text_at(e, {"metadata", "event_timestamp"}),
                        sim::short_hostname(text_at(e, {"principal", "hostname"})));
  }
  std::set<std::string> all;
  for (const auto& [t, host] : logons) all.insert(host);
  CHECK(all.size() >= 8);
  CHECK(all.count("FS01") == 1);
  CHECK(all.count("SQL01") == 1);
  // Any ten-minute window starting at a logon.
  std::size_t best = 0;
  for (const auto& [start, unused] : logons) {
    auto begin = sim::parse_time(start);
    REQUIRE(begin);
    std::set<std::string> window;
    for (const auto& [t, host] : logons) {
      auto at = sim::parse_time(t);
      if (at && *at >= *begin && *at - *begin <= std::chrono::minutes(10)) window.insert(host);
    }
    best = std::max(best, window.size());
  }
  CHECK(best >= 5);
}

TEST_CASE("the attack tools' hashes are in Sysmon Hashes fields and in the IOC file",
          "[sim][demo]") {
  const json& iocs = demo().iocs;
  REQUIRE(iocs.is_array());
  std::set<std::string> types;
  int malicious_files = 0;
  for (const json& ioc : iocs) {
    INFO(ioc.dump());
    const std::string type = ioc.at("type").get<std::string>();
    types.insert(type);
    REQUIRE(ioc.at("id").is_string());
    const json& stats = ioc.at("attributes").at("last_analysis_stats");
    for (const char* k : {"malicious", "suspicious", "harmless", "undetected"}) {
      CHECK(stats.at(k).is_number_integer());
    }
    CHECK(ioc.at("attributes").at("reputation").is_number_integer());
    if (type != "file") continue;
    const json& a = ioc.at("attributes");
    const std::string sha256 = a.at("sha256").get<std::string>();
    CHECK(sha256 == ioc.at("id").get<std::string>());
    CHECK(sha256.size() == 64);
    CHECK(a.at("sha1").get<std::string>().size() == 40);
    CHECK(a.at("md5").get<std::string>().size() == 32);
    CHECK(std::all_of(sha256.begin(), sha256.end(), [](char c) { return std::isxdigit(c); }));
    // The hash is in a Sysmon 1 Hashes field and maps to target.process.file.sha256.
    const bool in_raw = std::any_of(
        demo().windows_records.begin(), demo().windows_records.end(), [&](const json& r) {
          return r.value("EventID", 0) == 1 &&
                 r.value("Hashes", "").find("SHA256=" + upper(sha256)) != std::string::npos;
        });
    CHECK(in_raw);
    const bool in_udm = std::any_of(mapped_demo().begin(), mapped_demo().end(), [&](const json& e) {
      const std::string mapped = text_at(e, {"target", "process", "file", "sha256"});
      return !mapped.empty() && upper(mapped) == upper(sha256);
    });
    CHECK(in_udm);
    if (stats.at("malicious").get<int>() >= 10) ++malicious_files;
  }
  CHECK(malicious_files >= 2);
  CHECK(types == std::set<std::string>{"file", "ip_address", "domain", "url"});
}

TEST_CASE("the seeded cases include an open case about WKS-07 and seed a case store",
          "[sim][demo]") {
  const json& cases = demo().cases;
  REQUIRE(cases.is_array());
  bool open_wks07 = false;
  bool closed = false;
  for (const json& c : cases) {
    const std::string text = c.dump();
    if (c.at("status") == "Opened" && text.find("WKS-07") != std::string::npos) open_wks07 = true;
    if (c.at("status") == "Closed") closed = true;
    CHECK(c.at("alerts").is_array());
    CHECK(c.at("comments").is_array());
  }
  CHECK(open_wks07);
  CHECK(closed);
  CHECK(cases.size() >= 4);

  auto store = sim::CaseStore::open(":memory:");
  REQUIRE(store);
  auto seeded = (*store)->seed_if_empty(cases, "2026-11-20T18:00:00.000Z");
  INFO((seeded ? std::string() : seeded.error().message));
  REQUIRE(seeded);
  CHECK(*seeded == cases.size());
  auto open_case = (*store)->get_case("1041");
  REQUIRE(open_case);
  CHECK(open_case->dump().find("WKS-07") != std::string::npos);
}
