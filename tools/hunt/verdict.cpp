// verdict.cpp — decide_verdict and follow_ups (analysis.hpp).
#include <algorithm>
#include <set>

#include "tools/hunt/analysis.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

constexpr std::size_t kMaxNamed = 5;  // queries / hosts named in one sentence before "… N more"

bool ran(const QueryOutcome& q) {
  return q.status == "ok" || q.status == "empty" || q.status == "truncated";
}

std::string join_limited(const std::vector<std::string>& items, std::size_t max = kMaxNamed) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += ", … " + std::to_string(items.size() - max) + " more";
  return out;
}

std::string not_ran_label(const QueryOutcome& q) {
  std::string why = q.status;
  if (!q.error.empty()) why += ": " + truncate_text(q.error, 60);
  return q.id + " (" + why + ")";
}

std::string describe_finding(const Finding& f) {
  std::string source = !f.source_host.empty() ? f.source_host
                       : !f.source_ip.empty() ? f.source_ip
                       : !f.user.empty()      ? "user " + f.user
                                              : "unattributed source";
  const bool local_only =
      !f.targets.empty() &&
      std::all_of(f.targets.begin(), f.targets.end(), [&](const auto& t) { return t == source; });
  const std::string movement =
      local_only ? " (local execution, no remote target)" : " → " + join_limited(f.targets, 3);
  return f.id + " " + source + movement + " via " + join_limited(f.families, 3) + " (score " +
         std::to_string(f.score) + ")";
}

std::vector<std::string> finding_categories(const Finding& f) {
  std::set<std::string> cats;
  for (const auto& ex : f.examples) {
    for (const auto& m : markers_of(ex)) cats.insert(m.category);
  }
  return {cats.begin(), cats.end()};
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void add_unique(std::vector<std::string>& v, const std::string& x) {
  if (!x.empty() && !has(v, x)) v.push_back(x);
}

}  // namespace

void decide_verdict(HuntResult& result) {
  std::vector<std::string> not_ran, not_ran_correlation, truncated;
  std::size_t detection_total = 0, detection_ran = 0;
  for (const auto& q : result.queries) {
    const bool correlation = q.purpose == "correlation";
    if (!correlation) {
      ++detection_total;
      if (ran(q)) ++detection_ran;
    }
    if (q.status == "truncated") truncated.push_back(q.id);
    if (!ran(q) && q.status != "planned")
      (correlation ? not_ran_correlation : not_ran).push_back(not_ran_label(q));
  }
  if (result.status == "planned") {
    result.verdict = "";
    result.verdict_reason =
        "dry run: " + std::to_string(result.queries.size()) + " searches planned, none executed";
    return;
  }
  std::vector<const Finding*> malicious, suspicious;
  std::size_t benign = 0, informational = 0;
  for (const auto& f : result.findings) {
    if (f.verdict == "malicious") malicious.push_back(&f);
    if (f.verdict == "suspicious") suspicious.push_back(&f);
    if (f.verdict == "benign_admin") ++benign;
    if (f.verdict == "informational") ++informational;
  }
  std::string notes;
  if (!not_ran.empty()) notes += "; did not run: " + join_limited(not_ran);
  if (!not_ran_correlation.empty()) {
    notes += "; correlation searches that did not run: " + join_limited(not_ran_correlation);
  }
  if (!truncated.empty()) {
    notes += "; truncated (more events than fetched): " + join_limited(truncated);
  }
  auto list = [](const std::vector<const Finding*>& fs) {
    std::vector<std::string> parts;
    for (const auto* f : fs) parts.push_back(describe_finding(*f));
    return join_limited(parts, 3);
  };
  if (!malicious.empty()) {
    result.verdict = "confirmed";
    result.verdict_reason = std::to_string(malicious.size()) + " malicious finding" +
                            (malicious.size() == 1 ? "" : "s") + ": " + list(malicious) + notes;
    return;
  }
  if (!suspicious.empty()) {
    result.verdict = "suspicious";
    result.verdict_reason = std::to_string(suspicious.size()) + " suspicious finding" +
                            (suspicious.size() == 1 ? "" : "s") + ": " + list(suspicious) + notes;
    return;
  }
  std::string others;
  if (benign + informational > 0) {
    others = " (" + std::to_string(benign) + " benign admin, " + std::to_string(informational) +
             " informational finding" + (benign + informational == 1 ? "" : "s") + ")";
  }
  if (detection_total == 0 || detection_ran == 0) {
    result.verdict = "inconclusive";
    result.verdict_reason = "no detection search ran, so absence of findings means nothing" + notes;
    return;
  }
  if (detection_ran < detection_total) {
    result.verdict = "inconclusive";
    result.verdict_reason = "nothing suspicious in the " + std::to_string(detection_ran) + " of " +
                            std::to_string(detection_total) + " searches that ran" + others + notes;
    return;
  }
  result.verdict = "no_findings";
  result.verdict_reason = "all " + std::to_string(detection_total) +
                          " detection searches ran; nothing suspicious" + others + notes;
}

