// connections.hpp — the downstream servers of a Config as the hunt's facades.
//
// Nothing starts until an operation needs it. Each server has one long-lived connection shared
// by every concurrent hunt; see server_connection.hpp (restart, health) and pool.hpp (routing).
#pragma once

#include <memory>
#include <vector>

#include "mcp/executor.hpp"
#include "tools/downstream/config.hpp"
#include "tools/downstream/facades.hpp"

namespace downstream {

class Pool;

class Connections {
 public:
  // `executor` runs the connections' session handlers and must outlive this object.
  Connections(Config config, mcp::Executor& executor);
  ~Connections();  // close()
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  // downstream returns the facades. Before discovery a facade is present whenever an enabled
  // server exists (its operations then answer kNotConfigured when nobody offers them); once
  // every enabled server has listed its tools, a facade whose role no server offers (and no
  // route names) is null.
  Downstream downstream();

  // discover starts every enabled server not yet started and waits up to `timeout`.
  void discover(std::chrono::milliseconds timeout);

  std::vector<ServerHealth> health() const;
  // close shuts every connection down; facades handed out then answer kUnavailable.
  void close();

 private:
  std::shared_ptr<Pool> pool_;
};

}  // namespace downstream
