// load_bench.cpp — lmhunt_bench_load_check: the load check of issue 7 ("Load"; docs/benchmarks.md,
// "Load"). Starts the real `lmhunt serve --http 127.0.0.1:0` with a bearer token and no config,
// so hunts run over the embedded demo through three lmhunt-sim children, then:
//
//   1. warm-up: one hunt (starts the lmhunt-sim servers) and one tools/list; the census of the
//      server process afterwards (threads, descriptors, children) is the baseline;
//   2. load: --hunts sessions (our mcp::Client over Streamable HTTP) each start
//      lateral_movement_hunt and poll get_hunt_result until it ends, while --lists tools/list
//      calls (raw HTTP, one connection each, spread over --list-sessions sessions) are in flight,
//      all released at once by one latch; a sampler reads the server's /proc every 100 ms;
//   3. settle: every client session is closed (DELETE), then /proc is polled until the server
//      holds no more threads, descriptors or children than the baseline, for at most
//      --settle-seconds;
//   4. stop: SIGTERM; the server must exit 0 and leave no lmhunt-sim behind.
//
// Checks (exit 1 when one fails): no call failed, every hunt ended "completed" with the demo's
// verdict "confirmed", every tools/list answer lists the three tools, the server logged no error,
// peak RSS ≤ --max-rss-mib, nothing leaked after the settle, a clean exit.
//
//   lmhunt_bench_load_check [--lmhunt PATH] [--hunts 50] [--lists 1000] [--list-sessions 20]
//                           [--settle-seconds 60] [--max-rss-mib 768] [--wait-seconds 20]
//
// Human lines on stderr; `CHECK name=… ok=…` and one `RESULT …` line on stdout.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <latch>
#include <map>
#include <random>
#include <sstream>

#include "load_clients.hpp"
#include "load_server.hpp"
#include "support/process_census.hpp"

namespace {

namespace fs = std::filesystem;
using bench::Clock;
using bench::Json;

struct Options {
  std::string lmhunt;
  int hunts = 50;
  int lists = 1000;
  int list_sessions = 20;
  int settle_seconds = 60;
  double max_rss_mib = 768;
  int wait_seconds = 20;
};

// rss_of reads VmRSS of `pid` (0 when it is gone).
double rss_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return 0;
}

// Peaks is what the sampler saw of the server and its children during the load.
struct Peaks {
  std::mutex mu;
  int threads = 0;
  std::size_t fds = 0;
  std::size_t children = 0;
  double rss_mib = 0;
  double children_rss_mib = 0;

  void add(const test::Census& c) {
    double sims = 0;
    for (pid_t child : c.children) sims += rss_of(child);
    std::lock_guard lock(mu);
    threads = std::max(threads, c.threads);
    fds = std::max(fds, c.fds.size());
    children = std::max(children, c.children.size());
    rss_mib = std::max(rss_mib, c.rss_mib);
    children_rss_mib = std::max(children_rss_mib, sims);
  }
};

std::string random_token() {
  std::random_device device;
  std::string token;
  for (int i = 0; i < 4; ++i) token += std::to_string(device());
  return token;
}

// processes_with_env lists live processes whose environment holds `entry` (the lmhunt-sim
// children inherit TMPDIR, set to the run's private directory).
std::vector<int> processes_with_env(const std::string& entry) {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator("/proc", ec)) {
    const std::string name = dir.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(dir.path() / "environ", std::ios::binary);
    std::string env((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string nul(1, '\0');
    if ((nul + env).find(nul + entry + nul) != std::string::npos) {
      out.push_back(std::stoi(name));
    }
  }
  return out;
}

class Checks {
 public:
  void check(const std::string& name, bool ok, const std::string& detail) {
    std::printf("CHECK name=%s ok=%s %s\n", name.c_str(), ok ? "yes" : "no", detail.c_str());
    std::fflush(stdout);
    failed_ += ok ? 0 : 1;
  }
  int failed() const { return failed_; }

 private:
  int failed_ = 0;
};

std::string fmt(double v) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << v;
  return out.str();
}