std::vector<std::string> follow_ups(const HuntResult& result) {
  std::vector<std::string> out;
  std::vector<std::string> sources, targets, users, benign_sources, categories, families;
  for (const auto& f : result.findings) {
    const std::string source = !f.source_host.empty() ? f.source_host : f.source_ip;
    if (f.verdict == "malicious" || f.verdict == "suspicious") {
      if (f.verdict == "malicious") add_unique(sources, source);
      for (const auto& t : f.targets) add_unique(targets, t);
      if (!f.user.empty()) add_unique(users, f.user);
      for (const auto& c : finding_categories(f)) add_unique(categories, c);
      for (const auto& fam : f.families) add_unique(families, fam);
    } else if (f.verdict == "benign_admin") {
      add_unique(benign_sources, source.empty() ? f.user : source);
    }
  }
  if (!targets.empty()) {
    out.push_back("Case event timeline and process analysis for " + join_limited(targets) +
                  ": review the process trees around the flagged executions");
  }
  if (!sources.empty()) {
    out.push_back("Isolate " + join_limited(sources) +
                  " (endpoint containment runbook) and collect triage data from it");
  }
  if (has(categories, "credential_dumping")) {
    out.push_back("Credential-access investigation on " + join_limited(targets) +
                  ": treat credentials cached there as exposed and rotate them");
  }
  if (!users.empty()) {
    out.push_back("Compromised user account response for " + join_limited(users) +
                  ": reset credentials, revoke sessions, review recent sign-ins");
  }
  if (has(categories, "account_creation")) {
    out.push_back("Review and remove accounts created with `net user /add` on " +
                  join_limited(targets));
  }
  if (has(families, "wmi_persistence")) {
    out.push_back("WMI persistence review: remove unknown event filters and consumers on " +
                  join_limited(targets));
  }
  if (!benign_sources.empty()) {
    out.push_back("Review admin tooling policy: confirm PsExec/WMI use from " +
                  join_limited(benign_sources) +
                  " is approved, and keep them in lmhunt admin_sources");
  }
  std::vector<std::string> failed, truncated;
  for (const auto& q : result.queries) {
    if (q.status == "error" || q.status == "not_run") failed.push_back(q.id);
    if (q.status == "truncated") truncated.push_back(q.id);
  }
  if (!failed.empty()) {
    out.push_back("Re-run the hunt once these searches can run: " + join_limited(failed));
  }
  if (!truncated.empty()) {
    out.push_back("Narrow the scope or time range and re-run the truncated searches: " +
                  join_limited(truncated));
  }
  if (out.empty()) {
    out.push_back("Conclude the hunt as documented; repeat it on a schedule to keep the baseline");
  }
  return out;
}

}  // namespace hunt
