// sim_cli.cpp — option parsing, start-up and the stdio / HTTP serving loop of lmhunt-sim.
#include "sim/server/sim_cli.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "mcp/transport_http_server.hpp"
#include "mcp/transport_stdio.hpp"
#include "sim/server/sim_data.hpp"

namespace sim {

namespace {

constexpr const char* kUsage =
    R"(lmhunt-sim — a local stand-in for Google's SecOps MCP servers (secops-mcp, gti-mcp, secops-soar)

Usage:
  lmhunt-sim [--as ROLE] [--events FILE...] [options]

  --as ROLE              secops-mcp | gti-mcp | secops-soar | all (default all)
  --events FILE...       UDM or Windows event JSON lines, JSON arrays or .evtx files (repeatable);
                         without --events the bundled demo enterprise is served
  --now TIME             the simulated "now": ISO 8601, latest (default: just after the newest
                         event) or wall (the real clock)
  --cases DB             SQLite case database (default :memory:); seeded only when new/empty
  --cases-seed FILE      JSON array of cases to seed (default: the demo's, without --events)
  --iocs FILE            JSON array of VirusTotal-shaped IOC reports (default: the demo's)
  --http HOST:PORT       serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio; a
                         non-loopback HOST requires a bearer token in $LMHUNT_AUTH_TOKEN
  --allowed-host NAME    accept this Host header over HTTP (repeatable; e.g. a compose service)
  --log-level LEVEL      trace, debug, info, warn, error, off (default info; logs go to stderr)

Fault injection:
  --latency-ms N         every tool call takes N ms more (cancellable)
  --jitter-ms N          plus 0..N ms drawn from a seeded PRNG
  --fail-rate F          fail this fraction (0..1) of calls with an isError result
  --seed N               PRNG seed for --jitter-ms and --fail-rate (default 1)
  --crash-after N        exit(1) in the call after N tool calls
  --hang-tool NAME       never answer calls to NAME (cancellation still works)
  --garbage-stdout       write non-JSON lines to stdout between frames (stdio only)
  --empty-soar           every secops-soar tool returns content [] (its silent failure)
)";

bool parse_number(const std::string& text, long long min, long long max, long long& out) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  out = std::stoll(text);
  return out >= min && out <= max;
}

bool parse_host_port(const std::string& text, std::string& host, int& port) {
  auto colon = text.rfind(':');
  std::string host_part = colon == std::string::npos ? "" : text.substr(0, colon);
  long long p = 0;
  if (!parse_number(colon == std::string::npos ? text : text.substr(colon + 1), 0, 65535, p)) {
    return false;
  }
  port = static_cast<int>(p);
  if (host_part.size() >= 2 && host_part.front() == '[' && host_part.back() == ']') {
    host_part = host_part.substr(1, host_part.size() - 2);
  }
  host = host_part.empty() ? "127.0.0.1" : host_part;
  return true;
}

void init_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("lmhunt-sim");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") parsed = spdlog::level::info;
  spdlog::set_level(parsed);
}

// GarbageForwarder copies frames from a pipe to the real stdout with a non-JSON line before each
// (the print() noise some secops-soar integrations write), whole lines only.
class GarbageForwarder {
 public:
  explicit GarbageForwarder(int out_fd) : out_(out_fd) {}
  bool start() {
    if (::pipe(pipe_) != 0) return false;
    write_line("lmhunt-sim --garbage-stdout: this line is not JSON");
    thread_ = std::thread([this] {
      mcp::LineReader reader(pipe_[0], mcp::kMaxFrameBytes);
      int n = 0;
      while (auto line = reader.next()) {
        write_line("print() from an integration, line " + std::to_string(++n));
        write_line(line->text);
      }
    });
    return true;
  }
  int frames_fd() const { return pipe_[1]; }
  void finish() {
    ::close(pipe_[1]);
    if (thread_.joinable()) thread_.join();
    ::close(pipe_[0]);
  }

