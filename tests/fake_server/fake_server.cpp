// lmhunt_fake_server: a scriptable downstream stdio MCP server for the
// client's child-process tests. Built on our own mcp::Server and serve_stdio;
// exposes secops-mcp tool names (search_udm, lookup_entity) plus test probes
// (env, fds, stats). Flags script its misbehaviour:
//   --latency-ms N      tools take N ms (cancellable; progress when asked)
//   --crash-after N     the call after N tool calls exits with status 3 mid-call
//   --hang-tool NAME    NAME never answers until cancelled
//   --garbage-stdout    non-JSON lines on stdout at start and before every frame
//   --is-error          tools return isError results
//   --empty-content     tools return content: [] (as secops-soar does on failure)
//   --exit-at-start N   print to stderr and exit with status N before reading
//   --stderr-flood N    write N lines to stderr before serving
//   --linger            keep running after stdin closes (until a signal)
//   --ignore-sigterm    ignore SIGTERM (so only SIGKILL ends it)
// Profiles (profiles.cpp) replace the echo tools with canned, argument-dependent SecOps tools:
//   --profile secops|gti|soar|remote|all  tool names and result encodings of that server
//   --no-structured     omit structuredContent (decoding from text blocks only)
//   --rate-limit N      the first N profile-tool calls fail with 429 RESOURCE_EXHAUSTED
//   --in-band-error     search/report tools answer {"error": ...} (isError false)
//   --start-delay-ms N  sleep N ms before serving (a slow cold start)
//   --cases-format F    list_cases as "array", "object" (next_page_token) or "camel"
//   --page-token-loop   list_cases always answers the same next page token
//   --post-hang-once    the first comment is stored, then the call hangs until cancelled
//   --post-lose-once    the first comment is dropped and the answer is content: []
//   --hide-tool NAME    leave a profile tool out of tools/list (repeatable)
#include <dirent.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "fake_server.hpp"
#include "mcp/server.hpp"
#include "mcp/transport_stdio.hpp"

extern char** environ;

namespace {

using fake::Flags;
using fake::run_tool;
using fake::State;
using mcp::Json;
using mcp::Result;
using mcp::ToolResult;

Flags parse(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--latency-ms")
      f.latency_ms = std::atoi(next().c_str());
    else if (a == "--crash-after")
      f.crash_after = std::atoi(next().c_str());
    else if (a == "--hang-tool")
      f.hang_tool = next();
    else if (a == "--garbage-stdout")
      f.garbage = true;
    else if (a == "--is-error")
      f.is_error = true;
    else if (a == "--empty-content")
      f.empty_content = true;
    else if (a == "--exit-at-start")
      f.exit_at_start = std::atoi(next().c_str());
    else if (a == "--stderr-flood")
      f.stderr_flood = std::atoi(next().c_str());
    else if (a == "--linger")
      f.linger = true;
    else if (a == "--ignore-sigterm")
      f.ignore_sigterm = true;
    else if (a == "--profile")
      f.profile = next();
    else if (a == "--no-structured")
      f.no_structured = true;
    else if (a == "--rate-limit")
      f.rate_limit = std::atoi(next().c_str());
    else if (a == "--in-band-error")
      f.in_band_error = true;
    else if (a == "--start-delay-ms")
      f.start_delay_ms = std::atoi(next().c_str());
    else if (a == "--cases-format")
      f.cases_format = next();
    else if (a == "--page-token-loop")
      f.page_token_loop = true;
    else if (a == "--post-hang-once")
      f.post_hang_once = true;
    else if (a == "--post-lose-once")
      f.post_lose_once = true;
    else if (a == "--hide-tool")
      f.hidden_tools.push_back(next());
    else
      std::fprintf(stderr, "fake_server: unknown flag %s\n", a.c_str());
  }
  return f;
}

// StdoutLines writes whole lines to the real stdout under one mutex, so
// garbage and frames never interleave inside a line.
class StdoutLines {
 public:
  void write(const std::string& line) {
    std::lock_guard lock(mu_);
    std::string bytes = line + "\n";
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  std::mutex mu_;
};

// wait_cancellable waits `ms`, or until the call is cancelled; false then.
bool wait_cancellable(mcp::ToolContext& ctx, int ms) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  auto stop = ctx.stop_token();
  cv.wait_for(lock, stop, std::chrono::milliseconds(ms), [] { return false; });
  return !stop.stop_requested();
}

}  // namespace

Result<ToolResult> fake::run_tool(State& s, const std::string& name, const Json& args,
                                  mcp::ToolContext& ctx, const Canned& canned) {
  const int n = ++s.calls;
  if (s.flags.crash_after >= 0 && n > s.flags.crash_after) {
    std::fprintf(stderr, "fake_server: crashing in call %d to %s\n", n, name.c_str());
    std::fflush(stderr);
    _exit(3);
  }
  if (name == s.flags.hang_tool) {
    std::stop_callback on_cancel(ctx.stop_token(), [&s] {
      {
        std::lock_guard lock(s.mu);
        ++s.cancelled;
      }
      s.cv.notify_all();
      std::fprintf(stderr, "fake_server: call cancelled\n");
    });
    wait_cancellable(ctx, 24 * 3600 * 1000);
    return ToolResult::text("cancelled");
  }
  if (s.flags.latency_ms > 0) {
    ctx.report_progress(0, 2, "started");
    if (!wait_cancellable(ctx, s.flags.latency_ms)) return ToolResult::text("cancelled");
    ctx.report_progress(1, 2, "half way");
  }
  if (canned && ++s.profile_calls <= s.flags.rate_limit)
    return ToolResult::error("Error executing tool " + name +
                             ": 429 RESOURCE_EXHAUSTED: Quota exceeded, try again later");
  if (s.flags.is_error) return ToolResult::error("Error executing tool " + name + ": simulated");
  if (s.flags.empty_content) return ToolResult{};
  if (canned) return canned(args, ctx);
  ToolResult r = ToolResult::text(Json{{"tool", name}, {"arguments", args}}.dump(2));
  r.structured = {{"result", {{"tool", name}, {"arguments", args}, {"call", n}}}};
  return r;
}

