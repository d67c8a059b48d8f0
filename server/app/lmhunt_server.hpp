#pragma once
// make_lmhunt_server: the MCP server `lmhunt serve` exposes — its identity,
// instructions and tools.

#include <memory>

#include "mcp/server.hpp"

namespace app {

std::unique_ptr<mcp::Server> make_lmhunt_server();

}  // namespace app
