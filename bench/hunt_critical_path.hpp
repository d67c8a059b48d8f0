#pragma once
// bench/hunt_critical_path.hpp: the downstream critical path of one hunt, computed from the
// `calls` list of its structuredContent (server, tool, arguments, started, duration_ms), and the
// runbook order the sequential replay uses.
//
// The model. A hunt's downstream work is a chain of stages; within a stage the calls are
// independent, between stages each depends on the one before (issue 5):
//
//   research ∥ searches → correlation → enrichment ∥ related cases (list → confirm)
//     → document (create → check → post) → escalate (check → change)
//
// `research` (get_threat_intel) and `searches` (the catalog's search_udm) do not depend on each
// other, so they are two branches of the first stage and the stage lasts as long as the longer
// branch. Likewise enrichment and the related-cases chain (list, then confirm) both need only the
// findings, so that part of the path is the longer of the two (critical_path_ms). A stage (or
// branch) of n calls with concurrency C (the hunt's `concurrency` setting, which bounds the calls
// in flight per step) cannot finish sooner than the makespan of its calls' own durations on C
// slots. We compute that makespan by list scheduling in the order the calls started: each call
// takes the slot that frees first. With equal durations L this is ceil(n / C) · L ("one wave per C
// calls"); with n ≤ C it is the longest call. The critical path is the sum of the stage makespans.
// Durations are the ones the hunt measured (client side, so they include lmhunt's own encoding and
// the pipe), which is the fairest bound: the hunt cannot beat it without making fewer or faster
// calls.
//
// Hand-written: no library computes this; it is a few lines over a min-heap.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

// A Call is one entry of structuredContent.calls.
struct Call {
  std::string server;
  std::string tool;
  nlohmann::json arguments;
  std::int64_t started_ms = 0;  // epoch milliseconds
  std::int64_t duration_ms = 0;
  int stage = 0;   // index into stage_names()
  int branch = 0;  // stage 0 only: 0 research, 1 searches
};

inline const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> names = {
      "research | searches",    "correlation",      "enrichment",      "related cases: list",
      "related cases: confirm", "document: create", "document: check", "document: post",
      "escalate: check",        "escalate: change"};
  return names;
}

// parse_time_ms reads "2026-11-26T10:23:59.275Z" (the report's time_text); -1 when malformed.
inline std::int64_t parse_time_ms(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) < 6) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + millis;
}

// classify_calls reads structuredContent and assigns every call its stage. Correlation searches
// are told from the catalog's by their query text (queries[].purpose == "correlation"). Of the
// get_case_full_details calls, those that start after the comment was posted are the escalation's
// "priority already set?" read, the last one on the commented case before it is the document
// step's "already posted?" check, and the others confirm related cases.
inline std::vector<Call> classify_calls(const nlohmann::json& structured) {
  std::map<std::string, std::string> purpose_of_query;
  for (const auto& q : structured.value("queries", nlohmann::json::array())) {
    purpose_of_query[q.value("query", "")] = q.value("purpose", "");
  }
  std::vector<Call> calls;
  std::string commented_case;
  for (const auto& c : structured.value("calls", nlohmann::json::array())) {
    Call call;
    call.server = c.value("server", "");
    call.tool = c.value("tool", "");
    call.arguments = c.value("arguments", nlohmann::json::object());
    call.started_ms = parse_time_ms(c.value("started", ""));
    call.duration_ms = c.value("duration_ms", std::int64_t{0});
    const std::string& t = call.tool;
    if (t == "get_threat_intel") {
      call.stage = 0;
    } else if (t == "search_udm" || t == "udm_search" || t == "search_security_events") {
      const bool correlation = purpose_of_query[call.arguments.value("query", "")] == "correlation";
      call.stage = correlation ? 1 : 0;
      call.branch = correlation ? 0 : 1;
    } else if (t == "list_cases") {
      call.stage = 3;
    } else if (t == "get_case_full_details" || t == "get_case") {
      call.stage = 4;
    } else if (t == "create_case") {
      call.stage = 5;
    } else if (t == "post_case_comment" || t == "create_case_comment") {
      call.stage = 7;
      commented_case = call.arguments.value("case_id", nlohmann::json()).dump();
    } else if (t == "change_case_priority" || t == "update_case") {
      call.stage = 9;
    } else {
      call.stage = 2;  // lookup_entity, summarize_entity, get_*_report
    }
    calls.push_back(std::move(call));
  }
  std::int64_t posted_ms = -1;
  for (const auto& call : calls) {
    if (call.stage == 7) posted_ms = std::max(posted_ms, call.started_ms);
  }
  Call* check = nullptr;
  for (auto& call : calls) {
    if (call.stage != 4 || posted_ms < 0) continue;
    if (call.started_ms > posted_ms) {
      call.stage = 8;
    } else if (call.arguments.value("case_id", nlohmann::json()).dump() == commented_case &&
               (!check || call.started_ms >= check->started_ms)) {
      check = &call;
    }
  }
  if (check) check->stage = 6;
  return calls;
}

