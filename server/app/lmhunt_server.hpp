#pragma once
// make_lmhunt_server: the MCP server `lmhunt serve` exposes — its identity,
// instructions and tools.

#include <memory>

#include "mcp/server.hpp"

namespace app {

// make_lmhunt_server builds the server with all of lmhunt's tools; an Error
// (e.g. a schema that does not compile) means lmhunt cannot start.
mcp::Result<std::unique_ptr<mcp::Server>> make_lmhunt_server();

}  // namespace app
