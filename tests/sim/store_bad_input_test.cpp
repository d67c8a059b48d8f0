// EventStore against bad input: bad records are reported by line and skipped, files in no known
// format are refused with the reason, other files still load, and no bytes crash it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>

#include "sim/event_store.hpp"
#include "store_files.hpp"

namespace {

using nlohmann::json;
using store_test::TempDir;
using store_test::udm_event;

std::string good_line(int minute) {
  char time[32];
  std::snprintf(time, sizeof time, "2024-05-01T10:%02d:00Z", minute);
  return udm_event("PROCESS_LAUNCH", time, "WS1").dump() + "\n";
}

bool has_error(const sim::LoadReport& report, std::size_t record, const std::string& text) {
  for (const auto& error : report.errors) {
    if (error.record == record && error.message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("bad lines are reported by line number and the good lines around them load",
          "[sim][store]") {
  TempDir dir;
  const std::string good = good_line(0);
  const std::string file =
      dir.write("mixed.jsonl", good +                                        // 1
                                   good.substr(0, good.size() / 2) + "\n" +  // 2 truncated
                                   "[1,2,3]\n" +                             // 3 not an object
                                   R"({"metadata":{"event_type":"X"}})"
                                   "\n"  // 4 no timestamp
                                   R"({"foo":"bar"})"
                                   "\n" +                             // 5 neither kind
                                   "{\"metadata\":\"\xff\xfe\"}\n" +  // 6 not UTF-8
                                   good_line(1));                     // 7
  sim::EventStore store;
  const auto report = store.load_file(file);
  CHECK(report.format == "udm-jsonl");
  CHECK(report.loaded == 2);
  CHECK(report.errors_total == 5);
  CHECK(report.ok());
  CHECK(has_error(report, 2, "invalid JSON"));
  CHECK(has_error(report, 3, "not a JSON object"));
  CHECK(has_error(report, 4, "no metadata.event_timestamp"));
  CHECK(has_error(report, 5, "neither a UDM event"));
  CHECK(has_error(report, 6, "invalid JSON"));
  for (const auto& error : report.errors) CHECK(error.file == file);
}

TEST_CASE("a huge line and a deeply nested line are refused, the next line still loads",
          "[sim][store]") {
  TempDir dir;
  const std::string huge = R"({"metadata":{"x":")" + std::string(17u << 20, 'a') + "\"}}\n";
  const std::string deep = std::string(100000, '[') + std::string(100000, ']') + "\n";
  const std::string file = dir.write("big.jsonl", good_line(0) + huge + deep + good_line(1));
  sim::EventStore store;
  const auto report = store.load_file(file);
  CHECK(report.loaded == 2);
  CHECK(has_error(report, 2, "line longer than"));
  CHECK(has_error(report, 3, "nested deeper than"));
}

TEST_CASE("the first error reports are kept and every error is counted", "[sim][store]") {
  TempDir dir;
  std::string text = good_line(0);
  for (int i = 0; i < 50; ++i) text += "{oops\n";
  sim::EventStore store;
  const auto report = store.load_file(dir.write("many.jsonl", text));
  CHECK(report.loaded == 1);
  CHECK(report.errors_total == 50);
  CHECK(report.errors.size() == sim::kMaxLoadErrors);
}

TEST_CASE("files in no known format are refused with the reason and load nothing", "[sim][store]") {
  TempDir dir;
  sim::EventStore store;
  struct Case {
    std::string path;
    std::string reason;
  };
  const Case cases[] = {
      {dir.write("notes.txt", "timestamp,host\n1,WS1\n"), "first non-blank byte is 0x74"},
      {dir.write("empty.jsonl", ""), "the file is empty"},
      {dir.write("blank.jsonl", "\n  \n"), "the file is empty"},
      {dir.path("missing.jsonl"), "cannot open: No such file or directory"},
      {dir.path(""), "it is a directory"},
      {dir.write("fake.evtx", good_line(0)), "does not start with the EVTX signature"},
      {dir.write("broken.json", "[{\"metadata\": "), "invalid JSON"},
  };
  for (const Case& c : cases) {
    INFO(c.path);
    const auto report = store.load_file(c.path);
    CHECK_FALSE(report.ok());
    CHECK(report.loaded == 0);
    CHECK(report.format.empty());
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors.front().record == 0);
    CHECK(report.errors.front().file == c.path);
    CHECK(report.errors.front().message.find(c.reason) != std::string::npos);
  }
  CHECK(store.size() == 0);
}

TEST_CASE("an EVTX signature on a truncated or corrupt file gives a clear error", "[sim][store]") {
  TempDir dir;
  std::string truncated("ElfFile\0", 8);
  truncated += std::string(100, '\0');
  std::string corrupt("ElfFile\0", 8);
  std::mt19937 random(7);
  for (int i = 0; i < 70000; ++i) corrupt += static_cast<char>(random() & 0xFF);
  sim::EventStore store;
  const std::pair<std::string, std::string> cases[] = {
      {dir.write("truncated.evtx", truncated), "not a readable EVTX file: "},
      {dir.write("corrupt.bin", corrupt), "corrupted"}};
  for (const auto& [path, reason] : cases) {
    INFO(path);
    const auto report = store.load_file(path);
    CHECK(report.loaded == 0);
    CHECK_FALSE(report.ok());
    REQUIRE_FALSE(report.errors.empty());
    CHECK(report.errors.front().file == path);
    CHECK(report.errors.front().message.find(reason) != std::string::npos);
  }
  CHECK(store.size() == 0);
}

TEST_CASE("random bytes never crash the loader", "[sim][store]") {
  TempDir dir;
  std::mt19937 random(20240501);
  sim::EventStore store;
  const std::string good = good_line(0);
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    const int length = static_cast<int>(random() % 4096);
    // Start some rounds like JSON so the line parser, not the sniffer, meets the noise.
    if (round % 3 == 0) bytes = "{";
    if (round % 3 == 1) bytes = good.substr(0, random() % good.size());
    for (int i = 0; i < length; ++i) {
      const auto byte = static_cast<char>(random() & 0xFF);
      bytes += round % 2 == 0 ? byte : "{}[]\":,\n a1"[random() % 12];
    }
    const auto report = store.load_file(dir.write("noise" + std::to_string(round % 4), bytes));
    CHECK(report.errors.size() <= sim::kMaxLoadErrors);
  }
  store.finalize();  // whatever loaded is searchable
  CHECK(store.size() < 200);
}
