// report_comment.cpp — render_comment (report.hpp): the SOAR case comment of runbook steps 7 and
// 9: hypothesis, techniques, scope, timeframe, every query with its outcome (negative results
// explicit), findings, enrichment, related cases, follow-on runbooks, the call sequence diagram,
// timestamps and runtime, and the marker line that makes posting idempotent.
#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/report.hpp"
#include "tools/hunt/report_detail.hpp"

namespace hunt {

namespace {

constexpr std::size_t kMaxCommentFindings = 10;
constexpr std::size_t kMaxCommentEntities = 15;
constexpr std::size_t kMaxCommentCalls = 40;

std::string query_outcome(const QueryOutcome& q) {
  if (q.status == "ok") return std::to_string(q.events) + " events";
  if (q.status == "empty") return "0 events (negative result)";
  if (q.status == "truncated") return std::to_string(q.events) + "+ events, TRUNCATED";
  if (q.status == "planned") return "planned, not run (dry run)";
  return "DID NOT RUN: " + q.status + (q.error.empty() ? "" : " — " + truncate_text(q.error, 120));
}

}  // namespace

std::string comment_marker(const std::string& hunt_id) {
  return "lmhunt hunt " + hunt_id;
}

std::string render_comment(const HuntResult& r) {
  std::string out = "Lateral Movement Hunt (PsExec/WMI) Summary — " + report::verdict_title(r) +
                    "\n" + comment_marker(r.hunt_id) + "\n";
  if (!r.downstream_description.empty()) out += "Note: " + r.downstream_description + "\n";
  out += "Runbook Used: " + std::string(kRunbookName) + "\n\n";
  out += "Hypothesis / objective: " +
         (r.hypothesis.empty() ? std::string("Proactive hunt for PsExec/WMI lateral movement")
                               : r.hypothesis) +
         "\n";
  out += "Techniques hunted: " + report::join(report::techniques_hunted(r), 20) +
         " (families: " + report::join(r.techniques, 10) + ")\n";
  out += "Scope: " + (r.scope.empty() ? std::string("all hosts") : r.scope) + "\n";
  if (!r.scope_note.empty()) out += "Scope widened: " + r.scope_note + "\n";
  out +=
      "Timeframe: " + r.time_start + " → " + r.time_end + " (" + std::to_string(r.hours) + " h)\n";
  out += "Verdict: " + (r.verdict.empty() ? std::string("none") : r.verdict) + " — " +
         r.verdict_reason + "\n";

  out += "\nQueries used (" + std::to_string(r.queries.size()) + "):\n";
  for (const auto& q : r.queries) {
    out += "- [" + query_outcome(q) + "] " + q.id + (q.title.empty() ? "" : " — " + q.title) +
           "\n  " + q.query + "\n";
  }
  if (r.queries.empty()) out += "- none ran\n";

  out += "\nFindings (" + std::to_string(r.findings.size()) + "):\n";
  if (r.findings.empty()) out += "- No findings.\n";
  for (std::size_t i = 0; i < r.findings.size() && i < kMaxCommentFindings; ++i) {
    const Finding& f = r.findings[i];
    out += "- " + f.id + " " + f.verdict + " (score " + std::to_string(f.score) +
           "): " + report::source_label(f) + report::movement_label(f, 10) +
           (f.user.empty() ? "" : " as " + f.user) + " via " + report::join(f.families, 5) + " [" +
           report::join(f.techniques, 5) + "], " + std::to_string(f.evidence_count) + " events " +
           f.first_seen + " … " + f.last_seen + "\n";
    for (const auto& reason : f.reasons) out += "    " + reason + "\n";
    for (const auto& ex : f.examples) out += "    e.g. " + report::example_line(ex, 200) + "\n";
  }
  if (r.findings.size() > kMaxCommentFindings) {
    out += "- … " + std::to_string(r.findings.size() - kMaxCommentFindings) + " more\n";
  }

  out += "\nEnrichment:\n";
  if (r.entities.empty()) out += "- none needed\n";
  for (std::size_t i = 0; i < r.entities.size() && i < kMaxCommentEntities; ++i) {
    const Entity& e = r.entities[i];
    out += "- " + e.value + " (" + e.kind + "): SIEM " +
           (e.siem_summary.empty() ? e.siem_outcome : e.siem_summary) + "; GTI " +
           (e.intel_summary.empty() ? (e.intel_outcome.empty() ? "n/a" : e.intel_outcome)
                                    : e.intel_summary) +
           "\n";
  }
  if (r.entities.size() > kMaxCommentEntities) {
    out += "- … " + std::to_string(r.entities.size() - kMaxCommentEntities) + " more\n";
  }

  out += "\nRelated cases:\n";
  if (r.related_cases.empty()) out += "- none found\n";
  for (const auto& c : r.related_cases) {
    out += "- " + c.id + " \"" + c.name + "\" (" + c.status + ", " + c.priority + ") matched " +
           report::join(c.matched, 10) + (c.confirmed ? " (confirmed in case details)" : "") + "\n";
  }
  if (!r.escalation.action.empty()) {
    out += "\nEscalation: " + r.escalation.action +
           (r.escalation.case_id.empty() ? "" : " case " + r.escalation.case_id) +
           (r.escalation.priority.empty() ? "" : " → " + r.escalation.priority) +
           (r.escalation.reason.empty() ? "" : " — " + r.escalation.reason) + "\n";
  }
  out += "\nSuggested follow-on runbooks:\n";
  for (const auto& f : r.follow_ups) out += "- " + f + "\n";
  if (r.follow_ups.empty()) out += "- none\n";

  out +=
      "\nSequence of calls:\n```mermaid\n" + mermaid_sequence(r.calls, kMaxCommentCalls) + "```\n";
  out += "\nStarted " + r.started_at + ", finished " + r.finished_at + ", runtime " +
         report::duration_text(r.runtime_ms) + ", " + std::to_string(r.calls.size()) +
         " downstream calls.\n";
  return out;
}

}  // namespace hunt
