#pragma once
// downstream_setup: where a hunt's SecOps servers come from, decided once at start-up.
//
//   --config FILE / LMHUNT_CONFIG   the user's mcpServers file (their real SecOps servers)
//   --events FILE...                lmhunt-sim child processes over those exported logs
//   neither                         lmhunt-sim child processes over the bundled demo enterprise
//
// The last two start three lmhunt-sim processes (secops-mcp, gti-mcp, secops-soar), like a real
// deployment, and every report then says in its first line that it did not hunt a real SecOps.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcp/executor.hpp"
#include "mcp/result.hpp"
#include "tools/downstream/config.hpp"
#include "tools/downstream/connections.hpp"

namespace app {

struct DownstreamChoice {
  std::string config_path;          // --config (else LMHUNT_CONFIG)
  std::vector<std::string> events;  // --events
  std::string now;                  // --now ISO8601 | latest ("" = latest for sim, real clock else)
  // fresh_cases: the embedded SOAR starts from its seeded cases and keeps them in memory, so
  // every run reads the same (lmhunt demo); otherwise they persist in the state directory.
  bool fresh_cases = false;
};

struct PreparedDownstream {
  downstream::Config config;
  std::unique_ptr<downstream::Connections> connections;
  std::string description;         // "" for the user's own servers
  std::optional<std::string> now;  // the hunt's clock when it must match lmhunt-sim's
};

// prepare_downstream resolves the choice: an Error names the file and reason for a bad config,
// a missing lmhunt-sim, or unreadable event files.
mcp::Result<PreparedDownstream> prepare_downstream(const DownstreamChoice& choice,
                                                   mcp::Executor& executor);

// find_sim_binary returns lmhunt-sim next to our own executable, else on PATH.
std::optional<std::string> find_sim_binary();

// state_dir is $LMHUNT_STATE_DIR, else $XDG_STATE_HOME/lmhunt, else ~/.local/state/lmhunt.
std::string state_dir();

}  // namespace app
