// evidence.cpp — to_evidence (evidence.hpp): field extraction and source/target direction.
#include "tools/hunt/evidence.hpp"

#include <algorithm>
#include <array>

#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

bool is_service_port(const std::string& port) {
  return port == "445" || port == "135";
}

bool is_service_account(std::string_view user) {
  static constexpr std::array<std::string_view, 5> kServiceAccounts = {
      "SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "ANONYMOUS LOGON", "-"};
  return std::any_of(kServiceAccounts.begin(), kServiceAccounts.end(),
                     [&](std::string_view a) { return iequals(a, user); });
}

std::string strip_domain(std::string user) {
  auto slash = user.find_last_of('\\');
  return slash == std::string::npos ? user : user.substr(slash + 1);
}

// pick_user prefers a person over machine ($) and service accounts (detections.md §7: the 4688
// SubjectUserName of a remote WMI child is the machine account; TargetUserName is the person).
std::string pick_user(const std::vector<std::string>& candidates) {
  std::string fallback;
  for (const auto& raw : candidates) {
    std::string user = strip_domain(raw);
    if (user.empty() || user == "-") continue;
    if (!user.ends_with('$') && !is_service_account(user)) return user;
    if (fallback.empty()) fallback = user;
  }
  return fallback;
}

std::string first_non_empty(std::initializer_list<std::string> values) {
  for (const auto& v : values) {
    if (!v.empty()) return v;
  }
  return {};
}

// set_source_side marks the logging host as the source of movement to `targets`.
void set_source_side(Evidence& ev, const std::string& logging_host, const Json& event,
                     std::vector<std::string> targets) {
  ev.source_host = logging_host;
  ev.source_ip = udm_text(event, "principal.ip");
  ev.target_host = targets.empty() ? std::string{} : targets.front();
  ev.targets = std::move(targets);
  ev.attribution = "event";
}

// network_direction fills a Sysmon 3 event. Initiated=true is outbound from the logging host;
// Initiated=false is inbound, the remote end being principal.ip (newer Sysmon) or, when the local
// service port is on the principal side (older Sysmon, §7), target.ip. Without Initiated (parsers
// that drop it) an event naming another target.hostname is outbound, anything else inbound.
void network_direction(Evidence& ev, const std::string& logging_host, const Json& event) {
  const std::string initiated = to_lower(udm_additional(event, "Initiated"));
  const std::string principal_port = udm_text(event, "principal.port");
  const std::string target_port = udm_text(event, "target.port");
  const std::string target_name = short_host(udm_text(event, "target.hostname"));
  bool outbound = initiated == "true" ||
                  (initiated.empty() && !target_name.empty() && target_name != logging_host);
  if (outbound) {
    ev.source_host = logging_host;
    ev.source_ip = udm_text(event, "principal.ip");
    ev.target_host = target_name;
    ev.target_ip = udm_text(event, "target.ip");
    if (!ev.target_host.empty()) ev.targets = {ev.target_host};
    ev.attribution = "event";
    return;
  }
  ev.target_host = logging_host;
  bool old_style = is_service_port(principal_port) && !is_service_port(target_port);
  ev.source_ip = udm_text(event, old_style ? "target.ip" : "principal.ip");
  ev.target_ip = udm_text(event, old_style ? "principal.ip" : "target.ip");
  if (is_loopback_or_unset(ev.source_ip)) {
    ev.source_ip.clear();
  } else {
    ev.attribution = "event";
  }
}

// target_side fills the source of an event logged on the target: a pipe name first (it names the
// client host even without network data), then 4624 WorkstationName, then src.ip.
void target_side(Evidence& ev, const std::string& logging_host, const Json& event) {
  ev.target_host = logging_host;
  std::string pipe_like = first_non_empty(
      {udm_text(event, "target.file.full_path"), udm_text(event, "target.resource.name")});
  if (auto host = host_from_pipe_name(pipe_like)) {
    ev.source_host = *host;
    ev.attribution = "pipe_name";
  }
  std::string src_ip = udm_text(event, "src.ip");
  if (!is_loopback_or_unset(src_ip)) {
    ev.source_ip = src_ip;
    if (ev.attribution.empty()) ev.attribution = "event";
  }
  std::string src_host = short_host(udm_text(event, "src.hostname"));
  const bool local_logon = src_ip == "127.0.0.1" || src_ip == "::1" || src_host == logging_host;
  if (ev.source_host.empty() && !local_logon && !is_loopback_or_unset(src_host) &&
      !looks_like_ip(src_host)) {
    ev.source_host = src_host;
    ev.attribution = "event";
  }
}

}  // namespace