 private:
  void write_line(const std::string& text) {
    const std::string bytes = text + "\n";
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(out_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }
  int out_;
  int pipe_[2] = {-1, -1};
  std::thread thread_;
};

mcp::HttpServerTransport* g_http = nullptr;

int serve(const SimOptions& o, mcp::Server& server) {
  mcp::Executor executor;
  if (o.http) {
    mcp::HttpServerOptions http_options;
    http_options.host = o.http_host;
    http_options.port = o.http_port;
    http_options.allowed_hosts = o.allowed_hosts;
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once at start-up, before threads exist.
    if (const char* token = std::getenv("LMHUNT_AUTH_TOKEN"); token && *token) {
      http_options.bearer_token = token;
    }
    mcp::HttpServerTransport http(server, executor, http_options);
    if (auto bound = http.bind(); !bound) {
      spdlog::error("cannot serve HTTP: {}", bound.error().message);
      return 1;
    }
    g_http = &http;
    std::signal(SIGINT, [](int) { g_http->stop(); });
    std::signal(SIGTERM, [](int) { g_http->stop(); });
    spdlog::info("lmhunt-sim ({}) serving MCP at http://{}:{}/mcp", role_name(o.role), o.http_host,
                 http.port());
    http.run();
    g_http = nullptr;
    return 0;
  }
  // Frames get a private copy of stdout; descriptor 1 then points at stderr, so a stray print can
  // never corrupt the JSON-RPC stream.
  int frames = ::dup(STDOUT_FILENO);
  if (frames >= 0 && ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    ::close(frames);
    frames = -1;
  }
  mcp::StdioOptions stdio;
  if (frames >= 0) stdio.out_fd = frames;
  spdlog::info("lmhunt-sim ({}) serving MCP over stdio", role_name(o.role));
  if (!o.faults.garbage_stdout) return mcp::serve_stdio(server, executor, stdio);
  GarbageForwarder garbage(stdio.out_fd);
  if (!garbage.start()) {
    spdlog::error("--garbage-stdout: cannot create a pipe");
    return 1;
  }
  stdio.out_fd = garbage.frames_fd();
  const int rc = mcp::serve_stdio(server, executor, stdio);
  garbage.finish();
  return rc;
}

}  // namespace

const char* sim_usage() {
  return kUsage;
}

mcp::Result<ParsedArgs> parse_sim_args(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  SimOptions& o = parsed.options;
  auto usage = [](const std::string& message) { return mcp::Error{2, message}; };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    const bool has_value = i + 1 < args.size();
    auto value = [&]() -> std::string { return args[++i]; };
    long long n = 0;
    if (flag == "--help" || flag == "-h") {
      parsed.help = true;
    } else if (flag == "--version") {
      parsed.version = true;
    } else if (flag == "--events") {
      const std::size_t before = o.event_files.size();
      while (i + 1 < args.size() && !args[i + 1].starts_with("--"))
        o.event_files.push_back(value());
      if (o.event_files.size() == before) return usage("--events needs at least one FILE");
    } else if (flag == "--garbage-stdout") {
      o.faults.garbage_stdout = true;
    } else if (flag == "--empty-soar") {
      o.faults.empty_soar = true;
    } else if (!has_value) {
      return usage("unknown or incomplete option '" + flag + "'");
    } else if (flag == "--as") {
      auto role = parse_role(args[i + 1]);
      if (!role)
        return usage("--as needs secops-mcp, gti-mcp, secops-soar or all, not '" + value() + "'");
      o.role = *role;
      ++i;
    } else if (flag == "--now") {
      o.now = value();
      if (o.now != "latest" && o.now != "wall" && !parse_time(o.now)) {
        return usage("--now needs an ISO 8601 time, latest or wall, not '" + o.now + "'");
      }
    } else if (flag == "--cases") {
      o.cases_db = value();
    } else if (flag == "--cases-seed") {
      o.cases_seed_file = value();
    } else if (flag == "--iocs") {
      o.iocs_file = value();
    } else if (flag == "--allowed-host") {
      o.allowed_hosts.push_back(value());
    } else if (flag == "--http") {
      if (!parse_host_port(value(), o.http_host, o.http_port)) {
        return usage("--http needs HOST:PORT or PORT, e.g. 127.0.0.1:8080");
      }
      o.http = true;
    } else if (flag == "--log-level") {
      o.log_level = value();
      // spdlog reads any unknown name as "off"; a typo must not silence the logs.
      if (o.log_level != "off" && spdlog::level::from_str(o.log_level) == spdlog::level::off) {
        return usage("--log-level needs one of trace, debug, info, warn, error, critical, off");
      }
    } else if (flag == "--latency-ms" || flag == "--jitter-ms") {
      if (!parse_number(value(), 0, 3'600'000, n))
        return usage(flag + " needs milliseconds (0..3600000)");
      (flag == "--latency-ms" ? o.faults.latency_ms : o.faults.jitter_ms) = static_cast<int>(n);
    } else if (flag == "--fail-rate") {
      const std::string v = value();
      char* end = nullptr;
      const double rate = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || !(rate >= 0.0 && rate <= 1.0)) {
        return usage("--fail-rate needs a number from 0 to 1");
      }
      o.faults.fail_rate = rate;
    } else if (flag == "--seed") {
      if (!parse_number(value(), 0, 999'999'999'999, n))
        return usage("--seed needs a whole number");
      o.faults.seed = static_cast<std::uint64_t>(n);
    } else if (flag == "--crash-after") {
      if (!parse_number(value(), 0, 999'999'999'999, n))
        return usage("--crash-after needs a count");
      o.faults.crash_after = static_cast<long>(n);
    } else if (flag == "--hang-tool") {
      o.faults.hang_tool = value();
    } else {
      return usage("unknown option '" + flag + "'");
    }
  }
  if (o.http && o.faults.garbage_stdout) return usage("--garbage-stdout applies to stdio only");
  return parsed;
}

int run_sim_cli(const std::vector<std::string>& args) {
  auto parsed = parse_sim_args(args);
  if (!parsed) {
    std::fprintf(stderr, "lmhunt-sim: %s\n\n%s", parsed.error().message.c_str(), kUsage);
    return 2;
  }
  if (parsed->help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (parsed->version) {
    std::printf("lmhunt-sim %s\n", kFastMcpVersion);
    return 0;
  }
  const SimOptions& o = parsed->options;
  init_logging(o.log_level);
  SimData data;
  if (auto loaded = load_sim_data(o, data); !loaded) {
    spdlog::error("cannot start: {}", loaded.error().message);
    return 1;
  }
  SimContext ctx{&data.events, &data.iocs, data.cases.get(),
                 SimClock(clock_anchor(o.now, data).value())};
  spdlog::info("simulated now: {} ({} events, {} IOCs, {} cases)", format_time(ctx.clock.now()),
               data.events.size(), data.iocs.size(), data.cases->case_count());
  Faults faults(o.faults);
  auto server = make_sim_server(o.role, ctx, faults);
  if (!server) {
    spdlog::error("cannot start: {}", server.error().message);
    return 1;
  }
  return serve(o, *server.value());
}

}  // namespace sim
