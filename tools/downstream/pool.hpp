// pool.hpp — the configured servers and how an operation finds the one that serves it.
//
// An operation ("search", "post_comment", …) has a role and the tool names that implement it,
// local names first, then the Google remote server's. A route in the config (operation, else
// role → server) wins; otherwise the servers are discovered by tools/list (starting, in
// parallel, those never listed yet) and the first server, in config order, offering the first
// tool name is used. Nothing is guessed: no tool → kNotConfigured.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/executor.hpp"
#include "tools/downstream/config.hpp"
#include "tools/downstream/facades.hpp"
#include "tools/downstream/server_connection.hpp"

namespace downstream {

struct Operation {
  std::string key;                 // routes key, e.g. "search"
  std::string role;                // "siem", "threat_intel", "soar"
  std::vector<std::string> tools;  // candidate tool names, preferred first
};

// operation returns the table entry for `key` (one of the routes keys of the config schema).
const Operation& operation(std::string_view key);

struct Route {
  std::shared_ptr<ServerConnection> server;
  std::shared_ptr<Live> live;
  mcp::Tool tool;
};

class Pool {
 public:
  Pool(Config config, mcp::Executor& executor);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  const Config& config() const { return config_; }
  const Settings& settings() const { return config_.settings; }
  const std::vector<std::shared_ptr<ServerConnection>>& servers() const { return servers_; }

  // resolve finds (and starts) the server for `op`. Errors: kNotConfigured, kRefused,
  // kUnavailable (the server that would serve it is down, or servers whose tools are unknown
  // could not be started), kTimeout, kCancelled.
  mcp::Result<Route> resolve(const Operation& op, const CallContext& ctx);

  // discover starts every enabled server whose tools are unknown (in parallel) and waits for
  // them until ctx.deadline; servers that already failed to start only with include_failed.
  void discover(const CallContext& ctx, bool include_failed = true);

  std::vector<ServerHealth> health() const;
  void close();

 private:
  std::shared_ptr<ServerConnection> by_name(const std::string& name) const;

  Config config_;
  std::vector<std::shared_ptr<ServerConnection>> servers_;
};

}  // namespace downstream
