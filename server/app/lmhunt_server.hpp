#pragma once
// make_lmhunt_server: the MCP server `lmhunt serve` exposes — its identity, instructions, tools
// (lateral_movement_hunt, get_hunt_result, validate_udm_query), resources and prompt.

#include <memory>

#include "mcp/server.hpp"
#include "tools/hunt/jobs.hpp"

namespace app {

struct PreparedDownstream;

// LmhuntServer owns the hunt jobs and the server that serves them; the server is declared last
// so it (and its sessions) go before the jobs they call into.
struct LmhuntServer {
  std::unique_ptr<hunt::HuntJobs> jobs;
  std::unique_ptr<mcp::Server> server;
};

// make_lmhunt_server builds the server; hunts reach `downstream`'s servers (which must outlive
// the result). With a null downstream only validate_udm_query is served (tests of the core). An
// Error (a schema or the catalog that does not load) means lmhunt cannot start.
mcp::Result<LmhuntServer> make_lmhunt_server(PreparedDownstream* downstream);

}  // namespace app
