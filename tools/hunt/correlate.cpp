// correlate.cpp — see correlate.hpp.
#include "tools/hunt/correlate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>

#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

bool is_correlation(const Evidence& ev) {
  return ev.catalog_id.starts_with("correlate:");
}

// host_regex is the UDM regex literal matching a short name or any FQDN of it.
std::string host_regex(const std::string& host) {
  std::string escaped;
  for (char c : to_lower(host)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      escaped.push_back('\\');
    escaped.push_back(c);
  }
  return "/^" + escaped + "(\\..*)?$/ nocase";
}

std::string quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

struct TargetAcc {
  CorrelationTarget target;
  bool unattributed = false;
  int max_weight = 0;
  std::size_t count = 0;
  std::optional<std::int64_t> first, last;
};

bool is_person(const std::string& user) {
  return !user.empty() && !user.ends_with('$') && !iequals(user, "SYSTEM") &&
         !iequals(user, "ANONYMOUS LOGON") && !iequals(user, "LOCAL SERVICE") &&
         !iequals(user, "NETWORK SERVICE");
}

}  // namespace

std::vector<CorrelationTarget> correlation_targets(const std::vector<Evidence>& evidence,
                                                   std::size_t max_targets) {
  std::map<std::string, TargetAcc> by_host;
  for (const auto& ev : evidence) {
    if (is_correlation(ev) || ev.weight <= 0) continue;
    auto when = parse_time(ev.time);
    if (!when) continue;
    std::vector<std::string> hosts = ev.targets;
    if (hosts.empty() && !ev.target_host.empty()) hosts.push_back(ev.target_host);
    if (hosts.empty() && !ev.target_ip.empty()) hosts.push_back(ev.target_ip);
    for (const auto& host : hosts) {
      auto& acc = by_host[host];
      acc.target.host = host;
      if (acc.target.ip.empty() && ev.target_host == host && !ev.target_ip.empty() &&
          !is_loopback_or_unset(ev.target_ip)) {
        acc.target.ip = ev.target_ip;
      }
      acc.unattributed |= ev.source_host.empty() && ev.source_ip.empty();
      acc.max_weight = std::max(acc.max_weight, ev.weight);
      ++acc.count;
      if (!acc.first || *when < *acc.first) acc.first = when;
      if (!acc.last || *when > *acc.last) acc.last = when;
    }
  }
  std::vector<TargetAcc> all;
  for (auto& [host, acc] : by_host) all.push_back(std::move(acc));
  std::sort(all.begin(), all.end(), [](const TargetAcc& a, const TargetAcc& b) {
    if (a.unattributed != b.unattributed) return a.unattributed;
    if (a.max_weight != b.max_weight) return a.max_weight > b.max_weight;
    if (a.count != b.count) return a.count > b.count;
    return a.target.host < b.target.host;
  });
  std::vector<CorrelationTarget> out;
  for (auto& acc : all) {
    if (out.size() >= max_targets) break;
    acc.target.first_seen = format_time(*acc.first);
    acc.target.last_seen = format_time(*acc.last);
    out.push_back(std::move(acc.target));
  }
  return out;
}

std::vector<CorrelationQuery> correlation_queries(const CorrelationTarget& target,
                                                  std::chrono::minutes window) {
  std::string start, end;
  auto first = parse_time(target.first_seen);
  auto last = parse_time(target.last_seen);
  const std::int64_t pad = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  if (first && last) {
    start = format_time(*first - pad);
    end = format_time(*last + pad);
  }
  const bool ip_only = looks_like_ip(target.host);
  const std::string logged_on_target = ip_only ? "principal.ip = " + quoted(target.host)
                                               : "principal.hostname = " + host_regex(target.host);
  std::string towards_target = ip_only ? "target.ip = " + quoted(target.host)
                                       : "target.hostname = " + host_regex(target.host);
  if (!ip_only && !target.ip.empty()) {
    towards_target = "(" + towards_target + " OR target.ip = " + quoted(target.ip) + ")";
  }
  const std::string service_ports = "(target.port = 445 OR target.port = 135)";
  const std::string either_direction =
      "(target.port = 445 OR target.port = 135 OR principal.port = 445 OR principal.port = 135)";

  std::vector<CorrelationQuery> out;
  CorrelationQuery network;
  network.id = "correlate:" + target.host + ":network";
  network.title = "SMB/RPC connections to " + target.host;
  network.query = "metadata.event_type = \"NETWORK_CONNECTION\" AND ((" + logged_on_target +
                  " AND " + either_direction + ") OR (" + towards_target + " AND " + service_ports +
                  "))";
  network.start_time = start;
  network.end_time = end;
  network.target_host = target.host;
  out.push_back(std::move(network));

  CorrelationQuery logon;
  logon.id = "correlate:" + target.host + ":logon";
  logon.title = "Network logons (4624 type 3) on " + target.host;
  logon.query =
      "metadata.event_type = \"USER_LOGIN\" AND metadata.product_event_type = \"4624\" AND " +
      logged_on_target +
      " AND (additional.fields[\"LogonType\"] = \"3\" OR extensions.auth.mechanism = \"NETWORK\")";
  logon.start_time = start;
  logon.end_time = end;
  logon.target_host = target.host;
  out.push_back(std::move(logon));
  return out;
}

