#include "app/cli.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "app/downstream_setup.hpp"
#include "app/hunt_command.hpp"
#include "app/lmhunt_server.hpp"
#include "app/logging.hpp"
#include "app/spool_command.hpp"
#include "app/version.hpp"
#include "mcp/transport_http_server.hpp"
#include "mcp/transport_stdio.hpp"

namespace app {
namespace {

constexpr const char* kUsage =
    R"(lmhunt — MCP server that hunts for lateral movement (PsExec/WMI) over Google SecOps

Usage:
  lmhunt serve [--http HOST:PORT] [options]   serve MCP over stdio (default) or Streamable HTTP
%s
%s
  lmhunt --version | --help

serve options:
  --config FILE            mcpServers file with your SecOps servers (default $LMHUNT_CONFIG;
                           without one, hunts run over the embedded demo and say so)
  --http HOST:PORT         serve Streamable HTTP at http://HOST:PORT/mcp (HOST defaults to 127.0.0.1)
  --allowed-host NAME      accept this Host header (repeatable; needed behind a proxy or in a container)
  --allowed-origin ORIGIN  accept this Origin header (repeatable)
  --token-env VAR          read the bearer token clients must present from VAR
                           (default LMHUNT_AUTH_TOKEN; required for a non-loopback bind)
  --no-legacy-sse          do not serve the legacy HTTP+SSE endpoints (/sse, /messages)
  --max-frame-bytes N      refuse stdio frames and HTTP bodies larger than N bytes (default 16 MiB)
  --log-level LEVEL        trace, debug, info, warn, error (default info; logs go to stderr)
)";

struct ServeArgs {
  std::string config_path;
  bool http = false;
  mcp::HttpServerOptions http_options;
  std::string token_env = "LMHUNT_AUTH_TOKEN";
  std::string log_level = "info";
  std::size_t max_frame_bytes = mcp::kMaxFrameBytes;
};

void print_usage(std::FILE* out) {
  std::fprintf(out, kUsage, kHuntUsage, kSpoolUsage);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "lmhunt: %s\n\n", message.c_str());
  print_usage(stderr);
  return 2;
}

bool parse_host_port(const std::string& text, std::string& host, int& port) {
  auto colon = text.rfind(':');
  std::string host_part = colon == std::string::npos ? "" : text.substr(0, colon);
  std::string port_part = colon == std::string::npos ? text : text.substr(colon + 1);
  if (port_part.empty() || port_part.find_first_not_of("0123456789") != std::string::npos ||
      port_part.size() > 5) {
    return false;
  }
  port = std::stoi(port_part);
  if (port > 65535) return false;
  if (host_part.size() >= 2 && host_part.front() == '[' && host_part.back() == ']') {
    host_part = host_part.substr(1, host_part.size() - 2);
  }
  host = host_part.empty() ? "127.0.0.1" : host_part;
  return true;
}

mcp::HttpServerTransport* g_http = nullptr;

int serve(const ServeArgs& a) {
  init_logging(a.log_level);
  mcp::Executor executor;
  DownstreamChoice choice;
  choice.config_path = a.config_path;
  auto downstream = prepare_downstream(choice, executor);
  if (!downstream) {
    spdlog::error("cannot start: {}", downstream.error().message);
    return 1;
  }
  auto made = make_lmhunt_server(&downstream.value());
  if (!made) {
    spdlog::error("cannot start: {}", made.error().message);
    return 1;
  }
  auto& server = made.value().server;
  if (!a.http) {
    int frames = reserve_stdout_for_frames();
    mcp::StdioOptions options;
    if (frames >= 0) options.out_fd = frames;
    options.max_frame_bytes = a.max_frame_bytes;
    spdlog::info("lmhunt {} serving MCP over stdio", kVersion);
    return mcp::serve_stdio(*server, executor, options);
  }
  mcp::HttpServerOptions options = a.http_options;
  options.max_body_bytes = std::min(options.max_body_bytes, a.max_frame_bytes);
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once at start-up, before any thread exists.
  if (const char* token = std::getenv(a.token_env.c_str()); token && *token) {
    options.bearer_token = token;
  }
  // A short token is the operator's choice, but one a client can guess: say so
  // at start-up (the demo profile's placeholder too) rather than refuse.
  if (constexpr std::size_t kStrongTokenChars = 32;
      !options.bearer_token.empty() && options.bearer_token.size() < kStrongTokenChars) {
    spdlog::warn(
        "the bearer token in {} is {} characters; use at least {} random ones "
        "(e.g. openssl rand -hex 32)",
        a.token_env, options.bearer_token.size(), kStrongTokenChars);
  }
  mcp::HttpServerTransport http(*server, executor, options);
  if (auto bound = http.bind(); !bound) {
    spdlog::error("cannot serve HTTP: {}", bound.error().message);
    return 1;
  }
  g_http = &http;
  std::signal(SIGINT, [](int) { g_http->stop(); });
  std::signal(SIGTERM, [](int) { g_http->stop(); });
  spdlog::info("lmhunt {} serving MCP at http://{}:{}{}", kVersion, options.host, http.port(),
               options.endpoint);
  http.run();
  g_http = nullptr;
  spdlog::info("lmhunt stopped");
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("lmhunt %s\n", kVersion);
    return 0;
  }
  if (args[0] == "hunt" || args[0] == "demo") return run_hunt_command(args, args[0] == "demo");
  if (args[0] == "spool") return run_spool_command(args);
  if (args[0] != "serve") return usage_error("unknown command '" + args[0] + "'");

  ServeArgs a;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (flag == "--config" && value(v)) {
      a.config_path = v;
    } else if (flag == "--http") {
      if (!value(v) || !parse_host_port(v, a.http_options.host, a.http_options.port)) {
        return usage_error("--http needs HOST:PORT or PORT, e.g. 127.0.0.1:8080");
      }
      a.http = true;
    } else if (flag == "--allowed-host" && value(v)) {
      a.http_options.allowed_hosts.push_back(v);
    } else if (flag == "--allowed-origin" && value(v)) {
      a.http_options.allowed_origins.push_back(v);
    } else if (flag == "--token-env" && value(v)) {
      a.token_env = v;
    } else if (flag == "--no-legacy-sse") {
      a.http_options.legacy_sse = false;
    } else if (flag == "--max-frame-bytes" && value(v)) {
      if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos ||
          std::stoull(v) < 1024) {
        return usage_error("--max-frame-bytes needs a number of bytes (at least 1024)");
      }
      a.max_frame_bytes = std::stoull(v);
    } else if (flag == "--log-level" && value(v)) {
      if (!known_log_level(v)) return usage_error(kLogLevelError);
      a.log_level = v;
    } else {
      return usage_error("unknown or incomplete option '" + flag + "'");
    }
  }
  return serve(a);
}

}  // namespace app
