// runner.hpp — HuntRunner: the orchestrator of one lateral_movement_hunt (issue 5, steps 1–11 of
// the runbook in reference/runbook.md).
//
// A runner is made per hunt and run once, on the caller's thread. Steps fill a shared HuntResult
// as they go, so snapshot() returns a consistent partial result from any thread at any time.
// Every downstream call gets a CallContext with the hunt's stop token and a deadline (the sooner
// of the per-call timeout and the hunt deadline). Nothing that did not run is ever reported as
// "no findings": unrun work is recorded as not_run with the reason.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "tools/downstream/facades.hpp"
#include "tools/hunt/model.hpp"
#include "tools/hunt/plan.hpp"
#include "tools/hunt/research_cache.hpp"
#include "tools/hunt/settings.hpp"

namespace hunt {

// HuntEnv is what every hunt of a server shares: the downstream facades (any may be null), the
// parsed catalog, the settings, and the research cache (may be null: no caching).
struct HuntEnv {
  downstream::Downstream downstream;
  std::shared_ptr<const std::vector<CatalogEntry>> catalog;
  HuntSettings settings;
  std::shared_ptr<ResearchCache> research_cache;
};

// kOptionalStepNotConfigured starts warnings about optional steps that are not configured; they
// do not make a hunt "partial".
inline constexpr const char* kOptionalStepNotConfigured = "Optional step not configured: ";

// hunt_steps names the steps in order, as timings_ms and progress messages spell them.
const std::vector<std::string>& hunt_steps();

// new_hunt_id returns a fresh id, "hunt-20250504T003200Z-1a2b3c" (no '/', usable in a URI).
std::string new_hunt_id();

// ProgressFn receives the step starting, the fraction of the hunt done (0..1) and a message.
using ProgressFn =
    std::function<void(const std::string& step, double fraction, const std::string& message)>;

class HuntRunner {
 public:
  HuntRunner(HuntEnv env, HuntArgs args, std::string hunt_id);
  HuntRunner(const HuntRunner&) = delete;
  HuntRunner& operator=(const HuntRunner&) = delete;

  // set_progress must be called before run().
  void set_progress(ProgressFn progress) { progress_ = std::move(progress); }

  // run executes the hunt (or, for dry_run, only the plan) and returns the final result. `stop`
  // cancels it: calls in flight are cancelled, work not started is recorded as not_run:
  // cancelled and the status is "cancelled". Never throws.
  HuntResult run(std::stop_token stop) noexcept;

  // snapshot is the result so far (status "running" until run() returns). Thread-safe.
  HuntResult snapshot() const;

  const std::string& hunt_id() const { return hunt_id_; }
  const HuntArgs& args() const { return args_; }

 private:
  // Steps (runner.cpp, runner_search.cpp, runner_enrich.cpp, runner_document.cpp).
  void step_validate();
  void step_research();
  void step_plan();
  void step_execute();
  void step_correlate();
  void step_analyse();
  void step_enrich();
  void step_related_cases();
  void step_document();
  void step_escalate();
  void step_complete();
  void run_dry();
  void run_steps();

  // Helpers shared by the steps.
  downstream::CallContext call_context() const;
  // stop_reason is "" while the hunt may go on, else "cancelled" or "hunt deadline passed".
  std::string stop_reason() const;
  void warn(std::string warning);
  std::string spool_comment(const std::string& case_id, const std::string& comment,
                            std::string& error) const;
  std::string soar_unreachable() const;
  template <class Fn>
  void update(Fn&& fn) {
    std::lock_guard lock(mu_);
    fn(result_);
  }

  HuntEnv env_;
  HuntArgs args_;
  std::string hunt_id_;
  ProgressFn progress_;

  std::stop_source stop_;
  std::atomic<bool> cancelled_{false};
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point deadline_;
  mutable downstream::CallLog log_;  // internally synchronised; call_context() hands it out

  mutable std::mutex mu_;
  HuntResult result_;

  // Owned by the run() thread only.
  std::vector<PlannedSearch> plan_;
  std::vector<Evidence> evidence_;
  // soar_problem_ is why the SOAR could not be used in this hunt ("" while it answered or was not
  // asked): a comment with no case is then spooled rather than dropped (issue 7).
  std::string soar_problem_;
};

}  // namespace hunt
