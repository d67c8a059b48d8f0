// sim_tools.hpp — tool registration for each server lmhunt-sim imitates. Each add_* registers the
// real server's tool names, argument names, defaults and result encodings (downstream-servers.md),
// answering from the stores in a SimContext, every handler wrapped by `faults`.
#pragma once

#include "mcp/server.hpp"
#include "sim/faults.hpp"
#include "sim/server/sim_context.hpp"

namespace sim {

// add_secops_tools: search_udm, search_security_events, lookup_entity, get_threat_intel,
// get_ioc_matches, get_security_alerts (secops-mcp). Needs ctx.events.
mcp::Status add_secops_tools(mcp::Server& server, const SimContext& ctx, Faults& faults);
// add_secops_search_tools / add_secops_text_tools: the two halves of add_secops_tools.
mcp::Status add_secops_search_tools(mcp::Server& server, const SimContext& ctx, Faults& faults);
mcp::Status add_secops_text_tools(mcp::Server& server, const SimContext& ctx, Faults& faults);

// add_gti_tools: get_ip_address_report, get_domain_report, get_file_report, get_url_report
// (gti-mcp). Needs ctx.iocs.
mcp::Status add_gti_tools(mcp::Server& server, const SimContext& ctx, Faults& faults);

// add_soar_tools: list_cases, get_case_full_details, post_case_comment, change_case_priority,
// create_case (secops-soar). Needs ctx.cases.
mcp::Status add_soar_tools(mcp::Server& server, const SimContext& ctx, Faults& faults);

}  // namespace sim
