// model.hpp — the values a hunt passes from stage to stage (DESIGN.md "Data flows one way").
//
// arguments → HuntArgs → a plan of CatalogEntry × scope × time range → QueryOutcome + Evidence →
// correlation → Finding (scored) → Entity enrichment + RelatedCase → Documentation + Escalation →
// HuntResult → report (Markdown, structuredContent, SOAR comment). Plain data: every stage is a
// function of the previous stage's value, so stages test on their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/downstream/facades.hpp"
#include "udm/query.hpp"

namespace hunt {

using Json = nlohmann::json;

// Families are the `techniques` values a caller may choose (default: all of them).
inline const std::vector<std::string>& all_families() {
  static const std::vector<std::string> families = {
      "psexec",             // PSEXESVC installs, pipes, client command lines, PSEXESVC children
      "service_execution",  // random/shell ImagePath services, remote-client installs, services.exe
                            // shells
      "admin_shares",       // svcctl over IPC$, executables written to ADMIN$/C$
      "wmi",                // WmiPrvSE children, wmic /node, WMI logons and explicit credentials
      "wmi_persistence",    // WMI event subscriptions (T1546.003)
      "impacket",           // wmiexec / smbexec / atexec patterns
      "powershell_remoting",  // PowerShell WMI/CIM remoting
      "fan_out",  // one source → many targets (network logons, shares, service installs)
  };
  return families;
}

// CatalogEntry is one detection of schemas/detection_catalog.json, parsed at start-up.
struct CatalogEntry {
  std::string id;                       // stable, e.g. "psexec_service_install"
  std::string title;                    // one line for people
  std::string technique;                // primary ATT&CK id, e.g. "T1569.002"
  std::vector<std::string> techniques;  // all ATT&CK ids it evidences (technique first)
  std::string family;                   // one of all_families()
  std::string role;   // "detection" (scored) or "context" (network / logon, for correlation)
  std::string query;  // UDM Search text as in the catalog
  udm::Query parsed;  // query, parsed by udm::parse at load time
  std::string natural_language;  // for the search_security_events fallback
  std::string runbook_query;     // the runbook's original (invalid) text this rewrites, if any
  std::string rationale;
  std::vector<std::string> false_positives;
  int weight = 0;                    // 0..100: how strongly one hit suggests malice before context
  std::vector<std::string> extract;  // UDM field paths worth showing as evidence
};

// HuntArgs are the validated arguments of lateral_movement_hunt.
struct HuntArgs {
  int time_frame_hours = 72;
  std::optional<std::string> start_time;  // RFC 3339 UTC; when set, overrides time_frame_hours
  std::optional<std::string> end_time;
  std::string target_scope_query;  // "" = none; otherwise parsed (host names widened, below)
  std::optional<udm::Query> scope;
  // scope_note says how the scope was widened (host-name equalities made to match the short name
  // or any FQDN, any case: tools/hunt/scope_hosts.hpp); "" when it was used as given.
  std::string scope_note;
  std::string hunt_hypothesis;
  std::string case_id;
  std::vector<std::string> techniques;     // families; empty = all
  std::vector<std::string> admin_sources;  // hosts / users / glob patterns, merged with config
  int max_events_per_query = 200;
  bool dry_run = false;
  double wait_seconds = 45;
};

// QueryOutcome is what happened to one planned search. status: "ok" (events > 0), "empty" (ran,
// nothing matched), "truncated" (more_data_available), "error" (ran and failed; error says why),
// "not_run" (never sent: no SIEM, cancelled, deadline; error says why), "planned" (dry run).
struct QueryOutcome {
  std::string id;  // catalog id, or "correlate:<target>" for step 5
  std::string title;
  std::string family;
  std::string technique;
  std::string purpose;  // "detection", "context", "correlation"
  std::string query;    // the UDM text sent (scope conjoined)
  std::string runbook_query;
  std::string tool;  // tool that ran it, "" when not run
  std::string status;
  std::size_t events = 0;
  std::string error;
  std::int64_t duration_ms = 0;
};

// Evidence is one UDM event normalised for analysis. Hosts are short upper-case names
// (sim::short_hostname semantics); empty strings mean unknown.
struct Evidence {
  std::string time;        // RFC 3339 UTC
  std::string catalog_id;  // which query found it (or a correlation id)
  std::string family;
  std::string technique;
  std::string indicator;   // catalog title or a short phrase ("PSEXESVC pipe")
  std::string event_type;  // metadata.event_type
  std::string product_event_type;
  std::string source_host;  // where the movement came from (attributed)
  std::string source_ip;
  std::string target_host;  // where it landed / the logging host for target-side events
  std::string target_ip;
  std::string user;
  std::string process;  // target process path
  std::string parent;   // parent process path
  std::string command_line;
  std::string service_name;
  std::string logon_id;
  std::vector<std::string> hashes;
  std::string attribution;  // how source_host was learned: "event", "pipe_name", "network",
                            // "logon", "source_event", "chain", "ip_map" (correlate.hpp)
  int weight = 0;
  // Added by the analysis: every target host one source-side event names (wmic /node:"A","B"),
  // target_host being the first; empty for target-side events.
  std::vector<std::string> targets;
  std::string object;              // pipe name, share file, file path, registry key, WMI text
  std::string original_file_name;  // Sysmon OriginalFileName (src.process.file.full_path)
  std::string role;  // the catalog entry's role: "detection", or "context" (never a finding alone)
};

// Finding groups evidence by source, technique and target set, with a score and its reasons.
struct Finding {
  std::string id;                    // "F1", "F2", ... in score order
  std::string verdict;               // "malicious", "suspicious", "benign_admin", "informational"
  int score = 0;                     // 0..100
  std::vector<std::string> reasons;  // each a sentence fragment with its points, e.g. "+25 ..."
  std::string source_host;
  std::string source_ip;
  std::string user;
  std::vector<std::string> techniques;
  std::vector<std::string> families;
  std::vector<std::string> targets;  // target hosts, sorted
  std::string first_seen;
  std::string last_seen;
  std::size_t evidence_count = 0;
  std::vector<Evidence> examples;  // at most a few, most telling first
};

// Entity is one host, user, IP, hash or domain from suspicious findings, with enrichment.
struct Entity {
  std::string value;
  std::string kind;                // "host", "user", "ip", "hash", "domain", "url"
  std::vector<std::string> roles;  // "source", "target", "user"
  std::string siem_summary;        // a one-line digest of lookup_entity, "" if not looked up
  std::string siem_outcome;        // "ok", "not_found", "error: …", "not_run: …"
  std::string intel_summary;       // e.g. "12/90 engines malicious, reputation -30"
  std::string intel_outcome;
};

struct RelatedCase {
  std::string id;
  std::string name;
  std::string status;
  std::string priority;
  std::vector<std::string> matched;  // entity values found in the case
  bool confirmed = false;            // get_case_full_details confirmed the match
};

struct Documentation {
  std::string status;  // "posted", "already_posted", "failed", "skipped", "planned"
  std::string case_id;
  std::string case_source;  // "argument", "related", "created", ""
  std::string spool_path;   // where the comment was kept when posting failed
  std::string detail;
};

struct Escalation {
  std::string action;  // "priority_raised", "case_created", "manual_required", "not_needed",
                       // "failed", "planned"
  std::string case_id;
  std::string priority;
  std::string reason;
};

struct Research {
  std::string technique;  // e.g. "T1047"
  std::string outcome;    // "ok", "cached", or an error kind
  std::string summary;    // first sentences of the answer
};

// HuntResult is everything the report and structuredContent show.
struct HuntResult {
  std::string hunt_id;
  std::string status;   // "completed", "partial", "failed", "running", "cancelled", "planned"
  std::string verdict;  // "confirmed", "suspicious", "no_findings", "inconclusive", ""
  std::string verdict_reason;
  std::string time_start;  // RFC 3339 UTC
  std::string time_end;
  int hours = 0;
  std::string scope;       // canonical scope text as searched, "" = all
  std::string scope_note;  // how the given scope was widened; "" = used as given
  std::string hypothesis;
  std::vector<std::string> techniques;  // families hunted
  std::string downstream_description;   // "" for a real SecOps
  std::vector<downstream::ServerHealth> servers;
  std::vector<Research> research;
  std::vector<QueryOutcome> queries;
  std::vector<Finding> findings;
  std::vector<Entity> entities;
  std::vector<RelatedCase> related_cases;
  Documentation documentation;
  Escalation escalation;
  std::vector<std::string> follow_ups;
  std::vector<downstream::CallRecord> calls;
  std::map<std::string, std::int64_t> timings_ms;  // step → duration
  std::vector<std::string> warnings;
  std::string started_at;
  std::string finished_at;
  std::int64_t runtime_ms = 0;
  std::size_t downstream_bytes = 0;
};

}  // namespace hunt
