// settings.hpp — the knobs a hunt runs with (the `lmhunt` section of the downstream config, plus
// hunt-only limits). The application fills HuntSettings from downstream::Settings; tests build it
// directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hunt {

struct HuntSettings {
  int concurrency = 8;              // downstream calls in flight per step (issue 5: default 8)
  int call_timeout_seconds = 60;    // one downstream operation, retries included
  int hunt_deadline_seconds = 900;  // the whole hunt; remaining work is marked not_run: deadline
  int max_events_per_query = 200;   // default for the max_events_per_query argument
  std::vector<std::string> admin_sources;  // merged with the admin_sources argument
  std::string spool_dir;  // where undeliverable comments go; "" = default_spool_dir()
  int research_cache_ttl_seconds = 3600;
  std::size_t max_correlation_targets = 10;     // step 5: target hosts correlated
  std::chrono::minutes correlation_window{30};  // step 5: ± around the target's activity
  std::size_t max_entities = 20;                // step 7: entities enriched
  std::size_t max_case_confirmations = 5;       // step 8: get_case calls for candidates
  int fan_out_threshold = 3;                    // analysis: distinct targets that make fan-out
  std::size_t keep_finished_hunts = 50;         // HuntJobs: finished hunts kept as resources
  // clock_offset_seconds shifts the hunt's "now" (the end of its time range) from the system
  // clock: set when the SIEM keeps its own clock (lmhunt-sim over recorded logs or the demo, whose
  // --now lies in the past), so the reported range is the range the SIEM searched.
  std::int64_t clock_offset_seconds = 0;
};

// hunt_now is the hunt's current time in epoch seconds: the system clock plus the offset.
std::int64_t hunt_now(const HuntSettings& settings);

// default_spool_dir is $XDG_STATE_HOME/lmhunt/spool, else ~/.local/state/lmhunt/spool, else
// ./lmhunt-spool when neither variable is set.
std::string default_spool_dir();

}  // namespace hunt
