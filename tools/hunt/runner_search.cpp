// runner_search.cpp — HuntRunner steps 2 (research), 4 (execute), 5 (correlate) and 6 (analyse).
#include <algorithm>
#include <mutex>

#include "tools/hunt/analysis.hpp"
#include "tools/hunt/correlate.hpp"
#include "tools/hunt/evidence.hpp"
#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/parallel.hpp"
#include "tools/hunt/runner.hpp"
#include "udm/query.hpp"

namespace hunt {
namespace {

using std::chrono::steady_clock;

constexpr std::size_t kResearchSummaryChars = 600;

std::int64_t ms_since(steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - t).count();
}

// describe_error is "kind: message" for a facade error.
std::string describe_error(const mcp::Error& e) {
  return std::string(downstream::error_kind(e.code)) + ": " + e.message;
}

// first_sentences keeps the opening of a research answer, cut at a sentence end when possible.
std::string first_sentences(const std::string& text) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  if (flat.size() <= kResearchSummaryChars) return flat;
  const auto cut = flat.rfind(". ", kResearchSummaryChars);
  if (cut != std::string::npos && cut > kResearchSummaryChars / 3) return flat.substr(0, cut + 1);
  return truncate_text(flat, kResearchSummaryChars);
}

// SearchOutcome is one search as it ran: the outcome record and the events it returned.
struct SearchOutcome {
  QueryOutcome outcome;
  std::vector<Json> events;
};

}  // namespace

// ---- step 2: research -----------------------------------------------------------------------

void HuntRunner::step_research() {
  const auto techniques = research_techniques(args_.techniques);
  std::vector<Research> research(techniques.size());
  auto& siem = env_.downstream.siem;
  parallel_for(techniques.size(), env_.settings.concurrency, [&](std::size_t i) {
    Research& r = research[i];
    r.technique = techniques[i];
    const std::string question = research_question(r.technique);
    if (auto cached = env_.research_cache ? env_.research_cache->get(question) : std::nullopt) {
      r.outcome = "cached";
      r.summary = first_sentences(*cached);
      return;
    }
    if (!siem) {
      r.outcome = "not_configured";
      r.summary = "No SIEM server offers get_threat_intel.";
      return;
    }
    if (auto why = stop_reason(); !why.empty()) {
      r.outcome = "not_run";
      r.summary = why;
      return;
    }
    auto answer = siem->get_threat_intel(question, call_context());
    if (!answer) {
      r.outcome = downstream::error_kind(answer.error().code);
      r.summary = answer.error().message;
      return;
    }
    r.outcome = "ok";
    r.summary = first_sentences(answer.value());
    if (env_.research_cache) env_.research_cache->put(question, answer.value());
  });
  std::size_t failed = 0;
  for (const auto& r : research) failed += r.outcome != "ok" && r.outcome != "cached";
  update([&](HuntResult& r) { r.research = std::move(research); });
  if (failed > 0) {
    warn("Technique research failed for " + std::to_string(failed) +
         " technique(s); the hunt went on with the catalog's built-in knowledge.");
  }
}

// ---- step 4: execute --------------------------------------------------------------------------

namespace {

// run_search sends one planned search and records what happened.
SearchOutcome run_search(downstream::Siem* siem, const PlannedSearch& p,
                         const std::optional<udm::Query>& scope, const downstream::CallContext& ctx,
                         const std::string& stop_reason) {
  SearchOutcome out{p.outcome, {}};
  QueryOutcome& q = out.outcome;
  if (q.status == "not_run") return out;  // refused at plan time; the reason is already there
  if (!siem) {
    q.status = "not_run";
    q.error = "no SIEM server is configured";
    return out;
  }
  if (!stop_reason.empty()) {
    q.status = "not_run";
    q.error = stop_reason;
    return out;
  }
  const auto t0 = steady_clock::now();
  const std::string nl = p.entry ? p.entry->natural_language : std::string();
  auto result = siem->search(p.request, nl, ctx);
  q.duration_ms = ms_since(t0);
  if (!result) {
    const int code = result.error().code;
    const bool never_sent = code == downstream::kNotConfigured || code == downstream::kRefused;
    q.status = code == downstream::kCancelled ? "not_run" : (never_sent ? "not_run" : "error");
    q.error = code == downstream::kCancelled ? "cancelled" : describe_error(result.error());
    return out;
  }
  q.tool = result->tool;
  out.events = std::move(result->events);
  if (result->tool == "search_security_events" && scope) {
    // The natural-language fallback cannot carry the scope: apply it here so the hunt stays
    // inside what the caller asked for.
    std::erase_if(out.events, [&](const Json& e) { return !udm::matches(*scope, e); });
    q.error =
        "ran as natural language via search_security_events (translated: " + result->udm_query +
        "); scope applied to the results";
  }
  q.events = out.events.size();
  q.status = result->more_data_available ? "truncated" : (out.events.empty() ? "empty" : "ok");
  return out;
}

}  // namespace

