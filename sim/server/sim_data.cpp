// sim_data.cpp — files and the demo → stores.
#include "sim/server/sim_data.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "sim/demo/demo_enterprise.hpp"
#include "sim/server/sim_cli.hpp"

namespace sim {

namespace {

constexpr int kLoadFailed = -41030;

mcp::Result<mcp::Json> read_json_file(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (!in) return mcp::Error{kLoadFailed, std::string("cannot open ") + what + " " + path};
  std::stringstream text;
  text << in.rdbuf();
  mcp::Json value = mcp::Json::parse(text.str(), nullptr, false);
  if (value.is_discarded()) {
    return mcp::Error{kLoadFailed, std::string(what) + " " + path + " is not valid JSON"};
  }
  return value;
}

TimePoint wall_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

std::vector<std::string> load_event_files(const std::vector<std::string>& files,
                                          EventStore& store) {
  std::vector<std::string> failed;
  for (const auto& file : files) {
    LoadReport report = store.load_file(file);
    for (const auto& e : report.errors) {
      if (e.record == 0) {
        spdlog::error("{}: {}", file, e.message);
      } else {
        spdlog::warn("{}: record {}: {}", file, e.record, e.message);
      }
    }
    if (report.errors_total > report.errors.size()) {
      spdlog::warn("{}: {} more load errors not shown", file,
                   report.errors_total - report.errors.size());
    }
    spdlog::info("{}: {} events loaded ({}), {} skipped as unmapped, {} errors", file,
                 report.loaded, report.format.empty() ? "unknown format" : report.format,
                 report.skipped, report.errors_total);
    if (report.loaded == 0) failed.push_back(file);
  }
  return failed;
}

mcp::Status load_sim_data(const SimOptions& options, SimData& data) {
  const bool use_demo = options.event_files.empty();
  DemoData demo;
  if (use_demo) {
    demo = generate_demo();
    data.demo = true;
    data.demo_end = parse_time(demo.end_time);
    if (serves_secops(options.role)) {
      std::size_t added = 0;
      for (const auto& record : demo.windows_records) added += data.events.add_windows(record);
      spdlog::info("demo enterprise: {} events from {} Windows records", added,
                   demo.windows_records.size());
    }
  } else if (serves_secops(options.role)) {
    auto failed = load_event_files(options.event_files, data.events);
    if (!failed.empty()) {
      std::string names;
      for (const auto& f : failed) names += (names.empty() ? "" : ", ") + f;
      return mcp::Error{kLoadFailed, "no events could be loaded from " + names};
    }
  }
  data.events.finalize();

  if (!options.iocs_file.empty()) {
    if (auto loaded = data.iocs.load_file(options.iocs_file); !loaded) return loaded;
  } else if (use_demo) {
    if (auto added = data.iocs.add_all(demo.iocs, "demo IOCs"); !added) return added;
  }

  auto opened = CaseStore::open(options.cases_db);
  if (!opened) return opened.error();
  data.cases = std::move(opened.value());
  mcp::Json seed;
  if (!options.cases_seed_file.empty()) {
    auto read = read_json_file(options.cases_seed_file, "case seed file");
    if (!read) return read.error();
    seed = std::move(read.value());
  } else if (use_demo) {
    seed = demo.cases;
  }
  if (!seed.is_null()) {
    auto anchor = clock_anchor(options.now, data).value_or(wall_now());
    auto seeded = data.cases->seed_if_empty(seed, format_time(anchor));
    if (!seeded) return seeded.error();
    spdlog::info("case store {}: {} cases seeded, {} in all", options.cases_db, seeded.value(),
                 data.cases->case_count());
  }
  return mcp::Ok{};
}

std::optional<TimePoint> clock_anchor(const std::string& now, const SimData& data) {
  if (now == "wall") return wall_now();
  if (now == "latest") {
    if (auto newest = data.events.latest()) return *newest + std::chrono::seconds(1);
    if (data.demo_end) return *data.demo_end;
    return wall_now();
  }
  return parse_time(now);
}

}  // namespace sim
