#pragma once
// run_cli parses lmhunt's command line and runs the chosen subcommand.
// Returns the process exit code: 0 ok, 2 usage error, 1 failure.

#include <string>
#include <vector>

namespace app {

int run_cli(const std::vector<std::string>& args);

}  // namespace app
