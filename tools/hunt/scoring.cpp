// scoring.cpp — score_finding (analysis_detail.hpp): the additive, explained score of one finding
// (the table is in analysis.hpp).
#include <algorithm>
#include <map>
#include <set>

#include <re2/re2.h>

#include "tools/hunt/analysis_detail.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt::detail {

namespace {

constexpr int kAdminCredit = -30;
constexpr int kRoutineCredit = -15;
constexpr int kWorkstationSource = 20;
constexpr int kOtherSource = 15;
constexpr int kUnattributed = 5;
constexpr int kLocalOnly = -10;
constexpr int kFanOut = 25;
constexpr int kSeveralTargets = 5;
constexpr int kRare = 5;
constexpr int kPayloadCap = 50;
constexpr int kToolCap = 40;
constexpr int kRoutineDays = 3;
constexpr std::int64_t kRoutineSpanSeconds = 48 * 3600;
constexpr int kStrongPayloadPoints = 20;
constexpr int kMaliciousScore = 70;
constexpr int kSuspiciousScore = 40;

std::string signed_points(int points) {
  return (points >= 0 ? "+" : "") + std::to_string(points);
}

// admin_match returns the admin_sources pattern matching the source host, IP or user, or "".
std::string admin_match(const Finding& f, const AnalysisConfig& config) {
  for (const auto& pattern : config.admin_sources) {
    for (const std::string* value : {&f.source_host, &f.source_ip, &f.user}) {
      if (!value->empty() && glob_match(pattern, *value)) return pattern;
    }
  }
  return {};
}

bool workstation_name(const std::string& host) {
  // Common workstation naming: WKS07, WS-12, PC_3, DESKTOP-AB12CD, LAPTOP-x, FINANCE-PC2.
  static const RE2 kWorkstation(
      R"((?i)^((wks|ws|wk|pc|nb|lt|client)[-_]?\d.*|(desktop|laptop|workstation)[-_]?.*|.*-(pc|wks|ws|lt)\d*))");
  return RE2::FullMatch(host, kWorkstation);
}

struct Routine {
  std::size_t days = 0;
  std::int64_t span = 0;
};

Routine routine_of(const std::vector<const Evidence*>& evidence) {
  std::set<std::string> days;
  std::optional<std::int64_t> first, last;
  for (const Evidence* ev : evidence) {
    auto when = parse_time(ev->time);
    if (!when) continue;
    days.insert(format_time(*when).substr(0, 10));
    if (!first || *when < *first) first = when;
    if (!last || *when > *last) last = when;
  }
  return {days.size(), first ? *last - *first : 0};
}

}  // namespace

