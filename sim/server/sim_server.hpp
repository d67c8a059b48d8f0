// sim_server.hpp — the MCP server lmhunt-sim serves for one role: the real server's identity
// (serverInfo.name) and tool set, answering from a SimContext.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mcp/server.hpp"
#include "sim/faults.hpp"
#include "sim/server/sim_context.hpp"

namespace sim {

enum class Role { kSecops, kGti, kSoar, kAll };

// parse_role reads "secops-mcp", "gti-mcp", "secops-soar" or "all".
std::optional<Role> parse_role(std::string_view text);
std::string_view role_name(Role role);
bool serves_secops(Role role);
bool serves_gti(Role role);
bool serves_soar(Role role);

// server_name is the serverInfo.name the real server announces ("Google Security Operations MCP
// server", "Google Threat Intelligence MCP server", "SecOps SOAR"; "lmhunt-sim" for all).
std::string server_name(Role role);

// kFastMcpVersion is the serverInfo.version FastMCP servers announce (the `mcp` package version).
inline constexpr const char* kFastMcpVersion = "1.26.0";

// make_sim_server builds the server for role. ctx and faults must outlive it; ctx must hold the
// stores the role needs (events for secops-mcp, cases for secops-soar).
mcp::Result<std::unique_ptr<mcp::Server>> make_sim_server(Role role, const SimContext& ctx,
                                                          Faults& faults);

}  // namespace sim
