// report_json.cpp — to_structured (report.hpp): every HuntResult field, snake_case keys, as
// schemas/lateral_movement_hunt.output.json describes.
#include "tools/hunt/report.hpp"
#include "tools/hunt/report_detail.hpp"

namespace hunt {

namespace {

Json evidence_json(const Evidence& ev) {
  return {{"time", ev.time},
          {"catalog_id", ev.catalog_id},
          {"family", ev.family},
          {"technique", ev.technique},
          {"indicator", ev.indicator},
          {"event_type", ev.event_type},
          {"product_event_type", ev.product_event_type},
          {"source_host", ev.source_host},
          {"source_ip", ev.source_ip},
          {"target_host", ev.target_host},
          {"target_ip", ev.target_ip},
          {"targets", ev.targets},
          {"user", ev.user},
          {"process", ev.process},
          {"parent", ev.parent},
          {"command_line", ev.command_line},
          {"service_name", ev.service_name},
          {"object", ev.object},
          {"original_file_name", ev.original_file_name},
          {"logon_id", ev.logon_id},
          {"hashes", ev.hashes},
          {"attribution", ev.attribution},
          {"weight", ev.weight}};
}

Json finding_json(const Finding& f) {
  Json examples = Json::array();
  for (const auto& ex : f.examples) examples.push_back(evidence_json(ex));
  return {{"id", f.id},
          {"verdict", f.verdict},
          {"score", f.score},
          {"reasons", f.reasons},
          {"source_host", f.source_host},
          {"source_ip", f.source_ip},
          {"user", f.user},
          {"techniques", f.techniques},
          {"families", f.families},
          {"targets", f.targets},
          {"first_seen", f.first_seen},
          {"last_seen", f.last_seen},
          {"evidence_count", f.evidence_count},
          {"examples", std::move(examples)}};
}

Json call_json(const downstream::CallRecord& c) {
  return {{"server", c.server},
          {"tool", c.tool},
          {"arguments", c.arguments.is_null() ? Json::object() : c.arguments},
          {"outcome", c.outcome},
          {"detail", c.detail},
          {"started", report::time_text(c.started)},
          {"duration_ms", c.duration.count()},
          {"response_bytes", c.response_bytes},
          {"attempt", c.attempt}};
}

}  // namespace

Json to_structured(const HuntResult& r) {
  Json out = Json::object();
  out["hunt_id"] = r.hunt_id;
  out["status"] = r.status;
  out["verdict"] = r.verdict;
  out["verdict_reason"] = r.verdict_reason;
  out["runbook"] = kRunbookName;
  out["time_range"] = {{"start", r.time_start}, {"end", r.time_end}, {"hours", r.hours}};
  out["scope"] = r.scope;
  if (!r.scope_note.empty()) out["scope_note"] = r.scope_note;
  out["hypothesis"] = r.hypothesis;
  out["techniques"] = r.techniques;
  out["attack_techniques"] = report::techniques_hunted(r);
  Json servers = Json::array();
  for (const auto& s : r.servers) {
    servers.push_back(
        {{"name", s.name}, {"state", s.state}, {"detail", s.detail}, {"roles", s.roles}});
  }
  out["downstream"] = {{"description", r.downstream_description}, {"servers", servers}};
  Json research = Json::array();
  for (const auto& x : r.research) {
    research.push_back(
        {{"technique", x.technique}, {"outcome", x.outcome}, {"summary", x.summary}});
  }
  out["research"] = research;
  Json queries = Json::array();
  for (const auto& q : r.queries) {
    queries.push_back({{"id", q.id},
                       {"title", q.title},
                       {"family", q.family},
                       {"technique", q.technique},
                       {"purpose", q.purpose},
                       {"query", q.query},
                       {"runbook_query", q.runbook_query},
                       {"tool", q.tool},
                       {"status", q.status},
                       {"events", q.events},
                       {"error", q.error},
                       {"duration_ms", q.duration_ms}});
  }
  out["queries"] = queries;
  Json findings = Json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f));
  out["findings"] = findings;
  Json entities = Json::array();
  for (const auto& e : r.entities) {
    entities.push_back({{"value", e.value},
                        {"kind", e.kind},
                        {"roles", e.roles},
                        {"siem_summary", e.siem_summary},
                        {"siem_outcome", e.siem_outcome},
                        {"intel_summary", e.intel_summary},
                        {"intel_outcome", e.intel_outcome}});
  }
  out["entities"] = entities;
  Json cases = Json::array();
  for (const auto& c : r.related_cases) {
    cases.push_back({{"id", c.id},
                     {"name", c.name},
                     {"status", c.status},
                     {"priority", c.priority},
                     {"matched", c.matched},
                     {"confirmed", c.confirmed}});
  }
  out["related_cases"] = cases;
  out["documentation"] = {{"status", r.documentation.status},
                          {"case_id", r.documentation.case_id},
                          {"case_source", r.documentation.case_source},
                          {"spool_path", r.documentation.spool_path},
                          {"detail", r.documentation.detail}};
  out["escalation"] = {{"action", r.escalation.action},
                       {"case_id", r.escalation.case_id},
                       {"priority", r.escalation.priority},
                       {"reason", r.escalation.reason}};
  out["follow_ups"] = r.follow_ups;
  Json calls = Json::array();
  for (const auto& c : r.calls) calls.push_back(call_json(c));
  out["calls"] = calls;
  Json timings = Json::object();
  for (const auto& [step, ms] : r.timings_ms) timings[step] = ms;
  out["timings"] = timings;
  out["warnings"] = r.warnings;
  out["started_at"] = r.started_at;
  out["finished_at"] = r.finished_at;
  out["runtime_ms"] = r.runtime_ms;
  out["downstream_bytes"] = r.downstream_bytes;
  out["mermaid"] = {{"sequence", mermaid_sequence(r.calls)},
                    {"movement", mermaid_movement(r.findings)}};
  return out;
}

}  // namespace hunt
