// plan.cpp — plan_searches, research_techniques, research_question (plan.hpp).
#include "tools/hunt/plan.hpp"

#include <algorithm>
#include <map>

#include "udm/query.hpp"

namespace hunt {

std::vector<PlannedSearch> plan_searches(const std::vector<CatalogEntry>& catalog,
                                         const HuntArgs& args) {
  const auto& families = args.techniques.empty() ? all_families() : args.techniques;
  std::vector<PlannedSearch> plan;
  for (const auto& entry : catalog) {
    if (std::find(families.begin(), families.end(), entry.family) == families.end()) continue;
    PlannedSearch p;
    p.entry = &entry;
    p.outcome.id = entry.id;
    p.outcome.title = entry.title;
    p.outcome.family = entry.family;
    p.outcome.technique = entry.technique;
    p.outcome.purpose = entry.role;
    p.outcome.runbook_query = entry.runbook_query;
    p.outcome.status = "planned";
    p.outcome.query = entry.query;
    if (args.scope) {
      p.outcome.query = udm::to_string(udm::conjoin(entry.parsed, *args.scope));
      // conjoin does not re-check parse()'s limits (udm/query.hpp): a long scope could push the
      // composed text past them, and such a query must not be sent.
      if (auto again = udm::parse(p.outcome.query); !again) {
        p.outcome.status = "not_run";
        p.outcome.error =
            "query with target_scope_query is not valid UDM Search " + again.error().describe();
      }
    }
    p.request.query = p.outcome.query;
    p.request.max_events = args.max_events_per_query;
    if (args.start_time) {
      p.request.start_time = args.start_time;
      p.request.end_time = args.end_time;
    } else {
      p.request.hours_back = args.time_frame_hours;
    }
    plan.push_back(std::move(p));
  }
  return plan;
}

std::vector<std::string> research_techniques(const std::vector<std::string>& families) {
  auto has = [&](const char* family) {
    return families.empty() ||
           std::find(families.begin(), families.end(), family) != families.end();
  };
  std::vector<std::string> ids = {"T1570", "T1021.002", "T1047"};
  if (has("psexec") || has("service_execution")) ids.push_back("T1569.002");
  if (has("wmi_persistence")) ids.push_back("T1546.003");
  return ids;
}

std::string research_question(const std::string& technique) {
  static const std::map<std::string, std::string> topics = {
      {"T1570", "Lateral Tool Transfer, e.g. PsExec copied to ADMIN$"},
      {"T1021.002", "SMB/Windows Admin Shares, used by PsExec"},
      {"T1047", "Windows Management Instrumentation"},
      {"T1569.002", "System Services: Service Execution, e.g. PSEXESVC"},
      {"T1546.003", "WMI Event Subscription persistence"},
  };
  auto it = topics.find(technique);
  const std::string topic = it == topics.end() ? "" : " (" + it->second + ")";
  return "Explain MITRE ATT&CK " + technique + topic +
         " and how to detect its abuse for lateral movement";
}

}  // namespace hunt
