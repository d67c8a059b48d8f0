// analysis_detail.hpp — internals shared by analysis.cpp (grouping) and scoring.cpp (scores);
// not for other stages.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tools/hunt/analysis.hpp"

namespace hunt::detail {

// Group is the evidence of one source (see analyse()).
struct Group {
  std::string key;  // "host:WKS07", "ip:10.0.0.7", "user:alice", "target:SRV01"
  std::vector<const Evidence*> detection;
  std::vector<const Evidence*> context;
};

// is_context: correlation results, zero-weight and fan_out-family evidence (network logons,
// share access in bulk) and the catalog's role "context" entries (all service installs) support
// findings but do not make one alone.
bool is_context(const Evidence& ev);

// group_key: source host, else source IP, else a person's user name, else the target host.
std::string group_key(const Evidence& ev);

// targets_of: the target hosts one evidence item names (targets, else target_host, else
// target_ip).
std::vector<std::string> targets_of(const Evidence& ev);

// FanOut is the densest window: the most distinct targets whose evidence falls within
// `window` of the window's first event.
struct FanOut {
  std::size_t targets = 0;
  std::string start;  // RFC 3339 of the window's first event
};
FanOut max_fan_out(const std::vector<const Evidence*>& evidence, std::chrono::minutes window);

// score_finding fills finding.score, reasons and verdict for group. `all` is every evidence item
// of the hunt (for rarity).
void score_finding(Finding& finding, const Group& group, const std::vector<Evidence>& all,
                   const AnalysisConfig& config);

}  // namespace hunt::detail
