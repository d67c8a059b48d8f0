// sim_cli.hpp — lmhunt-sim's command line: parse the options, load the stores, serve one role
// over stdio or Streamable HTTP. docs/lmhunt-sim.md is the user's guide.
#pragma once

#include <string>
#include <vector>

#include "mcp/result.hpp"
#include "sim/faults.hpp"
#include "sim/server/sim_server.hpp"

namespace sim {

struct SimOptions {
  Role role = Role::kAll;
  std::vector<std::string> event_files;  // none: the bundled demo enterprise
  std::string now = "latest";            // ISO 8601, "latest" or "wall"
  std::string cases_db = ":memory:";
  std::string iocs_file;
  std::string cases_seed_file;
  bool http = false;
  std::string http_host = "127.0.0.1";
  int http_port = 0;
  std::vector<std::string> allowed_hosts;  // --allowed-host (Host headers accepted over HTTP)
  std::string log_level = "info";
  FaultOptions faults;
};

// ParsedArgs: the options, or a request for --help / --version.
struct ParsedArgs {
  SimOptions options;
  bool help = false;
  bool version = false;
};

// sim_usage is the --help text.
const char* sim_usage();

// parse_sim_args reads argv[1..]; an Error is a usage error whose message says what is wrong.
mcp::Result<ParsedArgs> parse_sim_args(const std::vector<std::string>& args);

// run_sim_cli parses args and runs: 0 clean exit, 1 start-up failure, 2 usage error.
int run_sim_cli(const std::vector<std::string>& args);

}  // namespace sim
