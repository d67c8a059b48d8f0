// report_markdown.cpp — render_markdown (report.hpp): the one-screen report.
//
// The report is rendered at decreasing levels of detail until it fits kMarkdownSoftLimit (or, at
// the tersest level, kMarkdownHardLimit, beyond which it is cut at a line with a pointer to
// structuredContent). Every list that is shortened says how many items it left out.
#include <algorithm>
#include <array>

#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/report.hpp"
#include "tools/hunt/report_detail.hpp"

namespace hunt {

namespace {

using report::join;

struct Budget {
  std::size_t findings, reasons, examples, list, edges, entities, cases, follow_ups;
};

constexpr std::array<Budget, 4> kLevels = {{
    {5, 4, 1, 8, 12, 6, 3, 5},
    {4, 3, 1, 6, 8, 4, 3, 4},
    {3, 2, 0, 4, 5, 3, 2, 3},
    {2, 1, 0, 3, 0, 2, 1, 2},
}};

std::string findings_section(const HuntResult& r, const Budget& b) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& f : r.findings) {
    counts[f.verdict == "malicious"      ? 0
           : f.verdict == "suspicious"   ? 1
           : f.verdict == "benign_admin" ? 2
                                         : 3]++;
  }
  std::string out = "\n## Findings (" + std::to_string(r.findings.size());
  const char* names[4] = {"malicious", "suspicious", "benign admin", "informational"};
  std::vector<std::string> parts;
  for (int i = 0; i < 4; ++i) {
    if (counts[i]) parts.push_back(std::to_string(counts[i]) + " " + names[i]);
  }
  if (!parts.empty()) out += ": " + join(parts, 4);
  out += ")\n";
  if (r.findings.empty()) {
    out += "None.\n";
    return out;
  }
  // Informational findings (weak, below the suspicious score, often one host's own activity with
  // no source) are counted in one line; they stay in structuredContent.findings.
  std::vector<const Finding*> listed;
  std::vector<std::string> informational;
  for (const auto& f : r.findings) {
    if (f.verdict == "informational") {
      informational.push_back(f.id + " " + report::source_label(f) + " → " + join(f.targets, 1));
    } else {
      listed.push_back(&f);
    }
  }
  for (std::size_t i = 0; i < listed.size() && i < b.findings; ++i) {
    const Finding& f = *listed[i];
    out += std::to_string(i + 1) + ". **" + f.id + " " + f.verdict + " " + std::to_string(f.score) +
           "** " + report::source_label(f) + report::movement_label(f, 4) +
           (f.user.empty() ? "" : " as " + f.user) + " · " + join(f.families, 3) + " · " +
           std::to_string(f.evidence_count) + " events · " +
           report::time_range(f.first_seen, f.last_seen) + "\n";
    std::vector<std::string> reasons = report::strongest_reasons(f.reasons, 70);
    if (!reasons.empty()) out += "   - " + join(reasons, b.reasons, "; ") + "\n";
    for (std::size_t e = 0; e < f.examples.size() && e < b.examples; ++e) {
      out += "   - e.g. " + report::example_line(f.examples[e], 110) + "\n";
    }
  }
  if (listed.size() > b.findings) {
    out += "… " + std::to_string(listed.size() - b.findings) +
           " more findings in structuredContent.findings\n";
  }
  if (!informational.empty()) {
    out += "- " + std::to_string(informational.size()) +
           " informational (score < 40, not listed: " + join(informational, 2, "; ") +
           ") in structuredContent.findings\n";
  }
  return out;
}