void HuntRunner::step_execute() {
  std::vector<SearchOutcome> outcomes(plan_.size());
  std::mutex evidence_mu;
  parallel_for(plan_.size(), env_.settings.concurrency, [&](std::size_t i) {
    outcomes[i] = run_search(env_.downstream.siem.get(), plan_[i], args_.scope, call_context(),
                             stop_reason());
    std::vector<Evidence> found;
    for (const auto& event : outcomes[i].events) {
      found.push_back(to_evidence(event, *plan_[i].entry));
    }
    update([&](HuntResult& r) { r.queries[i] = outcomes[i].outcome; });
    std::lock_guard lock(evidence_mu);
    for (auto& e : found) evidence_.push_back(std::move(e));
  });
  // Keep evidence in time order whatever order the searches finished in.
  std::stable_sort(evidence_.begin(), evidence_.end(),
                   [](const Evidence& a, const Evidence& b) { return a.time < b.time; });
}

// ---- step 5: correlate ------------------------------------------------------------------------

void HuntRunner::step_correlate() {
  const auto targets = correlation_targets(evidence_, env_.settings.max_correlation_targets);
  struct Correlation {
    CorrelationQuery query;
    std::optional<CatalogEntry> entry;
    PlannedSearch search;
  };
  std::vector<Correlation> work;
  for (const auto& target : targets) {
    for (auto& q : correlation_queries(target, env_.settings.correlation_window)) {
      Correlation c;
      QueryOutcome& o = c.search.outcome;
      o.id = q.id;
      o.title = q.title;
      o.family = "fan_out";
      o.technique = "T1021.002";
      o.purpose = "correlation";
      o.query = q.query;
      o.status = "planned";
      auto parsed = udm::parse(q.query);
      if (!parsed) {
        c.search.outcome.status = "not_run";
        c.search.outcome.error =
            "correlation query is not valid UDM Search " + parsed.error().describe();
      } else {
        c.entry = CatalogEntry{.id = q.id,
                               .title = q.title,
                               .technique = "T1021.002",
                               .techniques = {"T1021.002"},
                               .family = "fan_out",
                               .role = "context",
                               .query = q.query,
                               .parsed = std::move(parsed).value(),
                               .natural_language = {},
                               .runbook_query = {},
                               .rationale = {},
                               .false_positives = {},
                               .weight = 0,
                               .extract = {}};
      }
      c.search.request.query = q.query;
      c.search.request.start_time = q.start_time;
      c.search.request.end_time = q.end_time;
      c.search.request.max_events = args_.max_events_per_query;
      c.query = std::move(q);
      work.push_back(std::move(c));
    }
  }
  if (work.empty()) return;
  std::size_t first = 0;
  update([&](HuntResult& r) {
    first = r.queries.size();
    for (const auto& c : work) r.queries.push_back(c.search.outcome);
  });
  std::vector<Evidence> correlated;
  std::mutex mu;
  parallel_for(work.size(), env_.settings.concurrency, [&](std::size_t i) {
    Correlation& c = work[i];
    c.search.entry = c.entry ? &*c.entry : nullptr;
    // Correlation queries target hosts already inside the scope; the scope itself (often a
    // principal host) would hide the inbound connections they look for, so it is not applied.
    auto out = run_search(env_.downstream.siem.get(), c.search, std::nullopt, call_context(),
                          stop_reason());
    std::vector<Evidence> found;
    if (c.entry) {
      for (const auto& event : out.events) found.push_back(to_evidence(event, *c.entry));
    }
    update([&](HuntResult& r) { r.queries[first + i] = out.outcome; });
    std::lock_guard lock(mu);
    for (auto& e : found) correlated.push_back(std::move(e));
  });
  attribute_sources(evidence_, correlated, env_.settings.correlation_window);
}

// ---- step 6: analyse --------------------------------------------------------------------------

void HuntRunner::step_analyse() {
  AnalysisConfig config;
  config.admin_sources = args_.admin_sources;
  config.fan_out_threshold = env_.settings.fan_out_threshold;
  auto findings = analyse(evidence_, config);
  update([&](HuntResult& r) {
    r.findings = std::move(findings);
    decide_verdict(r);
    r.follow_ups = follow_ups(r);
  });
}

}  // namespace hunt
