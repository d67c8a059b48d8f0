// correlate.hpp — issue 5 step 5, network correlation: for each target host where suspicious
// activity landed, search the SMB (445) / RPC (135) connections and network logons (4624 type 3)
// around it, then use what comes back to name the source of target-side evidence.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "tools/hunt/model.hpp"

namespace hunt {

// CorrelationTarget is one host whose evidence needs network context.
struct CorrelationTarget {
  std::string host;                   // short upper-case name (or an IP when no name is known)
  std::string ip;                     // "" when unknown
  std::string first_seen, last_seen;  // RFC 3339 UTC over that host's target-side evidence
};

// correlation_targets picks at most max_targets target hosts of detection evidence (catalog ids
// not starting "correlate:", weight > 0), the hosts with unattributed evidence first, then by the
// strongest weight, then by evidence count, then by name. Evidence without a time is skipped.
std::vector<CorrelationTarget> correlation_targets(const std::vector<Evidence>& evidence,
                                                   std::size_t max_targets);

// CorrelationQuery is one search the engine runs for a target; start/end are RFC 3339 UTC.
struct CorrelationQuery {
  std::string id;  // "correlate:<HOST>:network" / "correlate:<HOST>:logon"
  std::string title;
  std::string query;  // valid UDM Search text (udm::parse accepts it)
  std::string start_time, end_time;
  std::string target_host;
};

// correlation_queries returns two queries over [first_seen - window, last_seen + window]:
//   network: NETWORK_CONNECTION events on port 445 or 135 logged by the target (either Sysmon
//   direction: the service port may be the target.port or, in older Sysmon, the principal.port)
//   or logged by a source towards it (target.hostname / target.ip);
//   logon: 4624 LogonType 3 (NETWORK) logons on the target.
// The host is matched case-insensitively as a short name or any FQDN of it
// (`principal.hostname = /^wks-12(\..*)?$/ nocase`); an IP-only target is matched by IP.
std::vector<CorrelationQuery> correlation_queries(const CorrelationTarget& target,
                                                  std::chrono::minutes window);

// attribute_sources fills, for target-side evidence that names no source at all (no host, no
// IP; evidence with its own source IP keeps it and only gets a host name), the source from the
// strongest link found in `evidence` itself or in correlation_evidence (to_evidence of the step 5
// results), on the same target host, in this order:
//   1. a 4624 with the same logon id (TargetLogonId links a process or service install to the
//      inbound network logon, detections.md §7) → attribution "logon";
//   2. a PsExec-style stdio pipe (`<svc>-<HOST>-<pid>-stdin`) within ±2 min → "pipe_name" (a
//      pipe naming the host itself is a local run, whose source is the host);
//   3. a source-side event naming this host (wmic /node, psexec \\X, -ComputerName, 4648) from
//      5 min before to 1 min after → "source_event";
//   4. an SMB/RPC connection, share access or network logon from another host 2 min before to
//      10 s after → "network" / "logon";
//   5. else the nearest such connection or logon within `window` → "network" / "logon".
//   6. (second pass) for a process in a local session still without a source: attributed
//      detection evidence on the same host within ±2 min (the service install or pipe of the
//      same session, or its svcctl/atsvc pipe access over IPC$, named through the IP map when it
//      carries only src.ip; services.exe / Task Scheduler run the payload as SYSTEM) → "chain".
//      The source may be the host itself (a local PsExec run).
// Links 4 and 5 go by time alone and are not used for a process in a local session (logon id
// 0x3e7, 0x3e4, 0x3e5): a busy server always has some unrelated logon nearby. The user is filled
// (or replaces a machine/service account) from a 4624's user. A source known only by IP gets a
// host name when any evidence maps that IP to a host (source_ip+source_host of one event, or
// target_ip+target_host of an inbound connection); such a fill also applies to evidence that
// already had a source IP but no host ("ip_map" when nothing else was learned).
void attribute_sources(std::vector<Evidence>& evidence,
                       const std::vector<Evidence>& correlation_evidence,
                       std::chrono::minutes window = std::chrono::minutes(30));

}  // namespace hunt
