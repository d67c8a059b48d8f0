#include "tools/hunt/completion.hpp"

#include "tools/hunt/hunt_text.hpp"

namespace hunt {
namespace {

std::vector<std::string> matching(const std::vector<std::string>& candidates,
                                  const std::string& value) {
  std::vector<std::string> out;
  for (const auto& c : candidates) {
    if (istarts_with(c, value)) out.push_back(c);
  }
  return out;
}

// The values a hunt is usually run with: a day, the default three days, a week, a month.
const std::vector<std::string> kHours = {"24", "48", "72", "168", "336", "720"};

// Scope expressions that parse (udm/), with a placeholder value to replace.
const std::vector<std::string> kScopes = {
    R"(principal.hostname = /^wks-07(\.|$)/ nocase)",
    R"(principal.hostname = "WKS-07")",
    R"(target.hostname = "FS01")",
    R"(principal.user.userid = "jdoe")",
    R"(principal.ip = "10.1.2.3")",
    R"(principal.hostname = /^wks-/ nocase AND NOT principal.hostname = "JUMP01")"};

// The runbook's examples of a hypothesis.
const std::vector<std::string> kHypotheses = {
    "PsExec usage originating from non-admin workstations",
    "WMI lateral movement from finance workstations",
    "Remote service creation with admin shares after a phishing alert",
    "Impacket wmiexec or smbexec from a compromised host"};

}  // namespace

std::vector<std::string> complete(const HuntJobs& jobs, const mcp::Json& ref,
                                  const std::string& argument, const std::string& value) {
  const std::string type = ref.value("type", "");
  if (type == "ref/prompt" && ref.value("name", "") == "lateral-movement-hunt") {
    if (argument == "time_frame_hours") return matching(kHours, value);
    if (argument == "target_scope_query") return matching(kScopes, value);
    if (argument == "hunt_hypothesis") return matching(kHypotheses, value);
    return {};
  }
  if (type == "ref/resource" && ref.value("uri", "") == "lmhunt://hunts/{id}" && argument == "id") {
    std::vector<std::string> ids;
    for (const auto& hunt : jobs.list()) ids.push_back(hunt.hunt_id);  // newest first
    return matching(ids, value);
  }
  return {};
}

}  // namespace hunt
