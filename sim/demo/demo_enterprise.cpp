// demo_enterprise.cpp — generate_demo assembles the storylines; write_demo_files saves them.
#include "sim/demo/demo_enterprise.hpp"

#include <fstream>

#include "sim/demo/demo_parts.hpp"

namespace sim {

namespace {

// kDemoSeed fixes every drawn value (pids, ports, GUIDs, minutes of the day).
constexpr std::uint64_t kDemoSeed = 0x1A7E2A1D3E30ULL;

mcp::Status write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return mcp::Error{-32603, "cannot open " + path + " for writing"};
  out << text;
  out.flush();
  if (!out) return mcp::Error{-32603, "cannot write " + path};
  return mcp::Ok{};
}

}  // namespace

DemoData generate_demo() {
  demo::Recorder rec(kDemoSeed);
  const demo::Org org = demo::make_org();
  demo::add_background_noise(rec, org);
  demo::add_benign_administration(rec, org);
  demo::add_intrusion(rec, org);

  DemoData data;
  data.windows_records = rec.take();
  data.iocs = demo::demo_iocs();
  data.cases = demo::demo_cases();
  data.start_time = kDemoStartTime;
  data.end_time = kDemoEndTime;
  return data;
}

mcp::Status write_demo_files(const std::string& dir) {
  const DemoData data = generate_demo();
  std::string lines;
  for (const auto& record : data.windows_records) {
    lines += record.dump();
    lines += '\n';
  }
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  if (auto s = write_text(base + "demo-events.jsonl", lines); !s) return s;
  if (auto s = write_text(base + "demo-iocs.json", data.iocs.dump(2) + "\n"); !s) return s;
  return write_text(base + "demo-cases.json", data.cases.dump(2) + "\n");
}

}  // namespace sim
