// correlate.cpp — see correlate.hpp.
#include "tools/hunt/correlate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <utility>

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

namespace {

// is_local_session: the well-known logon ids of SYSTEM, NETWORK SERVICE and LOCAL SERVICE. A
// process in one of them is not running in an inbound network logon, so a network logon that
// merely happened nearby says nothing about where it came from.
bool is_local_session(const std::string& logon_id) {
  return iequals(logon_id, "0x3e7") || iequals(logon_id, "0x3e4") || iequals(logon_id, "0x3e5");
}

bool names_target(const Evidence& c, const std::string& host) {
  return std::any_of(c.targets.begin(), c.targets.end(),
                     [&](const std::string& t) { return iequals(t, host); });
}

// Link is one candidate source for an unattributed event, with how it was found.
struct Link {
  const Evidence* from = nullptr;
  std::string how;  // the attribution value
};

// nearest returns the candidate closest in time to `when` among those `accept` takes, with
// `candidate time - when` in [min_offset, max_offset] seconds; ties prefer the earlier one.
template <class Accept>
const Evidence* nearest(const std::vector<const Evidence*>& candidates, std::int64_t when,
                        std::int64_t min_offset, std::int64_t max_offset, Accept accept) {
  const Evidence* best = nullptr;
  std::int64_t best_distance = 0, best_offset = 0;
  for (const Evidence* c : candidates) {
    if (!accept(*c)) continue;
    auto at = parse_time(c->time);
    if (!at) continue;
    const std::int64_t offset = *at - when;
    if (offset < min_offset || offset > max_offset) continue;
    const std::int64_t distance = std::llabs(offset);
    if (!best || distance < best_distance || (distance == best_distance && offset < best_offset)) {
      best = c;
      best_distance = distance;
      best_offset = offset;
    }
  }
  return best;
}

constexpr std::int64_t kPipeSlack = 120;         // pipes open within seconds of the service
constexpr std::int64_t kCommandBefore = 300;     // the client command precedes its effects
constexpr std::int64_t kCommandAfter = 60;       // (clock skew between hosts)
constexpr std::int64_t kConnectionBefore = 120;  // the SMB/RPC session right before
constexpr std::int64_t kConnectionAfter = 10;

}  // namespace

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

  // Candidates: everything that already names a source, from the hunt's own evidence (pipes,
  // source-side commands, share access and logons of the context queries) and from step 5.
  // Evidence attributed below never becomes a candidate, so the order of events does not matter.
  std::vector<const Evidence*> candidates;
  for (const std::vector<Evidence>* list : {&std::as_const(evidence), &correlation_evidence}) {
    for (const auto& c : *list) {
      if (!c.source_host.empty() || !c.source_ip.empty()) candidates.push_back(&c);
    }
  }
  auto inbound_to = [](const Evidence& c, const std::string& host) {
    if (c.source_host == host) return false;
    if (c.targets.empty()) return c.target_host == host;                   // logged by the target
    return c.event_type == "NETWORK_CONNECTION" && names_target(c, host);  // logged by a source
  };

  const std::int64_t limit = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  std::vector<std::pair<Evidence*, Link>> links;
  for (auto& ev : evidence) {
    // Evidence that names its own source IP keeps it (the IP map below may name the host).
    if (!ev.source_host.empty() || !ev.source_ip.empty() || ev.target_host.empty() ||
        !ev.targets.empty()) {
      continue;
    }
    const std::string& host = ev.target_host;
    Link link;
    // 1. The same logon session: the inbound network logon this process or install ran in.
    if (!ev.logon_id.empty() && !is_local_session(ev.logon_id)) {
      for (const Evidence* c : candidates) {
        if (c->product_event_type == "4624" && c->target_host == host && c->targets.empty() &&
            iequals(c->logon_id, ev.logon_id)) {
          link = {c, "logon"};
          break;
        }
      }
    }
    auto when = parse_time(ev.time);
    if (!link.from && when) {
      // 2. A PsExec-style stdio pipe on the same host, opened by the same session. A pipe naming
      //    the host itself is a local run (`PsExec -s` on the machine): its source is the host.
      link.from = nearest(candidates, *when, -kPipeSlack, kPipeSlack, [&](const Evidence& c) {
        return c.attribution == "pipe_name" && c.target_host == host;
      });
      link.how = "pipe_name";
    }
    if (!link.from && when) {
      // 3. A command on another host naming this one (wmic /node, psexec \\X, -ComputerName,
      //    4648 to this server), just before.
      link.from =
          nearest(candidates, *when, -kCommandBefore, kCommandAfter, [&](const Evidence& c) {
            return !c.targets.empty() && c.event_type != "NETWORK_CONNECTION" &&
                   !c.source_host.empty() && c.source_host != host && names_target(c, host);
          });
      link.how = "source_event";
    }
    // 4 and 5 only tie a network session to the event by time, which says nothing for a process
    // in a local session (SYSTEM services, the SCCM agent under WmiPrvSE).
    const bool time_only_allowed = when && !is_local_session(ev.logon_id);
    if (!link.from && time_only_allowed) {
      // 4. An SMB/RPC connection, share access or network logon from the source right before.
      link.from = nearest(candidates, *when, -kConnectionBefore, kConnectionAfter,
                          [&](const Evidence& c) { return inbound_to(c, host); });
      link.how = "network";
    }
    if (!link.from && time_only_allowed) {
      // 5. Fallback: the nearest inbound connection or network logon within the window.
      link.from = nearest(candidates, *when, -limit, limit,
                          [&](const Evidence& c) { return inbound_to(c, host); });
      link.how = "network";
    }
    if (!link.from) continue;
    if (link.how == "network" && link.from->product_event_type == "4624") link.how = "logon";
    links.emplace_back(&ev, std::move(link));
  }
  for (auto& [ev, link] : links) {
    const Evidence& chosen = *link.from;
    ev->source_host = !chosen.source_host.empty() ? chosen.source_host : host_of(chosen.source_ip);
    // A source learned from a pipe name or a source-side command carries the source's address
    // only when the event says it.
    ev->source_ip = chosen.source_ip;
    ev->attribution = link.how;
    if (!is_person(ev->user) && chosen.product_event_type == "4624" && is_person(chosen.user)) {
      ev->user = chosen.user;
    }
  }
  // 6. A process in a local session (services.exe or Task Scheduler running the payload as
  //    SYSTEM) right after attributed detection evidence on the same host — the service install
  //    or the pipe of the same session, or its svcctl/atsvc pipe access over IPC$ — comes from the
  //    same source ("chain"), which is the host itself for a local PsExec run.
  // A link known only by its source IP (the 5145 of an atexec client carries src.ip alone) is
  // named through the IP map.
  auto source_name = [&](const Evidence& c) {
    return !c.source_host.empty() ? c.source_host : host_of(c.source_ip);
  };
  std::vector<std::pair<Evidence*, const Evidence*>> chained;
  for (auto& ev : evidence) {
    if (!ev.source_host.empty() || !ev.source_ip.empty() || ev.target_host.empty() ||
        !ev.targets.empty() || !is_local_session(ev.logon_id)) {
      continue;
    }
    auto when = parse_time(ev.time);
    if (!when) continue;
    std::vector<const Evidence*> same_host;
    for (const auto& c : evidence) {
      const bool detection =
          c.weight > 0 && c.role != "context" && !c.catalog_id.starts_with("correlate:");
      // The service-control / task-scheduler RPC pipe opened over IPC$ by the same session.
      const bool control_pipe = c.product_event_type == "5145" &&
                                (icontains(c.object, "svcctl") || icontains(c.object, "atsvc"));
      if (c.target_host != ev.target_host || !c.targets.empty() || !(detection || control_pipe))
        continue;
      // The source may be the host itself: a local PsExec run's pipes name the host, and its
      // PSEXESVC.exe and payload (SYSTEM) come from that same local run.
      if (!source_name(c).empty()) same_host.push_back(&c);
    }
    if (auto* c = nearest(same_host, *when, -kPipeSlack, kPipeSlack,
                          [](const Evidence&) { return true; })) {
      chained.emplace_back(&ev, c);
    }
  }
  for (auto& [ev, c] : chained) {
    ev->source_host = source_name(*c);
    ev->source_ip = c->source_ip;
    ev->attribution = "chain";
  }
  for (auto& ev : evidence) {
    if (ev.source_host.empty() && !ev.source_ip.empty()) {
      ev.source_host = host_of(ev.source_ip);
      if (!ev.source_host.empty() && ev.attribution.empty()) ev.attribution = "ip_map";
    }
  }
}

}  // namespace hunt
