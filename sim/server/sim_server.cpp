// sim_server.cpp — roles → server identity and tools.
#include "sim/server/sim_server.hpp"

#include "sim/server/sim_tools.hpp"

namespace sim {

std::optional<Role> parse_role(std::string_view text) {
  if (text == "secops-mcp") return Role::kSecops;
  if (text == "gti-mcp") return Role::kGti;
  if (text == "secops-soar") return Role::kSoar;
  if (text == "all") return Role::kAll;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kSecops:
      return "secops-mcp";
    case Role::kGti:
      return "gti-mcp";
    case Role::kSoar:
      return "secops-soar";
    case Role::kAll:
      return "all";
  }
  return "all";
}

bool serves_secops(Role role) {
  return role == Role::kSecops || role == Role::kAll;
}
bool serves_gti(Role role) {
  return role == Role::kGti || role == Role::kAll;
}
bool serves_soar(Role role) {
  return role == Role::kSoar || role == Role::kAll;
}

std::string server_name(Role role) {
  switch (role) {
    case Role::kSecops:
      return "Google Security Operations MCP server";
    case Role::kGti:
      return "Google Threat Intelligence MCP server";
    case Role::kSoar:
      return "SecOps SOAR";
    case Role::kAll:
      return "lmhunt-sim";
  }
  return "lmhunt-sim";
}

mcp::Result<std::unique_ptr<mcp::Server>> make_sim_server(Role role, const SimContext& ctx,
                                                          Faults& faults) {
  mcp::ServerOptions options;
  options.info = {server_name(role), kFastMcpVersion, ""};
  auto server = std::make_unique<mcp::Server>(std::move(options));
  if (serves_secops(role)) {
    if (auto added = add_secops_tools(*server, ctx, faults); !added) return added.error();
  }
  if (serves_gti(role)) {
    if (auto added = add_gti_tools(*server, ctx, faults); !added) return added.error();
  }
  if (serves_soar(role)) {
    if (auto added = add_soar_tools(*server, ctx, faults); !added) return added.error();
  }
  return server;
}

}  // namespace sim
