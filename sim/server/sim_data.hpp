// sim_data.hpp — loading lmhunt-sim's stores from files, or from the bundled demo enterprise when
// no --events are given.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcp/result.hpp"
#include "sim/case_store.hpp"
#include "sim/event_store.hpp"
#include "sim/ioc_store.hpp"

namespace sim {

struct SimOptions;

// SimData owns the stores a SimContext points at.
struct SimData {
  EventStore events;
  IocStore iocs;
  std::unique_ptr<CaseStore> cases;
  bool demo = false;                  // the bundled demo enterprise was loaded
  std::optional<TimePoint> demo_end;  // the demo's fixed end time
};

// load_sim_data fills data as the options say (see docs/lmhunt-sim.md). Errors (a file that loads
// nothing, an unreadable IOC or seed file, a database that cannot be opened) name the file; each
// problem is also logged. The event store is finalized on success.
mcp::Status load_sim_data(const SimOptions& options, SimData& data);

// clock_anchor resolves --now: an ISO 8601 time, "latest" (one second after the newest event; the
// demo's end time, or the wall clock, when there are no events) or "wall". nullopt for bad text.
std::optional<TimePoint> clock_anchor(const std::string& now, const SimData& data);

// load_event_files loads each file into store, logging every load error; returns the files that
// loaded nothing (the others still load).
std::vector<std::string> load_event_files(const std::vector<std::string>& files, EventStore& store);

}  // namespace sim
