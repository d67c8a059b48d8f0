// store_bench.cpp — the event store benchmark (docs/benchmarks.md, "Event store"): writes N
// synthetic UDM events as JSON lines, times load_file + finalize, reports RSS against the file
// size, then times catalog-like queries on one core. bench/run.sh store runs jq over the same
// file for comparison.
//
//   lmhunt_bench_store [--events N] [--file PATH] [--keep]
//
// Prints human lines on stderr and one machine line on stdout:
//   RESULT events=… bytes=… ingest_s=… ingest_eps=… rss_mib=… rss_ratio=… q_<name>_ms=… …
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <time.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "sim/event_store.hpp"
#include "udm/query.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// cpu_seconds is the CPU time of the whole process (all threads) or of the calling thread. On a
// shared machine wall-clock time includes waiting for a core; CPU time does not.
double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// rss_kib reads a field (VmRSS, VmHWM) from /proc/self/status.
long rss_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(status, line)) {
    if (line.starts_with(prefix)) return std::atol(line.c_str() + prefix.size());
  }
  return -1;
}

// write_events writes n UDM events shaped like the WINEVTLOG / Sysmon mappings produce: 500
// hosts, 30 % process launches (a few PsExec and WMI children), 45 % network connections, the
// rest logins and file creations, one per 50 ms.
std::size_t write_events(const std::string& path, std::size_t n) {
  std::mt19937_64 random(42);
  std::ofstream out(path, std::ios::binary);
  const char* images[] = {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\explorer.exe",
                          "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                          "C:\\Windows\\System32\\cmd.exe",
                          "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"};
  const auto start = std::chrono::sys_seconds{std::chrono::seconds{1'714'550'400}};
  std::size_t bytes = 0;
  std::string line;
  for (std::size_t i = 0; i < n; ++i) {
    const auto host = random() % 500;
    char hostname[32];
    std::snprintf(hostname, sizeof hostname, "WS%03llu.corp.local",
                  static_cast<unsigned long long>(host));
    const auto time = sim::format_time(sim::TimePoint{start} + std::chrono::milliseconds{50 * i});
    const auto roll = random() % 100;
    nlohmann::json event;
    event["metadata"] = {{"event_timestamp", time},
                         {"product_name", "Microsoft-Windows-Sysmon"},
                         {"vendor_name", "Microsoft"},
                         {"log_type", "WINDOWS_SYSMON"}};
    event["principal"] = {
        {"hostname", hostname},
        {"ip", {"10.0." + std::to_string(host / 250) + "." + std::to_string(host % 250 + 1)}},
        {"user", {{"userid", "user" + std::to_string(random() % 2000)}}}};
    if (roll < 30) {
      event["metadata"]["event_type"] = "PROCESS_LAUNCH";
      event["metadata"]["product_event_type"] = "1";
      std::string image = images[random() % 5];
      std::string parent = "C:\\Windows\\explorer.exe";
      const auto special = random() % 1000;
      if (special == 0) {
        image = "C:\\Windows\\PSEXESVC.exe";
        parent = "C:\\Windows\\System32\\services.exe";
      } else if (special < 3) {
        image = "C:\\Windows\\System32\\cmd.exe";
        parent = "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe";
      }
      event["principal"]["process"] = {{"file", {{"full_path", parent}}},
                                       {"pid", std::to_string(random() % 65536)}};
      event["target"]["process"] = {
          {"file", {{"full_path", image}, {"sha256", std::to_string(random())}}},
          {"command_line", "\"" + image + "\" /c task " + std::to_string(random() % 100000)},
          {"pid", std::to_string(random() % 65536)}};
    } else if (roll < 75) {
      event["metadata"]["event_type"] = "NETWORK_CONNECTION";
      event["metadata"]["product_event_type"] = "3";
      const auto peer = random() % 500;
      event["target"] = {
          {"ip", {"10.0." + std::to_string(peer / 250) + "." + std::to_string(peer % 250 + 1)}},
          {"port", random() % 4 == 0 ? 445 : 443}};
      event["network"] = {{"ip_protocol", "TCP"}, {"direction", "OUTBOUND"}};
    } else if (roll < 90) {
      event["metadata"]["event_type"] = "USER_LOGIN";
      event["metadata"]["product_event_type"] = "4624";
      event["target"] = {{"hostname", hostname}, {"user", {{"userid", "svc_backup"}}}};
      event["extensions"]["auth"]["type"] = random() % 3 == 0 ? "NETWORK" : "MACHINE";
    } else {
      event["metadata"]["event_type"] = "FILE_CREATION";
      event["metadata"]["product_event_type"] = "11";
      event["target"]["file"]["full_path"] =
          "C:\\Users\\user\\AppData\\Local\\Temp\\" + std::to_string(random()) + ".tmp";
    }
    line = event.dump();
    line += '\n';
    bytes += line.size();
    out << line;
  }
  return bytes;
}

struct NamedQuery {
  const char* name;
  const char* text;
};

// The first is the catalog's PsExec query; bench/run.sh store runs its jq equivalent.
constexpr NamedQuery kQueries[] = {
    {"psexec", R"(metadata.event_type = "PROCESS_LAUNCH" AND target.process.file.full_path = )"
               R"(/\\psexesvc\.exe$/ nocase)"},
    {"wmi_child", R"(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path)"
                  R"( = /\\wmiprvse\.exe$/ nocase)"},
    {"smb_host", R"(metadata.event_type = "NETWORK_CONNECTION" AND target.port = 445 AND )"
                 R"(principal.hostname = "WS007.corp.local")"},
    {"full_scan", R"(target.process.command_line = /task 4242$/)"},
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t events = 1'000'000;
  std::string path;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--events" && i + 1 < argc) {
      events = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--file" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg == "--keep") {
      keep = true;
    } else {
      std::fprintf(stderr, "usage: lmhunt_bench_store [--events N] [--file PATH] [--keep]\n");
      return 2;
    }
  }
  if (path.empty()) {
    path = (std::filesystem::temp_directory_path() /
            ("lmhunt-store-bench-" + std::to_string(::getpid()) + ".jsonl"))
               .string();
  }
  std::fprintf(stderr, "writing %zu events to %s\n", events, path.c_str());
  const std::size_t bytes = write_events(path, events);
  const long rss_before = rss_kib("VmRSS");

  sim::EventStore store;
  const double cpu_start = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const auto load_start = Clock::now();
  const sim::LoadReport report = store.load_file(path);
  const double load_s = seconds_since(load_start);
  const double load_cpu_s = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  const auto finalize_start = Clock::now();
  store.finalize();
  const double finalize_s = seconds_since(finalize_start);
  const double ingest_s = load_s + finalize_s;
  const double ingest_cpu_s = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  const long rss_after = rss_kib("VmRSS");
  const double store_mib = static_cast<double>(rss_after - rss_before) / 1024.0;
  const double file_mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  std::fprintf(stderr,
               "loaded %zu events (%zu errors) from %.1f MiB in %.2f s parse + %.2f s index = "
               "%.0f events/s (wall); CPU %.2f s parse + %.2f s index, all threads\n"
               "store RSS %.1f MiB = %.2f x the file (peak RSS %.1f MiB)\n",
               report.loaded, report.errors_total, file_mib, load_s, finalize_s,
               static_cast<double>(report.loaded) / ingest_s, load_cpu_s, ingest_cpu_s - load_cpu_s,
               store_mib, store_mib / file_mib, static_cast<double>(rss_kib("VmHWM")) / 1024.0);

  std::printf(
      "RESULT events=%zu bytes=%zu ingest_s=%.3f ingest_eps=%.0f ingest_cpu_s=%.3f "
      "ingest_cpu_eps=%.0f rss_mib=%.1f rss_ratio=%.2f",
      report.loaded, bytes, ingest_s, static_cast<double>(report.loaded) / ingest_s, ingest_cpu_s,
      static_cast<double>(report.loaded) / ingest_cpu_s, store_mib, store_mib / file_mib);
  for (const NamedQuery& named : kQueries) {
    auto parsed = udm::parse(named.text);
    if (!parsed) {
      std::fprintf(stderr, "%s: %s\n", named.name, parsed.error().describe().c_str());
      return 1;
    }
    std::vector<double> times;
    std::vector<double> cpu_times;
    sim::SearchResult result;
    for (int run = 0; run < 5; ++run) {
      const auto start = Clock::now();
      const double cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
      result = store.search(parsed.value(), {}, 10'000);
      cpu_times.push_back((cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu) * 1000.0);
      times.push_back(seconds_since(start) * 1000.0);
    }
    std::sort(times.begin(), times.end());
    std::sort(cpu_times.begin(), cpu_times.end());
    std::fprintf(stderr, "query %-10s median %8.2f ms (CPU %8.2f ms)  %6zu events  %8zu scanned\n",
                 named.name, times[2], cpu_times[2], result.events.size(), result.scanned);
    std::printf(" q_%s_ms=%.2f q_%s_cpu_ms=%.2f q_%s_events=%zu", named.name, times[2], named.name,
                cpu_times[2], named.name, result.events.size());
  }
  std::printf("\n");
  if (!keep) std::filesystem::remove(path);
  return 0;
}