int run(const Options& o) {
  char pattern[] = "/tmp/lmhunt-bench-load-XXXXXX";
  if (!::mkdtemp(pattern)) return std::perror("mkdtemp"), 1;
  const std::string dir = pattern;
  const std::string token = random_token();
  Checks checks;
  int status = 0;
  {
    bench::LoadServer server;
    if (!server.start({o.lmhunt, "serve", "--http", "127.0.0.1:0", "--log-level", "info"},
                      {"LMHUNT_STATE_DIR=" + dir, "TMPDIR=" + dir,
                       "LMHUNT_CONFIG=", "LMHUNT_AUTH_TOKEN=" + token})) {
      std::fprintf(stderr, "cannot start %s\n", o.lmhunt.c_str());
      return 1;
    }
    const auto url = server.url(std::chrono::seconds(30));
    if (!url) {
      std::fprintf(stderr, "lmhunt printed no URL\n");
      return 1;
    }
    const pid_t pid = server.pid();
    const test::Census idle = test::take_census(pid);
    std::fprintf(stderr, "lmhunt pid %d at %s: %d threads, %zu fds, %zu children, %.1f MiB\n", pid,
                 url->c_str(), idle.threads, idle.fds.size(), idle.children.size(), idle.rss_mib);
    mcp::Executor executor;
    const bench::Endpoint endpoint{*url, token};

    // 1. Warm-up.
    const auto warm_t0 = Clock::now();
    const bench::HuntOutcome warm = bench::run_hunt(endpoint, executor, nullptr, o.wait_seconds);
    bench::ListRun warm_list(endpoint, 1);
    warm_list.call_all(1);
    checks.check("warmup", warm.error.empty() && warm_list.errors() == 0,
                 "hunt=" + warm.status + "/" + warm.verdict + " ms=" +
                     fmt(bench::ms_since(warm_t0)) + (warm.error.empty() ? "" : " " + warm.error));
    warm_list.close();
    const test::Census baseline = test::take_census(pid);
    std::fprintf(stderr, "baseline: %d threads, %zu fds, %zu children, %.1f MiB\n",
                 baseline.threads, baseline.fds.size(), baseline.children.size(), baseline.rss_mib);

    // 2. Load.
    Peaks peaks;
    std::atomic<bool> sampling{true};
    std::thread sampler([&] {
      while (sampling.load()) {
        peaks.add(test::take_census(pid));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    bench::ListRun lists(endpoint, o.list_sessions);
    std::latch go(o.hunts + o.lists + 1);
    std::vector<bench::HuntOutcome> hunts(static_cast<std::size_t>(o.hunts));
    std::vector<std::thread> threads;
    for (auto& h : hunts) {
      threads.emplace_back([&] { h = bench::run_hunt(endpoint, executor, &go, o.wait_seconds); });
    }
    lists.spawn(o.lists, go, threads);
    const auto t0 = Clock::now();
    go.arrive_and_wait();
    for (auto& t : threads) t.join();
    const double load_s = bench::ms_since(t0) / 1000;
    lists.close();

    // 3. Settle.
    const auto settle_t0 = Clock::now();
    const test::Leaks leaks =
        test::await_baseline(pid, baseline, std::chrono::seconds(o.settle_seconds));
    const double settle_s = bench::ms_since(settle_t0) / 1000;
    sampling = false;
    sampler.join();
    const test::Census after = test::take_census(pid);

    std::size_t hunt_errors = 0;
    std::size_t confirmed = 0;
    std::size_t polls = 0;
    std::vector<double> walls;
    std::string first_error;
    for (const auto& h : hunts) {
      hunt_errors += h.error.empty() ? 0 : 1;
      confirmed += h.status == "completed" && h.verdict == "confirmed";
      polls += static_cast<std::size_t>(h.polls);
      walls.push_back(h.wall_ms);
      if (first_error.empty() && !h.error.empty()) first_error = h.error;
    }
    const std::string list_error = lists.first_error();
    std::sort(walls.begin(), walls.end());
    auto wall_at = [&](double p) {
      return walls.empty() ? 0.0 : walls[std::min(walls.size() - 1, std::size_t(p * walls.size()))];
    };

    checks.check("hunts", hunt_errors == 0 && confirmed == hunts.size(),
                 std::to_string(confirmed) + "/" + std::to_string(hunts.size()) +
                     " completed+confirmed, errors=" + std::to_string(hunt_errors) +
                     (first_error.empty() ? "" : " first: " + first_error));
    checks.check("tools_list", lists.errors() == 0 && lists.ok() == o.lists,
                 std::to_string(lists.ok()) + "/" + std::to_string(o.lists) +
                     " ok, errors=" + std::to_string(lists.errors()) +
                     (list_error.empty() ? "" : " first: " + list_error));
    checks.check("server_alive", after.alive, "");
    checks.check("leaks", !leaks.any(), "after " + fmt(settle_s) + " s: " + leaks.describe());
    checks.check("memory", after.peak_rss_mib <= o.max_rss_mib,
                 "peak " + fmt(after.peak_rss_mib) + " MiB <= " + fmt(o.max_rss_mib));
    std::size_t log_errors = 0;
    for (const auto& line : server.problem_lines()) {
      std::fprintf(stderr, "server log: %s\n", line.c_str());
      log_errors +=
          line.find(" error ") != std::string::npos || line.find(" critical ") != std::string::npos;
    }
    checks.check("server_log", log_errors == 0,
                 std::to_string(server.problems()) + " warning/error lines");

    // 4. Stop.
    const auto code = server.stop(std::chrono::seconds(20));
    checks.check("clean_exit", code && *code == 0,
                 code ? "exit " + std::to_string(*code) : "no exit within 20 s");
    const auto until = Clock::now() + std::chrono::seconds(10);
    std::vector<int> left = processes_with_env("TMPDIR=" + dir);
    while (!left.empty() && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // their exit gives no event
      left = processes_with_env("TMPDIR=" + dir);
    }
    checks.check("no_process_left", left.empty(), std::to_string(left.size()) + " left");

    std::lock_guard lock(peaks.mu);
    std::printf(
        "RESULT hunts=%d lists=%d load_s=%.1f hunt_p50_s=%.1f hunt_max_s=%.1f polls=%zu "
        "list_p50_ms=%.1f list_p99_ms=%.1f list_max_ms=%.1f errors=%zu "
        "idle_threads=%d base_threads=%d peak_threads=%d after_threads=%d "
        "idle_fds=%zu base_fds=%zu peak_fds=%zu after_fds=%zu "
        "base_children=%zu peak_children=%zu after_children=%zu "
        "idle_rss_mib=%.1f base_rss_mib=%.1f peak_rss_mib=%.1f after_rss_mib=%.1f "
        "sims_peak_rss_mib=%.1f settle_s=%.1f log_problems=%zu failed_checks=%d\n",
        o.hunts, o.lists, load_s, wall_at(0.5) / 1000, wall_at(1.0) / 1000, polls,
        lists.latency_ms(0.5), lists.latency_ms(0.99), lists.latency_ms(1.0),
        hunt_errors + lists.errors(), idle.threads, baseline.threads, peaks.threads, after.threads,
        idle.fds.size(), baseline.fds.size(), peaks.fds, after.fds.size(), baseline.children.size(),
        peaks.children, after.children.size(), idle.rss_mib, baseline.rss_mib, after.peak_rss_mib,
        after.rss_mib, peaks.children_rss_mib, settle_s, server.problems(), checks.failed());
    status = checks.failed() == 0 ? 0 : 1;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return status;
}

std::string sibling(const std::string& name) {
  std::error_code ec;
  const fs::path self = fs::canonical("/proc/self/exe", ec);
  return (self.parent_path().parent_path() / name).string();  // build/bench/x → build/name
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.lmhunt = sibling("lmhunt");
  const std::map<std::string, std::function<void(const std::string&)>> flags = {
      {"--lmhunt", [&](const std::string& v) { o.lmhunt = v; }},
      {"--hunts", [&](const std::string& v) { o.hunts = std::stoi(v); }},
      {"--lists", [&](const std::string& v) { o.lists = std::stoi(v); }},
      {"--list-sessions", [&](const std::string& v) { o.list_sessions = std::stoi(v); }},
      {"--settle-seconds", [&](const std::string& v) { o.settle_seconds = std::stoi(v); }},
      {"--max-rss-mib", [&](const std::string& v) { o.max_rss_mib = std::stod(v); }},
      {"--wait-seconds", [&](const std::string& v) { o.wait_seconds = std::stoi(v); }}};
  for (int i = 1; i < argc; i += 2) {
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 >= argc) {
      std::fprintf(stderr, "lmhunt_bench_load_check: unknown or incomplete option '%s'\n", argv[i]);
      return 2;
    }
    try {
      flag->second(argv[i + 1]);
    } catch (const std::exception&) {
      std::fprintf(stderr, "lmhunt_bench_load_check: %s needs a number\n", argv[i]);
      return 2;
    }
  }
  if (o.hunts < 0 || o.lists < 0 || o.list_sessions < 1 || o.settle_seconds < 1) {
    std::fprintf(stderr, "lmhunt_bench_load_check: bad value\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_level(spdlog::level::warn);  // the MCP client's info lines are noise here
  return run(o);
}