std::string searches_section(const HuntResult& r, const Budget& b) {
  std::vector<std::string> hits, empty, failed, truncated, planned;
  std::size_t ran = 0, correlation = 0, correlation_ran = 0;
  for (const auto& q : r.queries) {
    const bool ok = q.status == "ok" || q.status == "empty" || q.status == "truncated";
    if (q.purpose == "correlation") {
      ++correlation;
      if (ok) ++correlation_ran;
      if (!ok && q.status != "planned") failed.push_back(q.id + " (" + q.status + ")");
      continue;
    }
    if (ok) ++ran;
    if (q.status == "ok" || q.status == "truncated") {
      hits.push_back(q.id + " " + std::to_string(q.events));
    }
    if (q.status == "truncated") truncated.push_back(q.id);
    if (q.status == "empty") empty.push_back(q.id);
    if (q.status == "planned") planned.push_back(q.id);
    if (!ok && q.status != "planned") {
      failed.push_back(q.id + " (" + q.status +
                       (q.error.empty() ? "" : ": " + truncate_text(q.error, 50)) + ")");
    }
  }
  std::size_t detection = r.queries.size() - correlation;
  std::string out =
      "\n## Searches (" + std::to_string(ran) + " of " + std::to_string(detection) + " ran";
  if (correlation) {
    out +=
        "; correlation " + std::to_string(correlation_ran) + " of " + std::to_string(correlation);
  }
  out += ")\n";
  if (!hits.empty()) out += "- With events: " + join(hits, b.list) + "\n";
  if (!empty.empty()) out += "- No events (negative results): " + join(empty, b.list) + "\n";
  if (!truncated.empty()) {
    out += "- **Truncated** (more events than fetched): " + join(truncated, b.list) + "\n";
  }
  if (!failed.empty()) out += "- **Did not run**: " + join(failed, b.list) + "\n";
  if (!planned.empty()) out += "- Planned only (dry run): " + join(planned, b.list) + "\n";
  if (r.queries.empty()) out += "- No searches were planned or run.\n";
  return out;
}

std::string enrichment_section(const HuntResult& r, const Budget& b) {
  std::string out = "\n## Enrichment\n";
  if (r.entities.empty()) return out + "Nothing needed enrichment.\n";
  for (std::size_t i = 0; i < r.entities.size() && i < b.entities; ++i) {
    const Entity& e = r.entities[i];
    std::string siem = !e.siem_summary.empty() ? e.siem_summary : e.siem_outcome;
    std::string intel = !e.intel_summary.empty() ? e.intel_summary : e.intel_outcome;
    out += "- " + e.value + " (" + e.kind + ", " + join(e.roles, 3, "/") + ")";
    if (!siem.empty()) out += " — SIEM: " + truncate_text(siem, 110);
    if (!intel.empty()) out += " — GTI: " + truncate_text(intel, 80);
    out += "\n";
  }
  if (r.entities.size() > b.entities) {
    out += "- … " + std::to_string(r.entities.size() - b.entities) + " more entities\n";
  }
  return out;
}

std::string cases_and_documentation(const HuntResult& r, const Budget& b) {
  std::string out = "\n## Cases, documentation, escalation\n";
  if (r.related_cases.empty()) {
    out += "- Related cases: none found\n";
  } else {
    std::vector<std::string> cases;
    for (const auto& c : r.related_cases) {
      cases.push_back("#" + c.id + " \"" + truncate_text(c.name, 40) + "\" (" + c.status +
                      (c.priority.empty() ? "" : ", " + c.priority) + ") matched " +
                      join(c.matched, 3) + (c.confirmed ? " ✓" : ""));
    }
    out += "- Related cases: " + join(cases, b.cases, "; ") + "\n";
  }
  const Documentation& d = r.documentation;
  std::string doc;
  if (d.status == "posted" || d.status == "already_posted") {
    doc = (d.status == "posted" ? "comment posted to case " : "comment already on case ") +
          d.case_id + (d.case_source.empty() ? "" : " (" + d.case_source + ")");
  } else if (d.status == "failed") {
    doc = "**not posted**" + (d.detail.empty() ? "" : ": " + truncate_text(d.detail, 80)) +
          (d.spool_path.empty() ? "" : "; spooled at `" + d.spool_path + "`");
  } else if (d.status.empty()) {
    doc = "not attempted";
  } else {
    doc = d.status + (d.detail.empty() ? "" : ": " + truncate_text(d.detail, 80));
  }
  out += "- Documentation: " + doc + "\n";
  const Escalation& e = r.escalation;
  if (!e.action.empty()) {
    out += "- Escalation: " + e.action + (e.case_id.empty() ? "" : " case " + e.case_id) +
           (e.priority.empty() ? "" : " → " + e.priority) +
           (e.reason.empty() ? "" : " — " + truncate_text(e.reason, 100)) + "\n";
  }
  return out;
}

