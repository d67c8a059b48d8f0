#pragma once
// validate_udm_query: checks a UDM Search query the way Google SecOps parses
// it (udm/), returns its canonical form or the byte position, reason and a
// hint for a fix, and optionally whether it matches a given UDM event. Lets
// an analyst or agent get a query right before spending SIEM quota on it.

#include "mcp/server.hpp"

namespace tools {

mcp::Status add_validate_udm_query(mcp::Server& server);

}  // namespace tools
