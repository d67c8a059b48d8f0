// server_connection.hpp — one long-lived connection to one configured downstream server.
//
// Started lazily by the first acquire(); shared by every caller (thread-safe). The start
// (spawn or open, initialize, tools/list) runs on its own thread under the cold-start timeout,
// so a caller waits only until its own deadline. When the session closes (a crash, EOF, a lost
// HTTP stream) the server is "degraded" and the next acquire() restarts it after an exponential
// backoff. Health changes are logged.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mcp/client.hpp"
#include "mcp/executor.hpp"
#include "mcp/transport_child.hpp"
#include "mcp/transport_http_client.hpp"
#include "tools/downstream/config.hpp"
#include "tools/downstream/facades.hpp"

namespace downstream {

// Live is one started connection: the transport, its Client and the tools it listed.
struct Live {
  std::shared_ptr<mcp::ChildProcess> child;
  std::shared_ptr<mcp::HttpClientTransport> http;
  std::unique_ptr<mcp::Client> client;
  std::map<std::string, mcp::Tool> tools;
  bool remote = false;  // Google's remote server names: calls carry project/customer/region
  bool closed() const { return client == nullptr || client->session().closed(); }
  // shut_down closes the transport (and with it the session); idempotent.
  void shut_down();
  ~Live() { shut_down(); }  // the transport goes before the Client whose handlers it feeds
};

// is_remote_tool_set: the tools include names only Google's remote SecOps server uses.
bool is_remote_tool_set(const std::map<std::string, mcp::Tool>& tools);
// roles_of: "siem", "threat_intel", "soar" for the operations the tools cover.
std::vector<std::string> roles_of(const std::map<std::string, mcp::Tool>& tools);

class ServerConnection {
 public:
  ServerConnection(ServerConfig config, const Settings& settings, mcp::Executor& executor);
  ~ServerConnection();  // close()
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  const ServerConfig& config() const { return config_; }

  // acquire returns the live connection, starting or restarting it (after the backoff) when
  // needed, waiting at most until ctx.deadline. Errors: kRefused, kNotConfigured (disabled),
  // kUnavailable (start failed / restart pending), kTimeout, kCancelled.
  mcp::Result<std::shared_ptr<Live>> acquire(const CallContext& ctx);

  // known_tools: the tools of the last successful start (kept across crashes); nullopt before.
  std::optional<std::map<std::string, mcp::Tool>> known_tools() const;
  bool refused() const;
  bool disabled() const { return config_.disabled; }
  // gave_up_starting: it has never started, its last starts failed, and none is under way:
  // callers inside its backoff fail at once rather than wait (see acquire).
  bool gave_up_starting() const;
  std::string refusal() const;

  // report_lost: a call found `live`'s session closed; the server becomes degraded.
  void report_lost(const std::shared_ptr<Live>& live, const std::string& reason);
  // report_ok: a call succeeded; the restart backoff starts again from the beginning.
  void report_ok();

  ServerHealth health() const;
  void close();

 private:
  void start_async();  // under mu_
  // start_failed is the error for a failed start (under mu_); `next` is appended to its message.
  mcp::Error start_failed(const std::string& next) const;
  bool gave_up_locked() const;  // under mu_
  static constexpr int kFailedStartsBeforeFailingFast = 2;
  void run_start() noexcept;
  // start_once spawns/opens, initializes and lists tools; on failure `failed` holds what to shut
  // down.
  mcp::Result<std::shared_ptr<Live>> start_once(std::shared_ptr<Live>& failed);
  void set_state(const std::string& state, const std::string& detail);  // under mu_
  std::chrono::milliseconds backoff() const;                            // under mu_

  ServerConfig config_;
  Settings settings_;
  mcp::Executor& executor_;

  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::string state_ = "not_started";
  std::string detail_;
  std::shared_ptr<Live> live_;
  std::shared_ptr<Live> live_starting_;  // the start in progress (close() shuts it down)
  std::optional<std::map<std::string, mcp::Tool>> tools_;
  bool starting_ = false;
  bool closed_ = false;
  int failures_ = 0;  // consecutive failed starts and crashes
  int restarts_ = 0;
  std::string last_error_;
  std::chrono::steady_clock::time_point next_start_{};
  std::thread starter_;
  std::vector<std::thread> retired_;  // earlier starters, joined by close()
};

}  // namespace downstream
