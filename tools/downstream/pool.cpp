// pool.cpp — operation table, routing and discovery (pool.hpp).
#include "tools/downstream/pool.hpp"

#include <spdlog/spdlog.h>

#include <thread>

namespace downstream {

const Operation& operation(std::string_view key) {
  static const std::vector<Operation> table = {
      {"search", "siem", {"search_udm", "udm_search"}},
      {"search_nl", "siem", {"search_security_events"}},
      {"lookup_entity", "siem", {"lookup_entity", "summarize_entity"}},
      {"get_threat_intel", "siem", {"get_threat_intel"}},
      {"ioc_matches", "siem", {"get_ioc_matches", "get_ioc_match"}},
      {"ip_report", "threat_intel", {"get_ip_address_report"}},
      {"domain_report", "threat_intel", {"get_domain_report"}},
      {"file_report", "threat_intel", {"get_file_report"}},
      {"url_report", "threat_intel", {"get_url_report"}},
      {"list_cases", "soar", {"list_cases"}},
      {"get_case", "soar", {"get_case_full_details", "get_case"}},
      {"list_case_alerts", "soar", {"list_case_alerts"}},
      {"list_case_comments", "soar", {"list_case_comments"}},
      {"post_comment", "soar", {"post_case_comment", "create_case_comment"}},
      {"change_priority", "soar", {"change_case_priority", "update_case"}},
      {"create_case", "soar", {"create_case"}},
  };
  for (const auto& op : table)
    if (op.key == key) return op;
  static const Operation unknown{"unknown", "", {}};
  return unknown;
}

Pool::Pool(Config config, mcp::Executor& executor) : config_(std::move(config)) {
  for (const auto& server : config_.servers)
    servers_.push_back(std::make_shared<ServerConnection>(server, config_.settings, executor));
}

Pool::~Pool() {
  close();
}

std::shared_ptr<ServerConnection> Pool::by_name(const std::string& name) const {
  for (const auto& s : servers_)
    if (s->config().name == name) return s;
  return nullptr;
}

void Pool::discover(const CallContext& ctx, bool include_failed) {
  std::vector<std::thread> starts;
  for (const auto& server : servers_) {
    if (server->disabled() || server->refused() || server->known_tools()) continue;
    if (!include_failed && server->health().state != "not_started") continue;
    starts.emplace_back([server, ctx] { (void)server->acquire(ctx); });
  }
  for (auto& t : starts) t.join();
}

mcp::Result<Route> Pool::resolve(const Operation& op, const CallContext& ctx) {
  auto routed = config_.settings.routes.find(op.key);
  if (routed == config_.settings.routes.end()) routed = config_.settings.routes.find(op.role);
  std::string tool_list;
  for (const auto& t : op.tools) tool_list += (tool_list.empty() ? "" : ", ") + t;

  auto route_to = [&](const std::shared_ptr<ServerConnection>& server) -> mcp::Result<Route> {
    auto live = server->acquire(ctx);
    if (!live) return live.error();
    for (const auto& name : op.tools) {
      auto it = (*live)->tools.find(name);
      if (it != (*live)->tools.end()) return Route{server, *live, it->second};
    }
    return mcp::Error{kNotConfigured, server->config().name + " offers none of " + tool_list +
                                          " (needed for " + op.key + ")"};
  };

  if (routed != config_.settings.routes.end()) {
    auto server = by_name(routed->second);
    if (!server)
      return mcp::Error{kNotConfigured, "route " + routed->first + " names unknown server '" +
                                            routed->second + "'"};
    return route_to(server);
  }

  // Servers never tried are started first; servers that failed to start are retried (after
  // their backoff) only when no listed server offers the operation.
  for (bool include_failed : {false, true}) {
    discover(ctx, include_failed);
    for (const auto& name : op.tools) {
      for (const auto& server : servers_) {
        if (server->disabled()) continue;
        auto tools = server->known_tools();
        if (tools && tools->count(name)) return route_to(server);
      }
    }
  }
  // Nobody offers it. Say why honestly: refused or unreachable servers might have.
  std::string down;
  bool all_gave_up = true;
  for (const auto& server : servers_) {
    if (server->disabled() || server->known_tools()) continue;
    const auto h = server->health();
    if (server->refused() && op.role == "siem") return mcp::Error{kRefused, h.detail};
    if (!server->refused()) {
      down += (down.empty() ? "" : "; ") + server->config().name + " (" + h.state +
              (h.detail.empty() ? "" : ": " + h.detail) + ")";
      all_gave_up = all_gave_up && server->gave_up_starting();
    }
  }
  if (ctx.stop.stop_requested()) return mcp::Error{kCancelled, "cancelled"};
  if (!down.empty() && Clock::now() >= ctx.deadline)
    return mcp::Error{kTimeout, "deadline passed while discovering which server offers " +
                                    tool_list + "; not started yet: " + down};
  if (!down.empty()) {
    mcp::Error error{kUnavailable, "no started server offers " + tool_list + " for " + op.key +
                                       "; not started: " + down};
    // Retrying within this call would only repeat their failed starts (ServerConnection::acquire).
    if (all_gave_up) error.data = {{"start_failed", true}};
    return error;
  }
  return mcp::Error{kNotConfigured,
                    "no configured server offers " + tool_list + " (needed for " + op.key + ")"};
}

std::vector<ServerHealth> Pool::health() const {
  std::vector<ServerHealth> out;
  for (const auto& s : servers_) out.push_back(s->health());
  return out;
}

void Pool::close() {
  for (const auto& s : servers_) s->close();
}

}  // namespace downstream
