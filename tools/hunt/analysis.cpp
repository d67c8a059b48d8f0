// analysis.cpp — analyse (analysis.hpp): grouping evidence into findings.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "tools/hunt/analysis_detail.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace detail {

namespace {

// is_person: a user name that is not a machine ($) or built-in service account.
bool is_person(const std::string& user) {
  return !user.empty() && !user.ends_with('$') && !iequals(user, "SYSTEM") &&
         !iequals(user, "LOCAL SERVICE") && !iequals(user, "NETWORK SERVICE") &&
         !iequals(user, "ANONYMOUS LOGON");
}

}  // namespace

bool is_context(const Evidence& ev) {
  return ev.catalog_id.starts_with("correlate:") || ev.weight <= 0 || ev.family == "fan_out" ||
         ev.role == "context";
}

std::string group_key(const Evidence& ev) {
  if (!ev.source_host.empty()) return "host:" + ev.source_host;
  if (!ev.source_ip.empty()) return "ip:" + ev.source_ip;
  if (is_person(ev.user)) return "user:" + to_lower(ev.user);
  return "target:" + (ev.target_host.empty() ? ev.target_ip : ev.target_host);
}

std::vector<std::string> targets_of(const Evidence& ev) {
  if (!ev.targets.empty()) return ev.targets;
  if (!ev.target_host.empty()) return {ev.target_host};
  if (!ev.target_ip.empty()) return {ev.target_ip};
  return {};
}

FanOut max_fan_out(const std::vector<const Evidence*>& evidence, std::chrono::minutes window) {
  std::vector<std::pair<std::int64_t, std::string>> points;
  for (const Evidence* ev : evidence) {
    auto when = parse_time(ev->time);
    if (!when) continue;
    for (const auto& t : targets_of(*ev)) {
      if (t != ev->source_host) points.emplace_back(*when, t);
    }
  }
  std::sort(points.begin(), points.end());
  const std::int64_t span = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  FanOut best;
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::set<std::string> distinct;
    for (std::size_t j = i; j < points.size() && points[j].first - points[i].first <= span; ++j) {
      distinct.insert(points[j].second);
    }
    if (distinct.size() > best.targets) best = {distinct.size(), format_time(points[i].first)};
  }
  return best;
}

}  // namespace detail

