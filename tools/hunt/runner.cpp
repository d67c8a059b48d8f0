// runner.cpp — HuntRunner: the step sequence, steps 1 (validate), 3 (plan) and 11 (complete),
// the dry run, and the helpers the other runner_*.cpp steps share (runner.hpp).
#include "tools/hunt/runner.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <random>
#include <string_view>
#include <thread>

#include <spdlog/spdlog.h>

#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/report.hpp"

namespace hunt {
namespace {

using std::chrono::steady_clock;

std::int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t ms_since(steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - t).count();
}

bool ran(const QueryOutcome& q) {
  return q.status == "ok" || q.status == "empty" || q.status == "truncated";
}

}  // namespace

const std::vector<std::string>& hunt_steps() {
  static const std::vector<std::string> steps = {
      "validate", "research",      "plan",     "execute",  "correlate", "analyse",
      "enrich",   "related_cases", "document", "escalate", "complete"};
  return steps;
}

std::string new_hunt_id() {
  static std::mutex mu;
  static std::mt19937_64 random{std::random_device{}()};
  std::uint64_t bits;
  {
    std::lock_guard lock(mu);
    bits = random();
  }
  std::string stamp = format_time(epoch_seconds(std::chrono::system_clock::now()));
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06llx",
                static_cast<unsigned long long>(bits & 0xffffffULL));
  return "hunt-" + stamp + "-" + suffix;
}

HuntRunner::HuntRunner(HuntEnv env, HuntArgs args, std::string hunt_id)
    : env_(std::move(env)), args_(std::move(args)), hunt_id_(std::move(hunt_id)) {
  // The clock starts when the runner is made (just before run()), so snapshot() never reads a
  // value run() is writing.
  started_ = steady_clock::now();
  deadline_ = started_ + std::chrono::seconds(std::max(env_.settings.hunt_deadline_seconds, 1));
  result_.hunt_id = hunt_id_;
  result_.status = "running";
  result_.hours = args_.time_frame_hours;
  result_.scope = args_.target_scope_query;
  result_.scope_note = args_.scope_note;
  result_.hypothesis = args_.hunt_hypothesis;
  result_.techniques = args_.techniques.empty() ? all_families() : args_.techniques;
  result_.downstream_description = env_.downstream.description;
}

downstream::CallContext HuntRunner::call_context() const {
  downstream::CallContext ctx;
  ctx.deadline = std::min(
      steady_clock::now() + std::chrono::seconds(std::max(env_.settings.call_timeout_seconds, 1)),
      deadline_);
  ctx.stop = stop_.get_token();
  ctx.log = &log_;
  return ctx;
}

std::string HuntRunner::stop_reason() const {
  if (cancelled_.load()) return "cancelled";
  if (steady_clock::now() >= deadline_) return "hunt deadline passed";
  return {};
}

void HuntRunner::warn(std::string warning) {
  update([&](HuntResult& r) {
    if (std::find(r.warnings.begin(), r.warnings.end(), warning) == r.warnings.end()) {
      r.warnings.push_back(std::move(warning));
    }
  });
}

HuntResult HuntRunner::snapshot() const {
  HuntResult copy;
  {
    std::lock_guard lock(mu_);
    copy = result_;
  }
  if (copy.calls.empty()) copy.calls = log_.snapshot();
  copy.downstream_bytes = log_.total_response_bytes();
  if (copy.status == "running") copy.runtime_ms = ms_since(started_);
  return copy;
}

HuntResult HuntRunner::run(std::stop_token stop) noexcept {
  std::stop_callback on_stop(stop, [this] {
    cancelled_ = true;
    stop_.request_stop();
  });
  update([](HuntResult& r) {
    r.started_at = format_time(epoch_seconds(std::chrono::system_clock::now()));
  });
  try {
    if (args_.dry_run) {
      run_dry();
    } else {
      run_steps();
    }
  } catch (const std::exception& e) {
    // A bug in a stage must not take the server down: the hunt ends as failed and says why.
    spdlog::error("hunt {} failed: {}", hunt_id_, e.what());
    update([&](HuntResult& r) {
      r.status = "failed";
      if (r.verdict.empty() || r.verdict == "no_findings") r.verdict = "inconclusive";
      r.verdict_reason = std::string("internal error: ") + e.what();
    });
  }
  return snapshot();
}

