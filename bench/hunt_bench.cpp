// hunt_bench.cpp — the hunt's speed and memory benchmark (docs/benchmarks.md, "Hunt"; issue 5).
//
// Speed: writes an mcpServers file with three lmhunt-sim processes (secops-mcp, gti-mcp,
// secops-soar; the demo enterprise, --latency-ms L on every tool call, a temporary case
// database), starts `lmhunt serve --config FILE` (the real server, over stdio) and runs
// lateral_movement_hunt twice: the first hunt starts the downstream servers (cold), the second is
// measured. From the second hunt's structuredContent (calls, timings, queries) it computes the
// downstream critical path (model in hunt_critical_path.hpp), then, in the same run, replays the
// same calls one at a time in runbook order against three fresh lmhunt-sim processes started with
// the same arguments, and reports wall / critical path, sequential / wall, the report's size
// against the downstream bytes, and lmhunt's peak RSS.
//
// Memory: writes N synthetic UDM events (hunt_events.hpp) and hunts them with
// max_events_per_query 50, 500 and 5000, and with 500 over a quarter of the data, each in a fresh
// lmhunt process, reporting its peak RSS.
//
//   lmhunt_bench_hunt [--lmhunt PATH] [--sim PATH] [--latency-ms 100] [--hours 72]
//                     [--concurrency 8] [--memory-events 200000] [--no-memory] [--no-speed]
//
// Human lines on stderr; machine lines on stdout: `RESULT section=speed …`, `STAGE …`,
// `RESULT section=memory …`. Exit 1 when a hunt or a replayed call failed.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hunt_critical_path.hpp"
#include "hunt_events.hpp"
#include "mcp/client.hpp"
#include "mcp/executor.hpp"
#include "mcp/transport_child.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string lmhunt;
  std::string sim;
  int latency_ms = 100;
  int hours = 72;
  int concurrency = 8;
  std::size_t memory_events = 200'000;
  bool speed = true;
  bool memory = true;
};

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double peak_rss_mib(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

// A Served is a started, initialized MCP server over stdio.
struct Served {
  std::shared_ptr<mcp::ChildProcess> process;
  std::unique_ptr<mcp::Client> client;
  ~Served() {
    if (client) client->close("done");
    if (process) process->close();
  }
};

mcp::Result<std::unique_ptr<Served>> serve(const std::string& name, std::vector<std::string> argv,
                                           std::map<std::string, std::string> env,
                                           mcp::Executor& executor) {
  mcp::ChildOptions options;
  options.name = name;
  options.argv = std::move(argv);
  options.env = std::move(env);
  auto process = mcp::ChildProcess::start(std::move(options), executor);
  if (!process) return process.error();
  auto served = std::make_unique<Served>();
  served->process = std::move(process).value();
  served->client = std::make_unique<mcp::Client>(served->process->session());
  if (auto init = served->client->initialize(); !init) {
    return mcp::Error{1, name + ": initialize: " + init.error().message};
  }
  return served;
}

const std::map<std::string, std::string> kSimEnv = {{"CHRONICLE_PROJECT_ID", "lmhunt-sim"},
                                                    {"CHRONICLE_CUSTOMER_ID", "lmhunt-sim"}};

// sim_argv: one lmhunt-sim as `role`; events_file "" serves the demo enterprise.
std::vector<std::string> sim_argv(const Options& o, const std::string& role, int latency_ms,
                                  const std::string& events_file, const std::string& cases_db) {
  std::vector<std::string> argv = {o.sim,
                                   "--as",
                                   role,
                                   "--now",
                                   "latest",
                                   "--cases",
                                   cases_db,
                                   "--log-level",
                                   "warn",
                                   "--latency-ms",
                                   std::to_string(latency_ms)};
  if (!events_file.empty()) {
    argv.push_back("--events");
    argv.push_back(events_file);
  }
  return argv;
}

// write_config writes an mcpServers file naming each sim after its role.
bool write_config(const std::string& path,
                  const std::map<std::string, std::vector<std::string>>& sims,
                  const Json& lmhunt_section) {
  Json servers = Json::object();
  for (const auto& [name, argv] : sims) {
    servers[name] = {{"type", "stdio"},
                     {"command", argv[0]},
                     {"args", std::vector<std::string>(argv.begin() + 1, argv.end())},
                     {"env", kSimEnv}};
  }
  std::ofstream out(path);
  out << Json{{"mcpServers", servers}, {"lmhunt", lmhunt_section}}.dump(2) << "\n";
  return static_cast<bool>(out);
}

struct HuntRun {
  double wall_ms = 0;
  Json result;  // the CallToolResult
  std::string error;
};

HuntRun hunt(mcp::Client& client, int hours) {
  HuntRun run;
  mcp::CallOptions call;
  call.timeout = std::chrono::minutes(30);
  const auto t0 = Clock::now();
  auto result = client.call_tool("lateral_movement_hunt",
                                 {{"time_frame_hours", hours}, {"wait_seconds", 3600}}, call);
  run.wall_ms = ms_since(t0);
  if (!result) {
    run.error = result.error().message;
  } else if (result->value("isError", false)) {
    run.error = result->dump().substr(0, 400);
  } else {
    run.result = std::move(result).value();
    const std::string status = run.result["structuredContent"].value("status", "");
    if (status != "completed" && status != "partial") run.error = "hunt status " + status;
  }
  return run;
}

std::size_t text_bytes(const Json& result) {
  std::size_t n = 0;
  for (const auto& block : result.value("content", Json::array())) {
    if (block.value("type", "") == "text") n += block.value("text", "").size();
  }
  return n;
}

int speed(const Options& o, const fs::path& dir, mcp::Executor& executor) {
  const std::string cases = (dir / "cases.db").string();
  std::map<std::string, std::vector<std::string>> sims;
  for (const char* role : {"secops-mcp", "gti-mcp", "secops-soar"}) {
    sims[role] = sim_argv(o, role, o.latency_ms, "", cases);
  }
  const std::string config = (dir / "speed.json").string();
  if (!write_config(config, sims,
                    {{"concurrency", o.concurrency},
                     {"research_cache_ttl_seconds", 0},  // every hunt researches, as a first one
                     {"spool_dir", (dir / "spool").string()}})) {
    std::fprintf(stderr, "cannot write %s\n", config.c_str());
    return 1;
  }
  auto lmhunt =
      serve("lmhunt", {o.lmhunt, "serve", "--config", config, "--log-level", "warn"}, {}, executor);
  if (!lmhunt) {
    std::fprintf(stderr, "lmhunt: %s\n", lmhunt.error().message.c_str());
    return 1;
  }
  const HuntRun cold = hunt(*lmhunt.value()->client, o.hours);
  const HuntRun warm = cold.error.empty() ? hunt(*lmhunt.value()->client, o.hours) : cold;
  const double rss = peak_rss_mib(lmhunt.value()->process->pid());
  if (!warm.error.empty()) {
    std::fprintf(stderr, "hunt failed: %s\n", warm.error.c_str());
    return 1;
  }
  const Json& sc = warm.result["structuredContent"];
  const auto calls = bench::classify_calls(sc);
  const auto stages = bench::critical_path(calls, o.concurrency);
  const std::int64_t critical = bench::critical_path_ms(stages);
  for (const auto& s : stages) {
    std::printf("STAGE name=\"%s\" calls=%zu critical_ms=%lld\n", s.name.c_str(), s.calls,
                static_cast<long long>(s.critical_ms));
  }
  std::printf("TIMINGS %s\n", sc.value("timings", Json::object()).dump().c_str());

  // The same calls, one at a time, in runbook order, against fresh servers with the same args.
  std::map<std::string, std::unique_ptr<Served>> replay_servers;
  for (const auto& [name, argv] : sims) {
    auto served = serve(name, argv, kSimEnv, executor);
    if (!served) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), served.error().message.c_str());
      return 1;
    }
    replay_servers[name] = std::move(served).value();
  }
  std::size_t replay_errors = 0;
  const auto t0 = Clock::now();
  for (const auto& c : bench::runbook_order(calls)) {
    auto it = replay_servers.find(c.server);
    if (it == replay_servers.end()) {
      ++replay_errors;
      continue;
    }
    auto answer = it->second->client->call_tool(c.tool, c.arguments);
    if (!answer) ++replay_errors;
  }
  const double sequential = ms_since(t0);

  const std::size_t report = text_bytes(warm.result);
  const std::size_t structured = sc.dump().size();
  const std::size_t downstream = sc.value("downstream_bytes", std::size_t{0});
  std::printf(
      "RESULT section=speed latency_ms=%d concurrency=%d calls=%zu cold_wall_ms=%.0f "
      "wall_ms=%.0f runtime_ms=%lld critical_ms=%lld wall_over_critical=%.3f sequential_ms=%.0f "
      "sequential_over_wall=%.2f replay_errors=%zu report_bytes=%zu structured_bytes=%zu "
      "downstream_bytes=%zu report_over_downstream=%.4f rss_mib=%.1f verdict=%s\n",
      o.latency_ms, o.concurrency, calls.size(), cold.wall_ms, warm.wall_ms,
      static_cast<long long>(sc.value("runtime_ms", std::int64_t{0})),
      static_cast<long long>(critical), critical > 0 ? warm.wall_ms / critical : 0.0, sequential,
      warm.wall_ms > 0 ? sequential / warm.wall_ms : 0.0, replay_errors, report, structured,
      downstream, downstream > 0 ? static_cast<double>(report) / downstream : 0.0, rss,
      sc.value("verdict", "").c_str());
  std::fflush(stdout);
  return replay_errors == 0 ? 0 : 1;
}

