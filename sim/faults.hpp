// faults.hpp — lmhunt-sim's fault injection, so clients can be tested against the ways real
// downstream servers misbehave: slow calls, random failures, a crash mid-session, a call that never
// answers, non-JSON lines on stdout (garbage_stdout is applied by the stdio transport in main)
// and secops-soar's silent empty results.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "mcp/server.hpp"

namespace sim {

struct FaultOptions {
  int latency_ms = 0;      // every tool call takes at least this long (cancellable)
  int jitter_ms = 0;       // plus a uniformly drawn 0..jitter_ms
  double fail_rate = 0;    // probability (0..1) that a call fails with an injected isError result
  std::uint64_t seed = 1;  // PRNG seed for jitter and failures (runs are reproducible)
  long crash_after = -1;   // the call after this many tool calls exits the process with status 1
  std::string hang_tool;   // this tool never answers (until the client cancels the call)
  bool garbage_stdout = false;  // non-JSON lines on stdout between frames (stdio only)
  bool empty_soar = false;      // every secops-soar tool returns content: [] (its silent failure)
};

// Faults decorates tool handlers with the configured faults. Thread-safe.
class Faults {
 public:
  explicit Faults(FaultOptions options) : options_(std::move(options)), rng_(options_.seed) {}

  // wrap returns a handler that applies the faults, in this order: crash, hang, latency,
  // injected failure, empty SOAR result (soar_tool only), then runs `inner`.
  mcp::ToolHandler wrap(const std::string& tool, bool soar_tool, mcp::ToolHandler inner);

  const FaultOptions& options() const { return options_; }
  long calls() const { return calls_.load(); }

 private:
  // draw returns a uniform number in [0, 1).
  double draw();

  FaultOptions options_;
  std::atomic<long> calls_{0};
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

// wait_or_stop waits ms milliseconds, or until stop is requested; false when stopped.
bool wait_or_stop(std::stop_token stop, long ms);

}  // namespace sim
