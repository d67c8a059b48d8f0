// connections.cpp — Connections (connections.hpp).
#include "tools/downstream/connections.hpp"

#include <algorithm>

#include "tools/downstream/facade_impls.hpp"
#include "tools/downstream/pool.hpp"

namespace downstream {

Connections::Connections(Config config, mcp::Executor& executor)
    : pool_(std::make_shared<Pool>(std::move(config), executor)) {}

Connections::~Connections() {
  close();
}

Downstream Connections::downstream() {
  Downstream d;
  bool any_enabled = false, all_known = true;
  std::vector<std::string> roles;
  for (const auto& server : pool_->servers()) {
    if (server->disabled()) continue;
    any_enabled = true;
    auto tools = server->known_tools();
    if (!tools) {
      all_known = false;
      continue;
    }
    if (server->refused()) continue;
    for (auto& role : roles_of(*tools)) roles.push_back(role);
  }
  auto offered = [&](const std::string& role) {
    if (!any_enabled) return false;
    if (!all_known) return true;
    for (const auto& [key, server] : pool_->settings().routes)
      if (key == role || operation(key).role == role) return true;
    if (role == "siem")  // refused SIEM servers answer kRefused, not a missing facade
      for (const auto& server : pool_->servers())
        if (server->refused()) return true;
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  };
  if (offered("siem")) d.siem = make_siem(pool_);
  if (offered("threat_intel")) d.threat_intel = make_threat_intel(pool_);
  if (offered("soar")) d.soar = make_soar(pool_);
  std::weak_ptr<Pool> weak = pool_;
  d.health = [weak] {
    auto pool = weak.lock();
    return pool ? pool->health() : std::vector<ServerHealth>{};
  };
  return d;
}

void Connections::discover(std::chrono::milliseconds timeout) {
  CallContext ctx;
  ctx.deadline = Clock::now() + timeout;
  pool_->discover(ctx);
}

std::vector<ServerHealth> Connections::health() const {
  return pool_->health();
}

void Connections::close() {
  pool_->close();
}

}  // namespace downstream