Evidence to_evidence(const Json& raw_event, const CatalogEntry& entry) {
  const Json& event = udm_root(raw_event);
  Evidence ev;
  ev.catalog_id = entry.id;
  ev.family = entry.family;
  ev.technique = entry.technique;
  ev.indicator = entry.title;
  ev.weight = entry.weight;
  ev.role = entry.role;
  ev.time = udm_time(event);
  ev.event_type = udm_text(event, "metadata.event_type");
  ev.product_event_type = udm_text(event, "metadata.product_event_type");
  if (ev.indicator.empty()) ev.indicator = ev.event_type + " " + ev.product_event_type;

  ev.process = html_unescape(udm_text(event, "target.process.file.full_path"));
  ev.parent = html_unescape(udm_text(event, "principal.process.file.full_path"));
  ev.command_line = html_unescape(udm_text(event, "target.process.command_line"));
  ev.original_file_name = udm_text(event, "src.process.file.full_path");
  if (ev.event_type == "SERVICE_CREATION" || ev.product_event_type == "7045" ||
      ev.product_event_type == "4697") {
    ev.service_name = udm_text(event, "target.application");
  }
  std::string file = html_unescape(udm_text(event, "target.file.full_path"));
  std::string resource = html_unescape(udm_text(event, "target.resource.name"));
  std::string registry = udm_text(event, "target.registry.registry_key");
  if (!resource.empty() && !file.empty()) {
    ev.object = resource + "\\" + file;
  } else {
    ev.object = first_non_empty({file, resource, registry});
  }
  ev.logon_id =
      first_non_empty({udm_additional(event, "TargetLogonId"),
                       udm_additional(event, "SubjectLogonId"), udm_additional(event, "LogonId")});
  for (const char* path : {"target.process.file.sha256", "target.process.file.md5",
                           "target.process.file.sha1", "target.file.sha256", "target.file.md5"}) {
    std::string hash = to_lower(udm_text(event, path));
    if (!hash.empty() && std::find(ev.hashes.begin(), ev.hashes.end(), hash) == ev.hashes.end()) {
      ev.hashes.push_back(hash);
    }
  }
  const bool explicit_logon = ev.product_event_type == "4648";
  const bool share_access = ev.product_event_type == "5145" || ev.product_event_type == "5140";
  std::string target_user = udm_text(event, "target.user.userid");
  std::string principal_user = udm_text(event, "principal.user.userid");
  ev.user = share_access ? pick_user({principal_user, target_user})
                         : pick_user({target_user, principal_user});

  const std::string logging_host = short_host(udm_text(event, "principal.hostname"));
  if (ev.event_type == "NETWORK_CONNECTION") {
    network_direction(ev, logging_host, event);
    return ev;
  }
  if (explicit_logon) {
    std::string server = short_host(udm_text(event, "target.hostname"));
    if (!is_loopback_or_unset(server) && server != logging_host) {
      set_source_side(ev, logging_host, event, {server});
      ev.target_ip = udm_text(event, "target.ip");
      return ev;
    }
  }
  std::vector<std::string> targets =
      command_line_targets(ev.command_line, ev.process, ev.original_file_name);
  if (targets.empty() && !ev.parent.empty()) {
    // The runbook's WMI query tests the parent cmd.exe command line (`cmd /c wmic /node:…`).
    targets = command_line_targets(html_unescape(udm_text(event, "principal.process.command_line")),
                                   ev.parent);
  }
  std::erase_if(targets, [&](const std::string& t) { return t == logging_host; });
  if (!targets.empty()) {
    set_source_side(ev, logging_host, event, std::move(targets));
    return ev;
  }
  target_side(ev, logging_host, event);
  if (ev.source_host.empty() && is_remote_exec_client(ev.process, ev.original_file_name)) {
    // A PsExec client naming no remote host runs locally (`psexec -s cmd`).
    ev.source_host = logging_host;
    ev.attribution = "event";
  }
  return ev;
}

}  // namespace hunt
