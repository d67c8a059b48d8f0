// evidence.hpp — UDM events → hunt::Evidence (issue 5 step 5: who moved where, and how we know).
//
// Events follow /work/briefs/udm-mapping.md (sim/windows_mapping.cpp) but may come from a real
// tenant: keys in snake_case or lowerCamelCase, optionally wrapped as {"udm": {...}}, repeated
// fields as arrays, additional.fields as an object or a list of {key, value}. Missing fields read
// as "" — to_evidence never throws and never fails; it fills what the event shows.
//
// Direction rules (detections.md §2, §7):
//   source-side events name their targets: `wmic /node:"A","B"`, `psexec \\X`, `sc \\X`,
//   PowerShell `-ComputerName X`, `winrs -r:X`, 4648 TargetServerName, Sysmon 3 with
//   Initiated=true. source_host = the logging host, target_host = the first target named,
//   targets = all of them, attribution = "event".
//   every other event is target-side: target_host = the logging host; the source comes from a
//   PsExec-style pipe name (attribution "pipe_name"), 4624 WorkstationName / src.ip or 5145 src.ip
//   ("event"), the remote end of an inbound Sysmon 3 ("event"), or stays empty until
//   attribute_sources (correlate.hpp) fills it from network and logon evidence.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/hunt/model.hpp"

namespace hunt {

// to_evidence normalises one UDM event found by `entry` (catalog_id, family, technique, indicator
// and weight come from the entry).
Evidence to_evidence(const Json& udm_event, const CatalogEntry& entry);

// host_from_pipe_name extracts the client host from a PsExec stdio pipe name:
// `PSEXESVC-WKS07-1234-stdin` → "WKS07", also with a leading `\` or `\\.\pipe\`, hyphenated hosts
// (`PSEXESVC-WKS-07-1234-stdout` → "WKS-07") and renamed services (`svc-WKS07-1234-stderr`, where
// the service name is taken to be everything before the first hyphen — `psexec -r` names rarely
// contain one, and a hyphenated one cannot be told apart from a hyphenated host). nullopt for
// pipes without the `-<HOST>-<pid>-std(in|out|err)` shape (`\PSEXESVC`, `RemCom_*`, `svcctl`).
std::optional<std::string> host_from_pipe_name(std::string_view pipe);

// command_line_targets returns the remote hosts a command line acts on, short upper-case, in
// order, deduplicated, without loopback names: `wmic /node:"A","B"` (also /node:A,B), the `\\X`
// (or `\\X,Y`) argument of psexec/paexec/remcom/csexec/sc (recognised from the command line,
// `image` or the Sysmon `original_file_name`), PowerShell `-ComputerName`/`-CN` lists
// (`X`, `"X","Y"`, `@('X','Y')`; variables are skipped) and `winrs -r:X`.
std::vector<std::string> command_line_targets(std::string_view command_line,
                                              std::string_view image = {},
                                              std::string_view original_file_name = {});

// is_remote_exec_client reports whether an image path or OriginalFileName names a PsExec-family
// client (psexec, psexec64, paexec, remcom, csexec; OriginalFileName psexec.c).
bool is_remote_exec_client(std::string_view image, std::string_view original_file_name);

// ---- UDM field access (udm_fields.cpp) ---------------------------------------------------------

// udm_root returns the event object itself, or its "udm" member for search-result wrappers.
const Json& udm_root(const Json& event);

// udm_text reads a dotted UDM path (`principal.process.command_line`), each segment in snake_case
// or lowerCamelCase, taking the first element where the path crosses an array. Strings come back
// as written, numbers and booleans as their JSON text; absent/null/objects → "".
std::string udm_text(const Json& event, std::string_view path);

// udm_additional reads additional.fields[key] in any of the shapes udm/README.md lists.
std::string udm_additional(const Json& event, std::string_view key);

// udm_time returns metadata.event_timestamp as RFC 3339 UTC (an RFC 3339 string is kept as
// written; a {seconds, nanos} object is printed); "" when absent.
std::string udm_time(const Json& event);

}  // namespace hunt
