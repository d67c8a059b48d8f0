// analysis.hpp — issue 5 steps 5–6 and 10: evidence → scored findings → an overall verdict, the
// entities worth enriching and the follow-on runbooks to suggest.
//
// Scoring is additive and explained: every Finding::reasons entry starts with its signed points
// ("+25 fan-out: 5 distinct targets within 30 min (threshold 3)"), and the score is their sum
// clamped to 0..100. The parts (scoring.cpp):
//   indicator  + strongest catalog weight / 3
//   source     −30 known admin host (admin_sources: exact names or globs over host, IP or user)
//              −15 routine: the source did this on ≥ 3 distinct days spanning ≥ 48 h
//              (both only when no attack-tool marker and no payload marker worth ≥ 20 points is
//              present: recon and a shell under a service do not withhold them)
//              +20 workstation-named / +15 other non-admin source; +5 unattributed; −10 local only
//   fan-out    +25 ≥ fan_out_threshold distinct targets within fan_out_window; +5 for 2+ targets
//   payloads   encoded PowerShell +20, download cradle +20, shell for a user under a service or
//              WmiPrvSE +10, credential dumping +30, account creation +25, recon +10 (capped +50)
//   tools      Impacket +30, renamed PsExec +20, random service name +20, shell/%COMSPEC%
//              service +25, RemCom/PAExec/CSExec +15 (capped +40)
//   rarity     +5 when no other source shows the same technique family in the window
// Verdicts: an admin source without markers → benign_admin; else ≥ 70 malicious, ≥ 40
// suspicious, else informational.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "tools/hunt/model.hpp"

namespace hunt {

struct AnalysisConfig {
  std::vector<std::string> admin_sources;  // host / user / IP names or globs ("JUMP*", "adm-*")
  int fan_out_threshold = 3;
  std::chrono::minutes fan_out_window{30};
  std::size_t max_examples = 3;
};

// Marker is one payload or attack-tool pattern seen in an event.
struct Marker {
  std::string kind;      // "payload" or "tool"
  std::string category;  // e.g. "credential_dumping", "impacket"
  std::string label;     // for people: "credential dumping"
  int points = 0;
  std::string excerpt;  // the text that matched (shortened)
};

// markers_of lists the payload and attack-tool markers of one evidence item, one per category.
std::vector<Marker> markers_of(const Evidence& evidence);

// analyse groups detection evidence into findings per source (host, else IP, else user, else the
// target host for unattributed activity), scores them and returns them best first with ids
// F1, F2, ... Context evidence (catalog ids "correlate:*", weight 0, family "fan_out") joins a
// finding of the same source but alone makes one only when it shows fan-out.
std::vector<Finding> analyse(const std::vector<Evidence>& evidence, const AnalysisConfig& config);

// decide_verdict sets result.verdict and verdict_reason from findings and queries:
// confirmed (a malicious finding), suspicious (a suspicious finding), no_findings (nothing
// suspicious and every detection/context query ran: ok, empty or truncated), inconclusive
// (nothing suspicious but some query did not run — the reason names them — or nothing ran).
// Truncated queries and queries that did not run are named in the reason in every case; a
// planned (dry-run) result gets verdict "" and says that nothing ran.
void decide_verdict(HuntResult& result);

// follow_ups suggests follow-on runbooks and actions for the result (never empty).
std::vector<std::string> follow_ups(const HuntResult& result);

// entities_to_enrich returns the hosts, users, IPs, hashes and domains of malicious and
// suspicious findings (best finding first), deduplicated case-insensitively with their roles
// merged, at most max_entities. Service and machine accounts and loopback addresses are left out.
std::vector<Entity> entities_to_enrich(const std::vector<Finding>& findings,
                                       std::size_t max_entities);

// summarize_entity_text digests secops-mcp lookup_entity text into one line, e.g.
// "asset; first seen 2024-05-01T00:00:00Z, last seen …; 1,234 events, 2 alerts; rules: X (3)";
// "not found" for "No information found…"; otherwise the first line, shortened.
std::string summarize_entity_text(const std::string& lookup_entity_text);

// summarize_intel digests a GTI/VirusTotal report object: "3/70 engines malicious, 1
// suspicious, reputation -12" (+ "; <first threat label>" when present); "error: …" for an
// in-band error object; "no analysis data" when no stats are present.
std::string summarize_intel(const Json& vt_report);

}  // namespace hunt