// memory_run hunts `events_file` in a fresh lmhunt with max_events_per_query `limit`.
int memory_run(const Options& o, const fs::path& dir, const std::string& events_file,
               std::size_t events, int limit, mcp::Executor& executor) {
  const std::string cases = (dir / ("cases-" + std::to_string(limit) + ".db")).string();
  std::map<std::string, std::vector<std::string>> sims = {
      {"secops-mcp", sim_argv(o, "secops-mcp", 0, events_file, cases)},
      {"gti-mcp", sim_argv(o, "gti-mcp", 0, "", cases)},
      {"secops-soar", sim_argv(o, "secops-soar", 0, "", cases)}};
  const std::string config = (dir / ("memory-" + std::to_string(limit) + ".json")).string();
  write_config(config, sims,
               {{"concurrency", o.concurrency},
                {"max_events_per_query", limit},
                {"spool_dir", (dir / "spool").string()}});
  auto lmhunt = serve("lmhunt", {o.lmhunt, "serve", "--config", config, "--log-level", "error"}, {},
                      executor);
  if (!lmhunt) {
    std::fprintf(stderr, "lmhunt: %s\n", lmhunt.error().message.c_str());
    return 1;
  }
  const HuntRun run = hunt(*lmhunt.value()->client, o.hours);
  const double rss = peak_rss_mib(lmhunt.value()->process->pid());
  if (!run.error.empty()) {
    std::fprintf(stderr, "hunt failed: %s\n", run.error.c_str());
    return 1;
  }
  const Json& sc = run.result["structuredContent"];
  std::size_t truncated = 0;
  std::size_t returned = 0;
  for (const auto& q : sc.value("queries", Json::array())) {
    truncated += q.value("status", "") == "truncated";
    returned += q.value("events", std::size_t{0});
  }
  std::printf(
      "RESULT section=memory events=%zu max_events=%d wall_ms=%.0f queries=%zu truncated=%zu "
      "events_returned=%zu downstream_bytes=%zu rss_mib=%.1f\n",
      events, limit, run.wall_ms, sc.value("queries", Json::array()).size(), truncated, returned,
      sc.value("downstream_bytes", std::size_t{0}), rss);
  std::fflush(stdout);
  return 0;
}

