// fields.cpp — the tables behind fields.hpp. Enum values come from the UDM reference
// (google.backstory.Metadata.EventType, SecurityResult.Action, Network.Direction,
// Authentication.AuthType); fields listed with no values are enumerated but their value sets are
// not pinned here, so only the no-regex rule applies to them.
#include "udm/fields.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <limits>
#include <vector>

#include "udm/ascii.hpp"

namespace udm {
namespace {

constexpr std::string_view kEventTypes[] = {
    "EVENTTYPE_UNSPECIFIED",
    "PROCESS_UNCATEGORIZED",
    "PROCESS_LAUNCH",
    "PROCESS_INJECTION",
    "PROCESS_PRIVILEGE_ESCALATION",
    "PROCESS_TERMINATION",
    "PROCESS_OPEN",
    "PROCESS_MODULE_LOAD",
    "REGISTRY_UNCATEGORIZED",
    "REGISTRY_CREATION",
    "REGISTRY_MODIFICATION",
    "REGISTRY_DELETION",
    "SETTING_UNCATEGORIZED",
    "SETTING_CREATION",
    "SETTING_MODIFICATION",
    "SETTING_DELETION",
    "MUTEX_UNCATEGORIZED",
    "MUTEX_CREATION",
    "FILE_UNCATEGORIZED",
    "FILE_CREATION",
    "FILE_DELETION",
    "FILE_MODIFICATION",
    "FILE_READ",
    "FILE_COPY",
    "FILE_OPEN",
    "FILE_MOVE",
    "FILE_SYNC",
    "USER_UNCATEGORIZED",
    "USER_LOGIN",
    "USER_LOGOUT",
    "USER_CREATION",
    "USER_CHANGE_PASSWORD",
    "USER_CHANGE_PERMISSIONS",
    "USER_STATS",
    "USER_BADGE_IN",
    "USER_DELETION",
    "USER_RESOURCE_CREATION",
    "USER_RESOURCE_UPDATE_CONTENT",
    "USER_RESOURCE_UPDATE_PERMISSIONS",
    "USER_COMMUNICATION",
    "USER_RESOURCE_ACCESS",
    "USER_RESOURCE_DELETION",
    "GROUP_UNCATEGORIZED",
    "GROUP_CREATION",
    "GROUP_DELETION",
    "GROUP_MODIFICATION",
    "EMAIL_UNCATEGORIZED",
    "EMAIL_TRANSACTION",
    "EMAIL_URL_CLICK",
    "NETWORK_UNCATEGORIZED",
    "NETWORK_FLOW",
    "NETWORK_CONNECTION",
    "NETWORK_FTP",
    "NETWORK_DHCP",
    "NETWORK_DNS",
    "NETWORK_HTTP",
    "NETWORK_SMTP",
    "STATUS_UNCATEGORIZED",
    "STATUS_HEARTBEAT",
    "STATUS_STARTUP",
    "STATUS_SHUTDOWN",
    "STATUS_UPDATE",
    "SCAN_UNCATEGORIZED",
    "SCAN_FILE",
    "SCAN_PROCESS_BEHAVIORS",
    "SCAN_PROCESS",
    "SCAN_HOST",
    "SCAN_VULN_HOST",
    "SCAN_VULN_NETWORK",
    "SCAN_NETWORK",
    "SCHEDULED_TASK_UNCATEGORIZED",
    "SCHEDULED_TASK_CREATION",
    "SCHEDULED_TASK_DELETION",
    "SCHEDULED_TASK_ENABLE",
    "SCHEDULED_TASK_DISABLE",
    "SCHEDULED_TASK_MODIFICATION",
    "SYSTEM_AUDIT_LOG_UNCATEGORIZED",
    "SYSTEM_AUDIT_LOG_WIPE",
    "SERVICE_UNSPECIFIED",
    "SERVICE_CREATION",
    "SERVICE_DELETION",
    "SERVICE_START",
    "SERVICE_STOP",
    "SERVICE_MODIFICATION",
    "GENERIC_EVENT",
    "RESOURCE_CREATION",
    "RESOURCE_DELETION",
    "RESOURCE_PERMISSIONS_CHANGE",
    "RESOURCE_READ",
    "RESOURCE_WRITTEN",
    "DEVICE_FIRMWARE_UPDATE",
    "DEVICE_CONFIG_UPDATE",
    "DEVICE_PROGRAM_UPLOAD",
    "DEVICE_PROGRAM_DOWNLOAD",
    "ANALYST_UPDATE_VERDICT",
    "ANALYST_UPDATE_REPUTATION",
    "ANALYST_UPDATE_SEVERITY_SCORE",
    "ANALYST_UPDATE_STATUS",
    "ANALYST_ADD_COMMENT",
    "ANALYST_UPDATE_PRIORITY",
    "ANALYST_UPDATE_ROOT_CAUSE",
    "ANALYST_UPDATE_REASON",
    "ANALYST_UPDATE_RISK_SCORE",
    "ENTITY_RISK_CHANGE",
    "TRIAGE_AGENT_UPDATE_INVESTIGATION",
};

constexpr std::string_view kDirections[] = {"UNKNOWN_DIRECTION", "INBOUND", "OUTBOUND",
                                            "BROADCAST"};

constexpr std::string_view kActions[] = {
    "UNKNOWN_ACTION", "ALLOW", "BLOCK",    "ALLOW_WITH_MODIFICATION",
    "QUARANTINE",     "FAIL",  "CHALLENGE"};

constexpr std::string_view kAuthTypes[] = {
    "AUTHTYPE_UNSPECIFIED", "MACHINE", "PHYSICAL", "SSO", "TACACS", "VPN"};

// kEnumFields is the one place that says which UDM fields are enumerated.
const EnumField kEnumFields[] = {
    {"metadata.event_type", kEventTypes},
    {"network.ip_protocol", {}},
    {"network.direction", kDirections},
    {"network.application_protocol", {}},
    {"security_result.action", kActions},
    {"security_result.severity", {}},
    {"security_result.category", {}},
    {"security_result.confidence", {}},
    {"security_result.priority", {}},
    {"extensions.auth.type", kAuthTypes},
    {"extensions.auth.mechanism", {}},
    {"<noun>.asset.platform_software.platform", {}},
    {"<noun>.platform", {}},
    {"<noun>.resource.resource_type", {}},
};

// kEntityNouns are the top-level fields of type Noun; `<noun>.` in kEnumFields stands for each.
constexpr std::string_view kEntityNouns[] = {"principal",    "src",      "target",
                                             "intermediary", "observer", "about"};

constexpr std::string_view kTopLevelNouns[] = {
    "metadata", "principal",       "src",        "target",     "intermediary", "observer", "about",
    "network",  "security_result", "additional", "extensions", "extracted",    "graph"};

constexpr std::string_view kNounPlaceholder = "<noun>.";

bool matches_enum_path(std::string_view pattern, std::string_view path) {
  if (!pattern.starts_with(kNounPlaceholder)) return pattern == path;
  const std::string_view rest = pattern.substr(kNounPlaceholder.size());
  return std::any_of(std::begin(kEntityNouns), std::end(kEntityNouns), [&](std::string_view noun) {
    return path.size() == noun.size() + 1 + rest.size() && path.starts_with(noun) &&
           path[noun.size()] == '.' && path.ends_with(rest);
  });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution =
          diagonal + (ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const EnumField* find_enum_field(std::string_view path) {
  for (const EnumField& field : kEnumFields) {
    if (matches_enum_path(field.path, path)) return &field;
  }
  return nullptr;
}

std::span<const std::string_view> top_level_nouns() {
  return kTopLevelNouns;
}

std::string_view closest(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string camel_case(std::string_view snake) {
  std::string out;
  out.reserve(snake.size());
  bool upper_next = false;
  for (char c : snake) {
    if (c == '_' && !out.empty()) {
      upper_next = true;
      continue;
    }
    out.push_back(upper_next ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper_next = false;
  }
  return out;
}

std::string snake_case(std::string_view camel) {
  std::string out;
  out.reserve(camel.size() + 4);
  for (char c : camel) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty()) out.push_back('_');
      out.push_back(ascii_lower(c));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace udm
