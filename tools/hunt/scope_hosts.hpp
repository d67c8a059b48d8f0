// scope_hosts.hpp — issue 5 step 1: widening the host-name equalities of target_scope_query.
//
// Windows logs name hosts as written by each log source: `WORKSTATION6` in one event,
// `WORKSTATION6.theshire.local` or `workstation6.theshire.local` in another. A scope such as
// `principal.hostname = "WORKSTATION6"` would match only the exact spelling and silently leave the
// rest of the host's events out of the hunt, so each equality on a `*.hostname` field becomes an
// anchored, case-insensitive regex that UDM Search (ours and Google SecOps') accepts:
//   "WORKSTATION6"                → /^workstation6(\..*)?$/ nocase  (the short name or any FQDN)
//   "WORKSTATION6.theshire.local" → /^workstation6(\.theshire\.local)?$/ nocase  (short or that)
// `!=` becomes `NOT field = /…/ nocase`. Values that are not host names (IP addresses, text with
// spaces or wildcards), regexes, and every other comparison are kept as written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "udm/query.hpp"

namespace hunt {

// WidenedScope is the scope as it will be searched and what changed.
struct WidenedScope {
  udm::Query query;
  std::string text;                  // canonical UDM text (udm::to_string) of query
  std::vector<std::string> widened;  // each rewrite, "principal.hostname = \"X\" → …"
};

// widen_scope_hosts rewrites scope's host-name equalities as above. nullopt when there is none to
// widen (or, defensively, when the rewritten text does not parse: the scope is then used as given).
std::optional<WidenedScope> widen_scope_hosts(const udm::Query& scope);

// host_name_regex is the UDM regex literal (with nocase) for value as described above, e.g.
// `/^wks-07(\..*)?$/ nocase`; nullopt when value is not a host name.
std::optional<std::string> host_name_regex(const std::string& value);

}  // namespace hunt
