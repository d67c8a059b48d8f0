#pragma once
// hunt_command: `lmhunt hunt …` and `lmhunt demo`. Runs exactly the tool's code path — the same
// Server a client talks to, reached through an in-memory MCP connection — and prints the report.
// Exit 0 when the hunt completed (whatever the verdict), 1 when it could not, 2 on usage errors.

#include <string>
#include <vector>

namespace app {

int run_hunt_command(const std::vector<std::string>& args, bool demo);

extern const char* const kHuntUsage;

}  // namespace app