void score_finding(Finding& f, const Group& group, const std::vector<Evidence>& all,
                   const AnalysisConfig& config) {
  const auto& scored = group.detection.empty() ? group.context : group.detection;
  int score = 0;
  auto add = [&](int points, std::string why) {
    score += points;
    f.reasons.push_back(signed_points(points) + " " + std::move(why));
  };

  // Indicator strength.
  const Evidence* strongest =
      *std::max_element(scored.begin(), scored.end(),
                        [](const Evidence* a, const Evidence* b) { return a->weight < b->weight; });
  if (strongest->weight > 0) {
    add(strongest->weight / 3, "strongest indicator: " + strongest->indicator + " (weight " +
                                   std::to_string(strongest->weight) + ")");
  }

  // Markers, one per category, with the target where they were seen.
  std::vector<std::pair<Marker, std::string>> markers;
  for (const Evidence* ev : scored) {
    for (auto& m : markers_of(*ev)) {
      if (std::none_of(markers.begin(), markers.end(),
                       [&](const auto& x) { return x.first.category == m.category; })) {
        markers.emplace_back(std::move(m), ev->target_host);
      }
    }
  }
  // Weak payload markers (reconnaissance, a shell under PSEXESVC/WmiPrvSE for a person) are what
  // administrators' own PsExec/WMI sessions look like; only attack tools and strong payloads
  // (credential dumping, account creation, encoded or downloading PowerShell) withhold the admin
  // and routine credits.
  const bool marked = std::any_of(markers.begin(), markers.end(), [](const auto& m) {
    return m.first.kind == "tool" || m.first.points >= kStrongPayloadPoints;
  });

  // Source.
  const std::string source = !f.source_host.empty() ? f.source_host : f.source_ip;
  const std::string admin = admin_match(f, config);
  const Routine routine = routine_of(scored);
  const bool local_only = !source.empty() && !f.targets.empty() &&
                          std::all_of(f.targets.begin(), f.targets.end(),
                                      [&](const std::string& t) { return t == source; });
  bool benign_source = false;
  if (!admin.empty() && !marked) {
    add(kAdminCredit, "source " + (source.empty() ? f.user : source) +
                          " is a known admin source (admin_sources \"" + admin + "\")");
    benign_source = true;
  } else if (!admin.empty()) {
    f.reasons.push_back("+0 source matches admin_sources \"" + admin +
                        "\", but attack-tool or strong payload markers withhold the admin credit");
  } else if (!source.empty() && !marked && routine.days >= kRoutineDays &&
             routine.span >= kRoutineSpanSeconds) {
    add(kRoutineCredit, "routine: " + source + " did this on " + std::to_string(routine.days) +
                            " distinct days across the window, with no payload markers");
    benign_source = true;
  }
  if (admin.empty() && !benign_source) {
    if (source.empty()) {
      add(kUnattributed, "source not attributed (not shown to be an admin host)");
    } else if (local_only && marked) {
      // Local PsExec -s / a local service is how administrators get a SYSTEM shell, so local
      // execution is normally credited down; not when it dumps credentials, creates accounts or
      // uses an attack tool (e.g. `PsExec -s reg save HKLM\security\policy\secrets`).
      f.reasons.push_back("+0 local execution on " + source +
                          " (no remote target), but attack-tool or strong payload markers "
                          "withhold the local-execution credit");
    } else if (local_only) {
      add(kLocalOnly, "local execution on " + source + " (no remote target)");
    } else if (!f.source_host.empty() && workstation_name(f.source_host)) {
      add(kWorkstationSource, "source " + source + " is a workstation, not a known admin host");
    } else {
      add(kOtherSource, "source " + source + " is not a known admin host");
    }
  }

  // Fan-out.
  const FanOut fan = max_fan_out(scored, config.fan_out_window);
  const auto threshold = static_cast<std::size_t>(std::max(1, config.fan_out_threshold));
  if (fan.targets >= threshold) {
    add(kFanOut, "fan-out: " + std::to_string(fan.targets) + " distinct targets within " +
                     std::to_string(config.fan_out_window.count()) + " min (threshold " +
                     std::to_string(threshold) + ")");
  } else if (f.targets.size() >= 2 && !local_only) {
    add(kSeveralTargets, std::to_string(f.targets.size()) + " distinct targets");
  }

  // Payload and tool markers (each category once, capped per kind).
  int payload_points = 0, tool_points = 0;
  for (const auto& [m, where] : markers) {
    int& used = m.kind == "payload" ? payload_points : tool_points;
    const int cap = m.kind == "payload" ? kPayloadCap : kToolCap;
    const int points = std::min(m.points, cap - used);
    used += points;
    add(points, m.label + (points < m.points ? " (capped)" : "") +
                    (where.empty() ? "" : " on " + where) + ": " + m.excerpt);
  }

  // Rarity: no other source shows the same family in the window.
  if (!benign_source) {
    std::set<std::string> other_families;
    for (const auto& ev : all) {
      if (!is_context(ev) && group_key(ev) != group.key) other_families.insert(ev.family);
    }
    std::vector<std::string> rare;
    for (const auto& fam : f.families) {
      if (!other_families.contains(fam)) rare.push_back(fam);
    }
    if (!rare.empty() && rare.size() == f.families.size()) {
      std::string list;
      for (const auto& r : rare) list += (list.empty() ? "" : ", ") + r;
      add(kRare, "rare: no other source shows " + list + " in the window");
    }
  }

  f.score = std::clamp(score, 0, 100);
  if (benign_source) {
    f.verdict = "benign_admin";
  } else if (f.score >= kMaliciousScore) {
    f.verdict = "malicious";
  } else if (f.score >= kSuspiciousScore) {
    f.verdict = "suspicious";
  } else {
    f.verdict = "informational";
  }
}

}  // namespace hunt::detail
