// sim_context.hpp — what lmhunt-sim's tools read and write: the event store (secops-mcp), the IOC
// store (gti-mcp, get_ioc_matches), the case store (secops-soar, get_security_alerts) and the
// simulated clock. The stores outlive the server; absent ones are null.
#pragma once

#include <chrono>

#include "sim/case_store.hpp"
#include "sim/event_store.hpp"
#include "sim/ioc_store.hpp"

namespace sim {

// SimClock starts at `anchor` and advances with real time, so "now" in the simulated SecOps
// world is anchor + time since start.
class SimClock {
 public:
  explicit SimClock(TimePoint anchor = std::chrono::time_point_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now()))
      : anchor_(anchor), started_(std::chrono::steady_clock::now()) {}
  TimePoint now() const {
    return anchor_ + std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started_);
  }

 private:
  TimePoint anchor_;
  std::chrono::steady_clock::time_point started_;
};

struct SimContext {
  const EventStore* events = nullptr;
  const IocStore* iocs = nullptr;
  CaseStore* cases = nullptr;
  SimClock clock;
};

}  // namespace sim
