// runner_enrich.cpp — HuntRunner steps 7 (enrich) and 8 (related cases).
#include <algorithm>
#include <cctype>

#include "tools/hunt/analysis.hpp"
#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/parallel.hpp"
#include "tools/hunt/runner.hpp"

namespace hunt {
namespace {

std::string outcome_of(const mcp::Error& e) {
  if (e.code == downstream::kNotFound) return "not_found";
  return std::string(downstream::error_kind(e.code)) + ": " + e.message;
}

std::optional<downstream::IocKind> ioc_kind(const std::string& kind) {
  if (kind == "ip") return downstream::IocKind::kIp;
  if (kind == "domain") return downstream::IocKind::kDomain;
  if (kind == "hash") return downstream::IocKind::kFile;
  if (kind == "url") return downstream::IocKind::kUrl;
  return std::nullopt;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// mentions reports whether text contains term as a whole word, ASCII case-insensitively, so that
// "DC1" does not match "DC10".
bool mentions(std::string_view text, std::string_view term) {
  if (term.empty()) return false;
  const std::string haystack = to_lower(text);
  const std::string needle = to_lower(term);
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    const bool left = at == 0 || !is_word_char(haystack[at - 1]);
    const auto end = at + needle.size();
    const bool right = end >= haystack.size() || !is_word_char(haystack[end]);
    if (left && right) return true;
  }
  return false;
}

// search_terms lists how an entity may be written in a case: as given, plus the short host name
// of an FQDN and the bare account of DOMAIN\user or user@domain.
std::vector<std::string> search_terms(const Entity& entity) {
  std::vector<std::string> terms = {entity.value};
  if (entity.kind == "host") terms.push_back(short_host(entity.value));
  if (entity.kind == "user") {
    if (auto slash = entity.value.rfind('\\'); slash != std::string::npos) {
      terms.push_back(entity.value.substr(slash + 1));
    }
    if (auto at = entity.value.find('@'); at != std::string::npos) {
      terms.push_back(entity.value.substr(0, at));
    }
  }
  std::erase_if(terms, [](const std::string& t) { return t.size() < 3; });
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

bool is_open(const std::string& status) {
  return iequals(status, "opened") || iequals(status, "open");
}

}  // namespace

// ---- step 7: enrich -------------------------------------------------------------------------

void HuntRunner::step_enrich() {
  std::vector<Finding> findings;
  update([&](HuntResult& r) { findings = r.findings; });
  auto entities = entities_to_enrich(findings, env_.settings.max_entities);
  const int lookup_hours = std::clamp(args_.time_frame_hours, 72, 168);
  auto& siem = env_.downstream.siem;
  auto& intel = env_.downstream.threat_intel;
  // The SIEM lookup and the threat-intelligence report of an entity are independent, so they are
  // separate tasks (2i: SIEM, 2i+1: intel); each writes only its own fields of the entity.
  parallel_for(2 * entities.size(), env_.settings.concurrency, [&](std::size_t task) {
    Entity& e = entities[task / 2];
    const bool siem_task = task % 2 == 0;
    const bool siem_kind = e.kind == "host" || e.kind == "user" || e.kind == "ip";
    if (siem_task && siem_kind) {
      if (!siem) {
        e.siem_outcome = "not_run: no SIEM server";
      } else if (auto why = stop_reason(); !why.empty()) {
        e.siem_outcome = "not_run: " + why;
      } else if (auto text = siem->lookup_entity(e.value, lookup_hours, call_context())) {
        e.siem_outcome = "ok";
        e.siem_summary = summarize_entity_text(text.value());
      } else {
        e.siem_outcome = outcome_of(text.error());
      }
    }
    if (auto kind = ioc_kind(e.kind); kind && !siem_task) {
      if (!intel) {
        e.intel_outcome = "not_run: no threat-intelligence server";
      } else if (auto why = stop_reason(); !why.empty()) {
        e.intel_outcome = "not_run: " + why;
      } else if (auto report = intel->report(*kind, e.value, call_context())) {
        e.intel_outcome = "ok";
        e.intel_summary = summarize_intel(report.value());
      } else {
        e.intel_outcome = outcome_of(report.error());
      }
    }
  });
  const bool has_user = std::any_of(entities.begin(), entities.end(),
                                    [](const Entity& e) { return e.kind == "user"; });
  update([&](HuntResult& r) { r.entities = std::move(entities); });
  if (has_user) {
    warn(std::string(kOptionalStepNotConfigured) +
         "identity-provider lookup of the users involved was skipped: none is configured.");
  }
}

// ---- step 8: related cases --------------------------------------------------------------------

void HuntRunner::step_related_cases() {
  // The same entities step 7 enriches, computed from the findings rather than read from the
  // result: this step runs beside step 7 (runner.cpp) and needs only their kinds and values.
  std::vector<Finding> findings;
  update([&](HuntResult& r) { findings = r.findings; });
  const auto entities = entities_to_enrich(findings, env_.settings.max_entities);
  if (entities.empty()) return;  // nothing suspicious to look for
  auto& soar = env_.downstream.soar;
  if (!soar) return;  // warned in step 1
  if (auto why = stop_reason(); !why.empty()) {
    warn("Related cases were not searched: " + why + ".");
    return;
  }
  auto cases = soar->list_cases(call_context());
  if (!cases) {
    soar_problem_ = "listing cases failed: " + outcome_of(cases.error());
    warn("Related cases could not be listed (" + outcome_of(cases.error()) + ").");
    return;
  }
  std::vector<std::pair<RelatedCase, std::vector<std::string>>> candidates;
  for (const auto& c : cases.value()) {
    if (!is_open(c.status)) continue;
    RelatedCase related;
    related.id = c.id;
    related.name = c.name;
    related.status = c.status;
    related.priority = c.priority;
    std::vector<std::string> terms;
    for (const auto& e : entities) {
      const auto entity_terms = search_terms(e);
      const bool named = std::any_of(entity_terms.begin(), entity_terms.end(), [&](auto& t) {
        return mentions(c.name, t) || mentions(c.description, t);
      });
      if (named) {
        related.matched.push_back(e.value);
        terms.insert(terms.end(), entity_terms.begin(), entity_terms.end());
      }
    }
    if (!related.matched.empty()) candidates.emplace_back(std::move(related), std::move(terms));
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return a.first.matched.size() > b.first.matched.size();
  });
  const std::size_t confirm = std::min(candidates.size(), env_.settings.max_case_confirmations);
  parallel_for(confirm, env_.settings.concurrency, [&](std::size_t i) {
    auto& [related, terms] = candidates[i];
    if (!stop_reason().empty()) return;
    auto details = soar->get_case(related.id, call_context());
    if (!details) return;
    const std::string text = details->raw.dump() + details->alerts.dump();
    related.confirmed =
        is_open(details->summary.status.empty() ? related.status : details->summary.status) &&
        std::any_of(terms.begin(), terms.end(), [&](auto& t) { return mentions(text, t); });
  });
  std::vector<RelatedCase> related;
  for (auto& c : candidates) related.push_back(std::move(c.first));
  std::stable_sort(related.begin(), related.end(),
                   [](const auto& a, const auto& b) { return a.confirmed && !b.confirmed; });
  update([&](HuntResult& r) { r.related_cases = std::move(related); });
}

}  // namespace hunt