namespace {

Json environment() {
  Json env = Json::object();
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

Json open_fds() {
  Json fds = Json::array();
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  const int own = dirfd(dir);
  while (dirent* d = readdir(dir)) {
    if (d->d_name[0] == '.') continue;
    const int fd = std::atoi(d->d_name);
    if (fd != own) fds.push_back(fd);
  }
  closedir(dir);
  return fds;
}

mcp::Tool make_tool(const std::string& name, const std::string& description) {
  mcp::Tool tool;
  tool.name = name;
  tool.description = description;
  return tool;
}

void add_tools(mcp::Server& server, State& s) {
  if (!s.flags.profile.empty()) fake::add_profile_tools(server, s);
  for (const char* name : {"search_udm", "lookup_entity"}) {
    if (!s.flags.profile.empty()) break;
    (void)server.add_tool(make_tool(name, "fake secops-mcp tool"),
                          [&s, tool = std::string(name)](const Json& args, mcp::ToolContext& ctx) {
                            return run_tool(s, tool, args, ctx);
                          });
  }
  if (!s.flags.hang_tool.empty() && s.flags.profile.empty() && s.flags.hang_tool != "search_udm" &&
      s.flags.hang_tool != "lookup_entity") {
    (void)server.add_tool(make_tool(s.flags.hang_tool, "hangs"),
                          [&s](const Json& args, mcp::ToolContext& ctx) {
                            return run_tool(s, s.flags.hang_tool, args, ctx);
                          });
  }
  auto structured = [](Json value) {
    ToolResult r = ToolResult::text(value.dump());
    r.structured = {{"result", std::move(value)}};
    return r;
  };
  (void)server.add_tool(make_tool("env", "the process environment"),
                        [=](const Json&, mcp::ToolContext&) -> Result<ToolResult> {
                          return structured(environment());
                        });
  (void)server.add_tool(
      make_tool("fds", "open descriptors"),
      [=](const Json&, mcp::ToolContext&) -> Result<ToolResult> { return structured(open_fds()); });
  // stats waits (up to 5 s) for at least arguments.wait_cancelled cancellations.
  (void)server.add_tool(
      make_tool("stats", "call and cancellation counts"),
      [&s, structured](const Json& args, mcp::ToolContext&) -> Result<ToolResult> {
        const int want = args.value("wait_cancelled", 0);
        std::unique_lock lock(s.mu);
        s.cv.wait_for(lock, std::chrono::seconds(5), [&] { return s.cancelled >= want; });
        return structured({{"calls", s.calls.load()}, {"cancelled", s.cancelled}});
      });
}

}  // namespace

int main(int argc, char** argv) {
  State state;
  state.flags = parse(argc, argv);
  const Flags& f = state.flags;
  spdlog::set_default_logger(spdlog::stderr_color_mt("fake_server"));
  if (f.exit_at_start >= 0) {
    std::fprintf(stderr, "fake_server: cannot reach SOAR, shutting down\n");
    return f.exit_at_start;
  }
  if (f.ignore_sigterm) signal(SIGTERM, SIG_IGN);
  if (f.start_delay_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(f.start_delay_ms));
  for (int i = 0; i < f.stderr_flood; ++i) std::fprintf(stderr, "fake_server: flood line %d\n", i);
  std::fflush(stderr);

  mcp::ServerOptions options;
  options.info = {fake::server_name(f.profile), "fake", ""};
  mcp::Server server(options);
  add_tools(server, state);
  mcp::Executor executor(16);
  mcp::StdioOptions stdio;
  StdoutLines out;
  std::thread forwarder;
  int frames[2] = {-1, -1};
  if (f.garbage) {  // frames go through a pipe so garbage lines can go between them
    if (pipe(frames) != 0) return 1;
    stdio.out_fd = frames[1];
    out.write("Starting fake server (this line is not JSON)");
    out.write("{not json either");
    out.write(R"({"hello":"valid JSON, not JSON-RPC"})");
    forwarder = std::thread([&out, fd = frames[0]] {
      mcp::LineReader reader(fd, mcp::kMaxFrameBytes);
      int n = 0;
      while (auto line = reader.next()) {
        out.write("print() from an integration, line " + std::to_string(++n));
        out.write(line->text);
      }
    });
  }
  const int rc = mcp::serve_stdio(server, executor, stdio);
  if (f.garbage) {
    ::close(frames[1]);
    forwarder.join();
    ::close(frames[0]);
  }
  while (f.linger) pause();
  return rc;
}