std::string render(const HuntResult& r, const Budget& b) {
  std::string out;
  if (!r.downstream_description.empty()) {
    out += "> **" + r.downstream_description + "**\n\n";
  }
  out += "# Lateral movement hunt: " + report::verdict_title(r) + "\n";
  out += "**Runbook Used:** " + std::string(kRunbookName) + "\n\n";
  out += "**Verdict:** " + (r.verdict.empty() ? "none" : r.verdict) + " — " +
         truncate_text(r.verdict_reason, 400) + "\n\n";
  out += "Hunt `" + r.hunt_id + "` · " + r.time_start + " → " + r.time_end + " (" +
         std::to_string(r.hours) +
         " h) · scope: " + (r.scope.empty() ? "all" : report::inline_code(r.scope, 80)) + " · " +
         join(report::techniques_hunted(r), 6) + "\n";
  if (!r.scope_note.empty()) out += "Scope widened: " + truncate_text(r.scope_note, 300) + "\n";
  if (!r.hypothesis.empty()) out += "Hypothesis: " + truncate_text(r.hypothesis, 160) + "\n";
  out += findings_section(r, b);
  if (b.edges > 0 && !r.findings.empty()) {
    out += "\n```mermaid\n" + mermaid_movement(r.findings, b.edges) + "```\n";
  }
  out += searches_section(r, b);
  out += enrichment_section(r, b);
  out += cases_and_documentation(r, b);
  if (!r.follow_ups.empty()) {
    out += "\n## Follow-ups\n";
    for (std::size_t i = 0; i < r.follow_ups.size() && i < b.follow_ups; ++i) {
      out += "- " + truncate_text(r.follow_ups[i], 160) + "\n";
    }
    if (r.follow_ups.size() > b.follow_ups) {
      out += "- … " + std::to_string(r.follow_ups.size() - b.follow_ups) + " more\n";
    }
  }
  std::vector<std::string> down;  // why searches or lookups could not reach a server
  for (const auto& server : r.servers) {
    if (server.state == "degraded" || server.state == "refused") {
      down.push_back(server.name + " " + server.state +
                     (server.detail.empty() ? "" : ": " + truncate_text(server.detail, 160)));
    }
  }
  if (!down.empty()) out += "\n**Servers down:** " + join(down, 3, "; ") + "\n";
  if (!r.warnings.empty()) {
    std::vector<std::string> warnings;
    for (const auto& w : r.warnings) warnings.push_back(truncate_text(w, 120));
    out += "\n**Warnings:** " + join(warnings, b.list / 2 + 1, "; ") + "\n";
  }
  out += "\n_Started " + r.started_at + " · finished " + r.finished_at + " · runtime " +
         report::duration_text(r.runtime_ms) + " · " + std::to_string(r.calls.size()) +
         " downstream calls, " + std::to_string(r.downstream_bytes / 1024) +
         " KB · call sequence diagram in structuredContent.mermaid.sequence_\n";
  return out;
}

}  // namespace

std::string render_markdown(const HuntResult& result) {
  std::string text;
  for (const Budget& b : kLevels) {
    text = render(result, b);
    if (text.size() <= kMarkdownSoftLimit) return text;
  }
  if (text.size() <= kMarkdownHardLimit) return text;
  const std::string tail = "\n… report cut at 8 KB; the full result is in structuredContent.\n";
  auto cut = text.rfind('\n', kMarkdownHardLimit - tail.size());
  return text.substr(0, cut == std::string::npos ? 0 : cut) + tail;
}

}  // namespace hunt
