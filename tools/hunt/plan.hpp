// plan.hpp — issue 5 step 3: the searches a hunt will run, as catalog entries × scope × time
// range. A pure function of the catalog and the arguments, so dry runs and tests see exactly what
// a real hunt sends.
#pragma once

#include <vector>

#include "tools/hunt/model.hpp"

namespace hunt {

// PlannedSearch is one search of the plan: its outcome record (status "planned", or "not_run"
// when the scope makes the composed query invalid), the catalog entry it comes from, and the
// request the SIEM facade will be given.
struct PlannedSearch {
  QueryOutcome outcome;
  const CatalogEntry* entry = nullptr;  // points into the catalog the plan was made from
  downstream::SearchRequest request;
};

// plan_searches selects the entries of args.techniques (all families when empty), in catalog
// order, and composes each query with the scope as the tree (query) AND (scope) (udm::conjoin),
// re-parsing the printed text so nothing over UDM Search's limits is sent. Every request carries
// max_events and either hours_back or the explicit start/end.
std::vector<PlannedSearch> plan_searches(const std::vector<CatalogEntry>& catalog,
                                         const HuntArgs& args);

// research_techniques lists the ATT&CK ids step 2 researches for the chosen families: T1570,
// T1021.002 and T1047 always; T1569.002 with psexec or service_execution; T1546.003 with
// wmi_persistence.
std::vector<std::string> research_techniques(const std::vector<std::string>& families);

// research_question is the get_threat_intel question for one technique id
// (downstream-servers.md §9), e.g. "Explain MITRE ATT&CK T1047 (Windows Management
// Instrumentation) and how to detect its abuse for lateral movement".
std::string research_question(const std::string& technique);

}  // namespace hunt
