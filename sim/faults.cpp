// faults.cpp — the fault-injecting handler wrapper.
#include "sim/faults.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>

namespace sim {

bool wait_or_stop(std::stop_token stop, long ms) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, std::chrono::milliseconds(ms), [] { return false; });
  return !stop.stop_requested();
}

double Faults::draw() {
  std::lock_guard lock(rng_mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

mcp::ToolHandler Faults::wrap(const std::string& tool, bool soar_tool, mcp::ToolHandler inner) {
  return [this, tool, soar_tool, inner = std::move(inner)](
             const mcp::Json& arguments, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
    const long n = ++calls_;
    if (options_.crash_after >= 0 && n > options_.crash_after) {
      std::fprintf(stderr, "lmhunt-sim: --crash-after %ld: exiting in call %ld (%s)\n",
                   options_.crash_after, n, tool.c_str());
      std::fflush(stderr);
      _exit(1);  // mid-call, without answering, as a crashing server would
    }
    if (tool == options_.hang_tool) {
      spdlog::info("--hang-tool: {} will not answer until cancelled", tool);
      while (wait_or_stop(ctx.stop_token(), 3'600'000)) {
      }
      return mcp::Error{-32800, "Request cancelled"};  // not sent: the call was cancelled
    }
    long delay = options_.latency_ms;
    if (options_.jitter_ms > 0) delay += static_cast<long>(draw() * (options_.jitter_ms + 1));
    if (delay > 0 && !wait_or_stop(ctx.stop_token(), delay)) {
      return mcp::Error{-32800, "Request cancelled"};
    }
    if (options_.fail_rate > 0 && draw() < options_.fail_rate) {
      return mcp::ToolResult::error("Error executing tool " + tool + ": injected failure");
    }
    if (soar_tool && options_.empty_soar) return mcp::ToolResult{};
    return inner(arguments, ctx);
  };
}

}  // namespace sim