void HuntRunner::run_steps() {
  // Plain function pointers rather than pointers to member functions: GCC 12's UBSan
  // (-fsanitize=bounds) misreads a call through an array of member-function pointers as an
  // out-of-bounds index, which fails the sanitizer gate. Same order as hunt_steps().
  using Step = void (*)(HuntRunner&);
  static constexpr Step steps[] = {
      [](HuntRunner& h) { h.step_validate(); },  [](HuntRunner& h) { h.step_research(); },
      [](HuntRunner& h) { h.step_plan(); },      [](HuntRunner& h) { h.step_execute(); },
      [](HuntRunner& h) { h.step_correlate(); }, [](HuntRunner& h) { h.step_analyse(); },
      [](HuntRunner& h) { h.step_enrich(); },    [](HuntRunner& h) { h.step_related_cases(); },
      [](HuntRunner& h) { h.step_document(); },  [](HuntRunner& h) { h.step_escalate(); },
      [](HuntRunner& h) { h.step_complete(); }};
  const auto& names = hunt_steps();
  if (std::size(steps) != names.size()) throw std::logic_error("hunt steps and names differ");
  // Two steps run on their own thread beside others, because nothing in between needs them:
  // - research feeds only the report, so it runs beside plan and execute (the runbook's
  //   "research ∥ searches") and is joined before correlate;
  // - related cases needs only the findings' entities (not their enrichment), so it runs beside
  //   enrich and is joined before document, which needs both.
  // Each step's own parallel_for keeps its calls within `concurrency`, as every step's do.
  struct Beside {
    std::string_view step, start_with, join_before;
  };
  static constexpr Beside kBeside[] = {{"research", "research", "correlate"},
                                       {"related_cases", "enrich", "document"}};
  struct Background {
    std::exception_ptr error;            // declared first: outlives the thread that writes it
    std::optional<std::jthread> thread;  // joins on destruction, also when a step throws
  };
  std::map<std::string_view, Background> background;
  auto join = [&](std::string_view step) {
    auto it = background.find(step);
    if (it == background.end() || !it->second.thread) return;
    it->second.thread.reset();  // joins
    if (it->second.error) std::rethrow_exception(it->second.error);
  };
  auto index_of = [&](std::string_view step) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), step) - names.begin());
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (progress_) {
      progress_(
          names[i], static_cast<double>(i) / static_cast<double>(names.size()),
          "Step " + std::to_string(i + 1) + "/" + std::to_string(names.size()) + ": " + names[i]);
    }
    for (const auto& b : kBeside) {
      if (b.join_before == names[i]) join(b.step);
    }
    for (const auto& b : kBeside) {
      if (b.start_with != names[i]) continue;
      const std::size_t step = index_of(b.step);
      auto& slot = background[b.step];
      slot.thread.emplace([this, &slot, step, name = names[step], t0 = steady_clock::now()] {
        try {
          steps[step](*this);
        } catch (...) {
          slot.error = std::current_exception();
        }
        const auto elapsed = ms_since(t0);
        update([&](HuntResult& r) { r.timings_ms[name] = elapsed; });
      });
    }
    if (background.contains(names[i])) continue;  // started above or earlier
    const auto t0 = steady_clock::now();
    steps[i](*this);
    const auto elapsed = ms_since(t0);
    update([&](HuntResult& r) { r.timings_ms[names[i]] = elapsed; });
  }
  for (const auto& b : kBeside) join(b.step);
  if (progress_) progress_("complete", 1.0, "Hunt " + snapshot().status);
}

// ---- step 1: validate ----------------------------------------------------------------------

void HuntRunner::step_validate() {
  const std::int64_t now = hunt_now(env_.settings);
  std::vector<downstream::ServerHealth> health;
  if (env_.downstream.health) health = env_.downstream.health();
  update([&](HuntResult& r) {
    if (args_.start_time) {
      r.time_start = *args_.start_time;
      r.time_end = args_.end_time.value_or(format_time(now));
    } else {
      r.time_start = format_time(now - std::int64_t{3600} * args_.time_frame_hours);
      r.time_end = format_time(now);
    }
    r.servers = std::move(health);
  });
  if (!env_.catalog || env_.catalog->empty()) warn("The detection catalog is empty.");
  if (!env_.downstream.siem) {
    warn("No SIEM server is configured (secops-mcp or the remote SecOps server): no search ran.");
  }
  if (!env_.downstream.threat_intel) {
    warn("No threat-intelligence server (gti-mcp) is configured: IOCs were not enriched.");
  }
  if (!env_.downstream.soar) {
    warn("No SOAR server (secops-soar) is configured: no related cases, comment or escalation.");
  }
}

// ---- step 3: plan ---------------------------------------------------------------------------

void HuntRunner::step_plan() {
  static const std::vector<CatalogEntry> kEmpty;
  plan_ = plan_searches(env_.catalog ? *env_.catalog : kEmpty, args_);
  update([&](HuntResult& r) {
    r.queries.clear();
    for (const auto& p : plan_) r.queries.push_back(p.outcome);
  });
}

// ---- dry run ----------------------------------------------------------------------------------