// makespan_ms: the calls' durations list-scheduled on `slots` slots in start order.
inline std::int64_t makespan_ms(std::vector<const Call*> calls, int slots) {
  std::sort(calls.begin(), calls.end(),
            [](const Call* a, const Call* b) { return a->started_ms < b->started_ms; });
  std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> free_at;
  for (int i = 0; i < std::max(slots, 1); ++i) free_at.push(0);
  std::int64_t end = 0;
  for (const Call* c : calls) {
    const std::int64_t start = free_at.top();
    free_at.pop();
    free_at.push(start + c->duration_ms);
    end = std::max(end, start + c->duration_ms);
  }
  return end;
}

struct StageTime {
  std::string name;
  std::size_t calls = 0;
  std::int64_t critical_ms = 0;  // the stage's makespan (the longer branch for stage 0)
};

// critical_path returns per-stage makespans; their sum is the critical path.
inline std::vector<StageTime> critical_path(const std::vector<Call>& calls, int concurrency) {
  std::vector<StageTime> stages;
  for (std::size_t s = 0; s < stage_names().size(); ++s) {
    std::vector<const Call*> branch[2];
    for (const auto& c : calls) {
      if (c.stage == static_cast<int>(s)) branch[c.branch].push_back(&c);
    }
    StageTime st;
    st.name = stage_names()[s];
    st.calls = branch[0].size() + branch[1].size();
    st.critical_ms =
        std::max(makespan_ms(branch[0], concurrency), makespan_ms(branch[1], concurrency));
    stages.push_back(st);
  }
  return stages;
}

// Stage indices (stage_names()) of the parallel part after correlation.
inline constexpr std::size_t kEnrichmentStage = 2, kListStage = 3, kConfirmStage = 4;

// critical_path_ms sums the stage makespans along the dependency chain, taking the longer of
// enrichment and related cases (list → confirm), which run beside each other.
inline std::int64_t critical_path_ms(const std::vector<StageTime>& stages) {
  std::int64_t total = 0;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    if (s == kEnrichmentStage || s == kListStage || s == kConfirmStage) continue;
    total += stages[s].critical_ms;
  }
  if (stages.size() > kConfirmStage) {
    total += std::max(stages[kEnrichmentStage].critical_ms,
                      stages[kListStage].critical_ms + stages[kConfirmStage].critical_ms);
  }
  return total;
}

// runbook_order sorts the calls for the sequential replay: by stage (research before the
// searches), then in the order the hunt started them.
inline std::vector<Call> runbook_order(std::vector<Call> calls) {
  std::stable_sort(calls.begin(), calls.end(), [](const Call& a, const Call& b) {
    if (a.stage != b.stage) return a.stage < b.stage;
    if (a.branch != b.branch) return a.branch < b.branch;
    return a.started_ms < b.started_ms;
  });
  return calls;
}

}  // namespace bench