int memory(const Options& o, const fs::path& dir, mcp::Executor& executor) {
  const std::string big = (dir / "events.jsonl").string();
  const std::string small = (dir / "events-quarter.jsonl").string();
  const auto t0 = Clock::now();
  const std::size_t bytes = bench::write_hunt_events(big, o.memory_events);
  const std::size_t small_bytes = bench::write_hunt_events(small, o.memory_events / 4);
  if (bytes == 0 || small_bytes == 0) {
    std::fprintf(stderr, "cannot write the synthetic events in %s\n", dir.c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %zu events (%.1f MiB) in %.1f s\n", o.memory_events,
               static_cast<double>(bytes) / (1 << 20), ms_since(t0) / 1000);
  int status = 0;
  for (int limit : {50, 500, 5000}) {
    status |= memory_run(o, dir, big, o.memory_events, limit, executor);
  }
  status |= memory_run(o, dir, small, o.memory_events / 4, 500, executor);
  return status;
}

std::string sibling(const char* argv0, const std::string& name) {
  std::error_code ec;
  const fs::path self = fs::canonical("/proc/self/exe", ec);
  const fs::path base = ec ? fs::path(argv0).parent_path() : self.parent_path();
  return (base.parent_path() / name).string();  // build/bench/x → build/name
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));
  spdlog::set_level(spdlog::level::warn);
  Options o;
  o.lmhunt = sibling(argv[0], "lmhunt");
  o.sim = sibling(argv[0], "lmhunt-sim");
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--lmhunt" && has_value) {
      o.lmhunt = argv[++i];
    } else if (flag == "--sim" && has_value) {
      o.sim = argv[++i];
    } else if (flag == "--latency-ms" && has_value) {
      o.latency_ms = std::stoi(argv[++i]);
    } else if (flag == "--hours" && has_value) {
      o.hours = std::stoi(argv[++i]);
    } else if (flag == "--concurrency" && has_value) {
      o.concurrency = std::stoi(argv[++i]);
    } else if (flag == "--memory-events" && has_value) {
      o.memory_events = std::stoul(argv[++i]);
    } else if (flag == "--no-memory") {
      o.memory = false;
    } else if (flag == "--no-speed") {
      o.speed = false;
    } else {
      std::fprintf(stderr, "lmhunt_bench_hunt: unknown or incomplete option '%s'\n", argv[i]);
      return 2;
    }
  }
  char pattern[] = "/tmp/lmhunt-bench-hunt-XXXXXX";
  if (!mkdtemp(pattern)) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path dir = pattern;
  int status = 0;
  {
    mcp::Executor executor;
    if (o.speed) status |= speed(o, dir, executor);
    if (o.memory) status |= memory(o, dir, executor);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return status;
}