void HuntRunner::run_dry() {
  step_validate();
  step_plan();
  auto planned_call = [](std::string server, std::string tool, Json arguments) {
    downstream::CallRecord c;
    c.server = std::move(server);
    c.tool = std::move(tool);
    c.arguments = std::move(arguments);
    c.outcome = "planned";
    c.started = std::chrono::system_clock::now();
    return c;
  };
  std::vector<downstream::CallRecord> calls;
  std::vector<Research> research;
  for (const auto& technique : research_techniques(args_.techniques)) {
    calls.push_back(
        planned_call("siem", "get_threat_intel", {{"query", research_question(technique)}}));
    research.push_back({technique, "planned", ""});
  }
  for (const auto& p : plan_) {
    if (p.outcome.status != "planned") continue;
    Json arguments = {{"query", p.request.query}, {"max_events", p.request.max_events}};
    if (p.request.hours_back) arguments["hours_back"] = *p.request.hours_back;
    if (p.request.start_time) arguments["start_time"] = *p.request.start_time;
    if (p.request.end_time) arguments["end_time"] = *p.request.end_time;
    calls.push_back(planned_call("siem", "search_udm", std::move(arguments)));
  }
  calls.push_back(planned_call("soar", "list_cases", Json::object()));
  const std::string case_text = args_.case_id.empty() ? "<related open case>" : args_.case_id;
  calls.push_back(planned_call("soar", "post_case_comment",
                               {{"case_id", case_text}, {"comment", comment_marker(hunt_id_)}}));
  update([&](HuntResult& r) {
    r.research = std::move(research);
    r.calls = std::move(calls);
    r.status = "planned";
    r.verdict = "";
    r.verdict_reason = "Dry run: nothing was searched.";
    r.documentation.status = "planned";
    r.documentation.case_id = args_.case_id;
    r.documentation.case_source = args_.case_id.empty() ? "" : "argument";
    r.documentation.detail =
        "Would post the hunt comment to " +
        (args_.case_id.empty() ? std::string("the best related open case, if any") : case_text);
    r.escalation.action = "planned";
    r.escalation.reason =
        "Would raise the case priority to PriorityHigh if lateral movement is confirmed.";
    r.finished_at = format_time(epoch_seconds(std::chrono::system_clock::now()));
    r.runtime_ms = ms_since(started_);
  });
}

// ---- step 11: complete --------------------------------------------------------------------

void HuntRunner::step_complete() {
  const bool cancelled = cancelled_.load();
  // The servers as the hunt leaves them: a server that failed to start shows its reason here,
  // not the "not_started" of the first step.
  std::vector<downstream::ServerHealth> health;
  if (env_.downstream.health) health = env_.downstream.health();
  update([&](HuntResult& r) {
    if (!health.empty()) r.servers = std::move(health);
    const bool any_detection_ran = std::any_of(r.queries.begin(), r.queries.end(), [](auto& q) {
      return q.purpose == "detection" && ran(q);
    });
    const bool scoped_and_empty = !r.scope.empty() && any_detection_ran &&
                                  std::none_of(r.queries.begin(), r.queries.end(), [](auto& q) {
                                    return q.purpose == "detection" && q.events > 0;
                                  });
    if (scoped_and_empty) {
      r.warnings.push_back(
          "The target scope matched no event in any search. Check its values: host names are "
          "often logged as FQDNs (WKS-07.corp.example.com), so prefer a regex such as "
          "principal.hostname = /^wks-07(\\.|$)/ nocase.");
    }
    // A warning about an optional step that is not configured (the identity-provider lookup)
    // does not make a hunt partial; every other warning names work that did not happen.
    bool degraded = std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
      return !w.starts_with(kOptionalStepNotConfigured);
    });
    for (const auto& q : r.queries) degraded |= !ran(q);
    for (const auto& x : r.research) degraded |= x.outcome != "ok" && x.outcome != "cached";
    for (const auto& e : r.entities) {
      degraded |=
          !e.siem_outcome.empty() && e.siem_outcome != "ok" && e.siem_outcome != "not_found";
      degraded |=
          !e.intel_outcome.empty() && e.intel_outcome != "ok" && e.intel_outcome != "not_found";
    }
    degraded |= r.documentation.status == "failed" || r.escalation.action == "failed";
    if (cancelled) {
      r.status = "cancelled";
    } else if (!any_detection_ran) {
      r.status = "failed";
    } else {
      r.status = degraded ? "partial" : "completed";
    }
    if (!any_detection_ran && (r.verdict.empty() || r.verdict == "no_findings")) {
      // Never "no findings" when nothing was searched, whatever the analysis said.
      r.verdict = "inconclusive";
      r.verdict_reason = "No detection query ran, so nothing can be concluded.";
    }
    r.finished_at = format_time(epoch_seconds(std::chrono::system_clock::now()));
    r.runtime_ms = ms_since(started_);
  });
}

std::int64_t hunt_now(const HuntSettings& settings) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         settings.clock_offset_seconds;
}

}  // namespace hunt
