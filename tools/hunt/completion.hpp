// completion.hpp — completion/complete for the hunt's prompt arguments and its resource template
// (server/utilities/completion.mdx): what a client such as the MCP Inspector offers while a
// person types.
#pragma once

#include <string>
#include <vector>

#include "mcp/types.hpp"
#include "tools/hunt/jobs.hpp"

namespace hunt {

// complete returns the candidates for `argument` of `ref` that start with `value` (case does not
// matter): lookbacks for time_frame_hours, scope expressions for target_scope_query, example
// hypotheses for hunt_hypothesis, and recent hunt ids for lmhunt://hunts/{id}. Empty for
// anything else.
std::vector<std::string> complete(const HuntJobs& jobs, const mcp::Json& ref,
                                  const std::string& argument, const std::string& value);

}  // namespace hunt
