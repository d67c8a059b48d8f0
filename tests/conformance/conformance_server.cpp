// lmhunt_conformance_server: the fixtures the official MCP conformance suite
// (@modelcontextprotocol/conformance 0.1.16, `conformance server`) expects,
// served by lmhunt's MCP core. Names, arguments and payloads are fixed by the
// suite's server scenarios; the suite talks Streamable HTTP only, stdio is for
// the Inspector and for debugging by hand.
//
//   lmhunt_conformance_server [--http HOST:PORT | --stdio] [--log-level LEVEL]
//
// With --http, the bound URL is printed on stderr as
// "lmhunt_conformance_server listening on http://HOST:PORT/mcp" (PORT 0 binds
// an ephemeral port). SIGINT/SIGTERM stop the server.

#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "conformance_fixtures.hpp"
#include "mcp/server.hpp"
#include "mcp/transport_http_server.hpp"
#include "mcp/transport_stdio.hpp"

namespace {

struct Options {
  bool http = false;
  mcp::HttpServerOptions http_options;
  std::string log_level = "info";
};

int usage(const char* problem) {
  std::fprintf(
      stderr,
      "lmhunt_conformance_server: %s\n"
      "usage: lmhunt_conformance_server [--http HOST:PORT | --stdio] [--log-level LEVEL]\n",
      problem);
  return 2;
}

bool parse_host_port(const std::string& text, std::string& host, int& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size() || colon + 6 < text.size() ||
      text.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return false;
  }
  port = std::stoi(text.substr(colon + 1));
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "127.0.0.1";
  return port <= 65535;
}

// stop_signals: SIGINT and SIGTERM stop the HTTP server; SIGUSR1 is our own
// "run() has returned" that ends the waiting thread.
sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  return signals;
}

// serve_http runs until SIGINT or SIGTERM, which a dedicated thread takes with
// sigwait (so that stop() never runs inside a signal handler).
int serve_http(mcp::Server& server, mcp::Executor& executor, const Options& options) {
  mcp::HttpServerTransport http(server, executor, options.http_options);
  if (auto bound = http.bind(); !bound) {
    spdlog::error("cannot serve HTTP: {}", bound.error().message);
    return 1;
  }
  const std::string& host = options.http_options.host;
  const bool v6 = host.find(':') != std::string::npos;
  std::fprintf(stderr, "lmhunt_conformance_server listening on http://%s%s%s:%d%s\n", v6 ? "[" : "",
               host.c_str(), v6 ? "]" : "", http.port(), options.http_options.endpoint.c_str());
  std::fflush(stderr);
  const sigset_t signals = stop_signals();
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    if (received != SIGUSR1) http.stop();
  });
  http.run();
  pthread_kill(waiter.native_handle(), SIGUSR1);
  waiter.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool stdio = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--http" && i + 1 < argc) {
      if (!parse_host_port(argv[++i], options.http_options.host, options.http_options.port)) {
        return usage("--http needs HOST:PORT, e.g. 127.0.0.1:0");
      }
      options.http = true;
    } else if (flag == "--stdio") {
      stdio = true;
    } else if (flag == "--log-level" && i + 1 < argc) {
      options.log_level = argv[++i];
    } else {
      return usage(("unknown or incomplete option " + flag).c_str());
    }
  }
  if (stdio && options.http) return usage("choose one of --http and --stdio");

  // Logs go to stderr: stdout carries the stdio frames.
  spdlog::set_default_logger(spdlog::stderr_color_mt("conformance"));
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  // Block the stop signals before any thread starts, so every thread inherits
  // the mask and serve_http's waiter is the only one to take them.
  if (options.http) {
    const sigset_t signals = stop_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  }

  mcp::ServerOptions server_options;
  server_options.info = {"lmhunt-conformance-server", LMHUNT_CONFORMANCE_VERSION,
                         "lmhunt MCP core — conformance fixtures"};
  mcp::Server server(std::move(server_options));
  if (auto added = conformance::add_fixtures(server); !added) {
    spdlog::critical("fixtures not registered: {}", added.error().message);
    return 1;
  }

  mcp::Executor executor;
  if (options.http) return serve_http(server, executor, options);
  return mcp::serve_stdio(server, executor);
}