void attribute_sources(std::vector<Evidence>& evidence,
                       const std::vector<Evidence>& correlation_evidence,
                       std::chrono::minutes window) {
  // IP → host, by majority over every pairing the data shows.
  std::map<std::string, std::map<std::string, int>> votes;
  auto learn = [&](const Evidence& ev) {
    if (!ev.source_ip.empty() && !ev.source_host.empty() && !looks_like_ip(ev.source_host) &&
        ev.attribution != "pipe_name") {
      ++votes[ev.source_ip][ev.source_host];
    }
    if (ev.event_type == "NETWORK_CONNECTION" && !ev.target_ip.empty() && !ev.target_host.empty() &&
        !looks_like_ip(ev.target_host) && !is_loopback_or_unset(ev.target_ip)) {
      ++votes[ev.target_ip][ev.target_host];
    }
  };
  for (const auto& ev : evidence) learn(ev);
  for (const auto& ev : correlation_evidence) learn(ev);
  auto host_of = [&](const std::string& ip) -> std::string {
    auto it = votes.find(ip);
    if (it == votes.end()) return {};
    auto best = std::max_element(it->second.begin(), it->second.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    return best->first;
  };

  const std::int64_t limit = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  for (auto& ev : evidence) {
    // Evidence that names its own source IP keeps it (the IP map below may name the host).
    if (!ev.source_host.empty() || !ev.source_ip.empty() || ev.target_host.empty() ||
        !ev.targets.empty()) {
      continue;
    }
    const Evidence* chosen = nullptr;
    if (!ev.logon_id.empty()) {
      for (const auto& c : correlation_evidence) {
        if (c.product_event_type == "4624" && c.target_host == ev.target_host &&
            iequals(c.logon_id, ev.logon_id) && (!c.source_ip.empty() || !c.source_host.empty())) {
          chosen = &c;
          break;
        }
      }
    }
    auto when = parse_time(ev.time);
    if (!chosen && when) {
      std::int64_t best = limit + 1;
      bool best_before = false;
      for (const auto& c : correlation_evidence) {
        if (c.target_host != ev.target_host || !c.targets.empty()) continue;
        if (c.source_ip.empty() && c.source_host.empty()) continue;
        if (c.source_host == ev.target_host) continue;
        auto at = parse_time(c.time);
        if (!at) continue;
        std::int64_t distance = std::llabs(*at - *when);
        bool before = *at <= *when;
        if (distance < best || (distance == best && before && !best_before)) {
          best = distance;
          best_before = before;
          chosen = &c;
        }
      }
    }
    if (!chosen) continue;
    ev.source_host =
        !chosen->source_host.empty() ? chosen->source_host : host_of(chosen->source_ip);
    ev.source_ip = chosen->source_ip;
    ev.attribution = chosen->product_event_type == "4624" ? "logon" : "network";
    if (!is_person(ev.user) && is_person(chosen->user)) ev.user = chosen->user;
  }
  for (auto& ev : evidence) {
    if (ev.source_host.empty() && !ev.source_ip.empty()) {
      ev.source_host = host_of(ev.source_ip);
      if (!ev.source_host.empty() && ev.attribution.empty()) ev.attribution = "ip_map";
    }
  }
}

}  // namespace hunt
