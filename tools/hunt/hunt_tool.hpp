// hunt_tool.hpp — the MCP surface of the hunt: the lateral_movement_hunt and get_hunt_result
// tools, the lmhunt://hunts and lmhunt://catalog resources and the lateral-movement-hunt prompt.
#pragma once

#include "mcp/server.hpp"
#include "tools/hunt/jobs.hpp"

namespace hunt {

// register_hunt_tools adds the tools, resources, prompt and completions to `server`, all served
// by `jobs`, which must outlive the server's sessions. An Error when a schema does not compile.
//
// lateral_movement_hunt: arguments per schemas/lateral_movement_hunt.input.json; content[0] is
// the Markdown report (render_markdown), structuredContent conforms to
// schemas/lateral_movement_hunt.output.json (to_structured). Bad argument values come back as
// isError naming the argument. Progress goes out when the call carried a progressToken;
// notifications/cancelled cancels the hunt while the call waits. get_hunt_result returns the
// same shape for a hunt_id.
mcp::Status register_hunt_tools(mcp::Server& server, HuntJobs& jobs);

}  // namespace hunt
