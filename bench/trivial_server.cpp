// lmhunt_bench_server: the benchmark's server under test. One trivial tool,
// `echo` {text} → a text block with the same text, on our MCP core, served
// over stdio (default) or Streamable HTTP (`--http HOST:PORT`; port 0 picks a
// free one). In HTTP mode the first line on stdout is the endpoint URL, which
// bench/mcp_load reads; SIGINT/SIGTERM stop the server. Logs go to stderr at
// warning level so that they cost nothing per request.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "echo_tool.hpp"
#include "mcp/server.hpp"
#include "mcp/transport_stdio.hpp"
#if LMHUNT_BENCH_HTTP
#include <pthread.h>

#include "mcp/transport_http_server.hpp"
#endif

namespace {

constexpr const char* kUsage = "usage: lmhunt_bench_server [--http HOST:PORT]\n";

#if LMHUNT_BENCH_HTTP
int serve_http(mcp::Server& server, mcp::Executor& executor, const std::string& host_port) {
  mcp::HttpServerOptions options;
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (colon > 0) options.host = host_port.substr(0, colon);
  options.port = std::stoi(host_port.substr(colon + 1));
  options.legacy_sse = false;

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  mcp::HttpServerTransport http(server, executor, options);
  if (auto bound = http.bind(); !bound) {
    std::fprintf(stderr, "lmhunt_bench_server: %s\n", bound.error().message.c_str());
    return 1;
  }
  std::printf("http://%s:%d%s\n", options.host.c_str(), http.port(), options.endpoint.c_str());
  std::fflush(stdout);
  std::thread stopper([&http, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    http.stop();
  });
  http.run();
  // run() may also end on its own; wake the stopper so it can be joined.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_logger_mt("bench"));
  spdlog::set_level(spdlog::level::warn);

  mcp::ServerOptions options;
  options.info = {"lmhunt-bench", "0.1.0", "lmhunt benchmark server"};
  mcp::Server server(std::move(options));
  if (auto added = bench::add_echo_tool(server); !added) {
    std::fprintf(stderr, "lmhunt_bench_server: %s\n", added.error().message.c_str());
    return 1;
  }
  mcp::Executor executor;

  const std::string flag = argc > 1 ? argv[1] : "";
  if (argc == 1) return mcp::serve_stdio(server, executor);
  if (flag == "--http" && argc == 3) {
#if LMHUNT_BENCH_HTTP
    return serve_http(server, executor, argv[2]);
#else
    std::fputs("lmhunt_bench_server: built without the HTTP server transport\n", stderr);
    return 1;
#endif
  }
  std::fputs(kUsage, stderr);
  return 2;
}
