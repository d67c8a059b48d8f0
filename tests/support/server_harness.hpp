#pragma once
// ServerHarness: an mcp::Server with a client-side Session joined to it in
// memory, plus helpers to initialize and call. Notifications the server sends
// are recorded.

#include <mutex>
#include <string>
#include <vector>

#include "mcp/server.hpp"
#include "mcp/transport_memory.hpp"

namespace test {

struct ServerHarness {
  explicit ServerHarness(mcp::ServerOptions options = default_options())
      : server(std::move(options)) {
    session = server.connect(nullptr, executor, "test");
    client = std::make_shared<mcp::Session>("client", executor);
    mcp::LinkChannel::connect(client, session->rpc_ptr());
    client->on_notification("notifications/message", record("notifications/message"));
    client->on_notification("notifications/tools/list_changed",
                            record("notifications/tools/list_changed"));
    client->on_notification("notifications/resources/updated",
                            record("notifications/resources/updated"));
  }
  ~ServerHarness() {
    client->close("test over");
    session->close("test over");
  }

  static mcp::ServerOptions default_options() {
    mcp::ServerOptions o;
    o.info = {"test-server", "1.2.3", "Test Server"};
    o.instructions = "Use the tools.";
    return o;
  }

  mcp::Result<mcp::Json> initialize(const std::string& version = "2025-11-25",
                                    mcp::Json capabilities = mcp::Json::object()) {
    auto r = client->call("initialize", {{"protocolVersion", version},
                                         {"capabilities", capabilities},
                                         {"clientInfo", {{"name", "harness"}, {"version", "0"}}}});
    if (r) client->notify("notifications/initialized", nullptr);
    return r;
  }
  mcp::Result<mcp::Json> call_tool(const std::string& name, mcp::Json arguments) {
    return client->call("tools/call", {{"name", name}, {"arguments", std::move(arguments)}});
  }
  std::vector<mcp::Json> notes(const std::string& method) {
    std::lock_guard lock(mu);
    std::vector<mcp::Json> out;
    for (const auto& [m, p] : notifications) {
      if (m == method) out.push_back(p);
    }
    return out;
  }

  mcp::Executor executor{8};
  mcp::Server server;
  std::shared_ptr<mcp::ServerSession> session;
  std::shared_ptr<mcp::Session> client;
  std::mutex mu;
  std::vector<std::pair<std::string, mcp::Json>> notifications;

 private:
  mcp::Session::NotificationHandler record(std::string method) {
    return [this, method](const mcp::Json& params) {
      std::lock_guard lock(mu);
      notifications.emplace_back(method, params);
    };
  }
};

}  // namespace test