namespace {

using detail::Group;

// example_rank orders the most telling evidence first: markers, then weight, then time.
bool more_telling(const Evidence* a, const Evidence* b) {
  auto ma = markers_of(*a).size(), mb = markers_of(*b).size();
  if (ma != mb) return ma > mb;
  if (a->weight != b->weight) return a->weight > b->weight;
  return a->time < b->time;
}

std::vector<Evidence> pick_examples(std::vector<const Evidence*> evidence, std::size_t max) {
  std::stable_sort(evidence.begin(), evidence.end(), more_telling);
  std::vector<Evidence> out;
  std::set<std::string> seen;
  // First pass: one per (detection, target) so examples show variety; then fill.
  for (int pass = 0; pass < 2 && out.size() < max; ++pass) {
    for (const Evidence* ev : evidence) {
      if (out.size() >= max) break;
      std::string key = ev->catalog_id + "|" + ev->target_host;
      if (pass == 0 ? !seen.insert(key).second
                    : std::any_of(out.begin(), out.end(), [&](const Evidence& e) {
                        return e.time == ev->time && e.catalog_id == ev->catalog_id &&
                               e.target_host == ev->target_host &&
                               e.command_line == ev->command_line;
                      })) {
        continue;
      }
      out.push_back(*ev);
    }
  }
  return out;
}

Finding build_finding(const Group& group, const std::vector<Evidence>& all,
                      const AnalysisConfig& config) {
  Finding f;
  const auto& scored = group.detection.empty() ? group.context : group.detection;
  std::map<std::string, int> users;
  std::set<std::string> techniques, families, targets;
  bool on_source = false;  // evidence landed on the source host itself
  std::optional<std::int64_t> first, last;
  for (const Evidence* ev : scored) {
    if (f.source_host.empty()) f.source_host = ev->source_host;
    if (f.source_ip.empty()) f.source_ip = ev->source_ip;
    if (detail::is_context(*ev) == false || group.detection.empty()) {
      for (const auto& t : detail::targets_of(*ev)) {
        // Local activity on the source itself is not a target of its movement.
        if (group.key != "host:" + t) {
          targets.insert(t);
        } else {
          on_source = true;
        }
      }
    }
    if (!ev->technique.empty()) techniques.insert(ev->technique);
    if (!ev->family.empty()) families.insert(ev->family);
    if (detail::is_person(ev->user)) ++users[ev->user];
  }
  for (const auto* list : {&group.detection, &group.context}) {
    for (const Evidence* ev : *list) {
      if (auto when = parse_time(ev->time)) {
        if (!first || *when < *first) first = when;
        if (!last || *when > *last) last = when;
      }
    }
  }
  if (!users.empty()) {
    f.user = std::max_element(users.begin(), users.end(), [](const auto& a, const auto& b) {
               return a.second < b.second;
             })->first;
  }
  f.techniques.assign(techniques.begin(), techniques.end());
  f.families.assign(families.begin(), families.end());
  // A finding that never left its source is local execution: its one target is the source itself
  // (scored and reported as local, never as movement).
  if (targets.empty() && on_source) targets.insert(group.key.substr(5));
  f.targets.assign(targets.begin(), targets.end());
  if (first) f.first_seen = format_time(*first);
  if (last) f.last_seen = format_time(*last);
  f.evidence_count = group.detection.size() + group.context.size();
  f.examples = pick_examples(scored, config.max_examples);
  detail::score_finding(f, group, all, config);
  return f;
}

}  // namespace

std::vector<Finding> analyse(const std::vector<Evidence>& evidence, const AnalysisConfig& config) {
  // Hosts that moved laterally themselves: unattributed activity on such a host (WMI persistence,
  // tools staged on the pivot) belongs to its finding rather than to one of its own.
  std::set<std::string> movers;
  for (const auto& ev : evidence) {
    if (!detail::is_context(ev) && !ev.source_host.empty() && !ev.targets.empty()) {
      movers.insert(ev.source_host);
    }
  }
  std::map<std::string, Group> groups;
  for (const auto& ev : evidence) {
    std::string key = detail::group_key(ev);
    if (ev.source_host.empty() && ev.source_ip.empty() && movers.contains(ev.target_host)) {
      key = "host:" + ev.target_host;
    }
    auto& g = groups[key];
    g.key = key;
    (detail::is_context(ev) ? g.context : g.detection).push_back(&ev);
  }
  std::vector<Finding> findings;
  for (const auto& [key, group] : groups) {
    if (group.detection.empty()) {
      // Context alone (e.g. network logons) is a finding only when it fans out.
      if (key.starts_with("target:")) continue;
      auto fan = detail::max_fan_out(group.context, config.fan_out_window);
      if (fan.targets < static_cast<std::size_t>(std::max(1, config.fan_out_threshold))) continue;
    }
    findings.push_back(build_finding(group, evidence, config));
  }
  // F1 is the highest score; ties go to the earlier first_seen, then the source host (IP, user
  // and targets last), so the same evidence always numbers its findings the same way.
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::forward_as_tuple(b.score, a.first_seen, a.source_host, a.source_ip, a.user,
                                 a.targets) < std::forward_as_tuple(a.score, b.first_seen,
                                                                    b.source_host, b.source_ip,
                                                                    b.user, b.targets);
  });
  for (std::size_t i = 0; i < findings.size(); ++i) findings[i].id = "F" + std::to_string(i + 1);
  return findings;
}

}  // namespace hunt
