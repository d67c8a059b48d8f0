// server_connection.cpp — lazy start, health, crash detection and restart backoff
// (server_connection.hpp).
#include "tools/downstream/server_connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "mcp/jsonrpc.hpp"

namespace downstream {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

const char* const kRemoteOnlyTools[] = {
    "udm_search", "translate_udm_query", "summarize_entity",    "get_ioc_match",
    "get_case",   "list_case_alerts",    "create_case_comment", "update_case"};

bool has(const std::map<std::string, mcp::Tool>& tools, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return tools.count(n) > 0; });
}

mcp::Error unavailable(const std::string& message) {
  return mcp::Error{kUnavailable, message};
}

}  // namespace

void Live::shut_down() {
  if (child) child->close();
  if (http) http->close();
}

bool is_remote_tool_set(const std::map<std::string, mcp::Tool>& tools) {
  for (const char* name : kRemoteOnlyTools)
    if (tools.count(name)) return true;
  return false;
}

std::vector<std::string> roles_of(const std::map<std::string, mcp::Tool>& tools) {
  std::vector<std::string> roles;
  if (has(tools, {"search_udm", "udm_search", "search_security_events", "lookup_entity",
                  "summarize_entity", "get_threat_intel", "get_ioc_matches", "get_ioc_match"}))
    roles.push_back("siem");
  if (has(tools,
          {"get_ip_address_report", "get_domain_report", "get_file_report", "get_url_report"}))
    roles.push_back("threat_intel");
  if (has(tools, {"list_cases", "get_case_full_details", "get_case", "post_case_comment",
                  "create_case_comment", "change_case_priority", "update_case", "create_case"}))
    roles.push_back("soar");
  return roles;
}

ServerConnection::ServerConnection(ServerConfig config, const Settings& settings,
                                   mcp::Executor& executor)
    : config_(std::move(config)), settings_(settings), executor_(executor) {
  if (config_.disabled) {
    state_ = "disabled";
    detail_ = "disabled in the configuration";
  } else if (auto reason = secops_refusal(config_, false)) {
    state_ = "refused";
    detail_ = *reason;
    spdlog::warn("downstream {}: refused: {}", config_.name, detail_);
  }
}

ServerConnection::~ServerConnection() {
  close();
}

void ServerConnection::set_state(const std::string& state, const std::string& detail) {
  if (state != state_) {
    auto level =
        state == "ready" || state == "starting" ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level, "downstream {}: {} -> {}{}{}", config_.name, state_, state,
                detail.empty() ? "" : ": ", detail);
  }
  state_ = state;
  detail_ = detail;
}

milliseconds ServerConnection::backoff() const {
  thread_local std::mt19937 random{std::random_device{}()};
  const int shift = std::clamp(failures_ - 1, 0, 20);
  const double base = std::min<double>(settings_.restart.max_backoff_ms,
                                       double(settings_.restart.initial_backoff_ms) * (1 << shift));
  std::uniform_real_distribution<double> jitter(0.75, 1.0);
  return milliseconds(static_cast<long long>(base * jitter(random)));
}

mcp::Result<std::shared_ptr<Live>> ServerConnection::acquire(const CallContext& ctx) {
  std::unique_lock lock(mu_);
  bool waited_for_start = false;
  while (true) {
    if (closed_) return unavailable(config_.name + ": connections are closed");
    if (config_.disabled)
      return mcp::Error{kNotConfigured, config_.name + " is disabled in the configuration"};
    if (state_ == "refused") return mcp::Error{kRefused, detail_};
    if (live_ && !live_->closed()) return live_;
    if (live_) {  // closed under us with no call noticing
      auto lost = std::move(live_);
      lock.unlock();
      report_lost(lost, "the connection closed");
      lock.lock();
      continue;
    }
    if (waited_for_start && !starting_) return start_failed(std::string());
    if (ctx.stop.stop_requested()) return mcp::Error{kCancelled, "cancelled"};
    const auto now = SteadyClock::now();
    // A server that has never started and failed twice (a wrong command, a missing package) is
    // not waited for through its backoff: a hunt would spend minutes on retries of the same
    // failure. The first caller after the backoff tries again. One failed start is waited out
    // (≈ 1 s), for a blip; a crashed server always is: its restart is the expected recovery.
    if (!starting_ && gave_up_locked() && now < next_start_) {
      const auto wait = std::chrono::duration_cast<std::chrono::seconds>(next_start_ - now);
      return start_failed("; next attempt in " + std::to_string(wait.count() + 1) + " s");
    }
    if (now >= ctx.deadline)
      return mcp::Error{kTimeout, config_.name + ": deadline passed while waiting for it to start"};
    auto wake = ctx.deadline;
    if (!starting_) {
      if (now >= next_start_) {
        start_async();
      } else if (next_start_ > ctx.deadline) {
        return unavailable(config_.name + " is degraded (" + detail_ + ")");
      } else {
        wake = next_start_;
      }
    }
    waited_for_start = starting_;
    cv_.wait_until(lock, ctx.stop, wake,
                   [&] { return closed_ || (waited_for_start && !starting_); });
  }
}

mcp::Error ServerConnection::start_failed(const std::string& next) const {
  auto error = unavailable(config_.name + " failed to start: " + last_error_ + next);
  // Not worth retrying within one call: see acquire.
  if (gave_up_locked()) error.data = {{"start_failed", true}};
  return error;
}

bool ServerConnection::gave_up_locked() const {
  return !tools_ && failures_ >= kFailedStartsBeforeFailingFast;
}

bool ServerConnection::gave_up_starting() const {
  std::lock_guard lock(mu_);
  return gave_up_locked() && !starting_;
}

void ServerConnection::start_async() {
  starting_ = true;
  set_state(tools_ ? "degraded" : "starting",
            tools_ ? "restarting (restart " + std::to_string(restarts_ + 1) + ")" : "");
  // The previous starter may still be shutting a failed child down: join it in close(), not
  // here under mu_.
  if (starter_.joinable()) retired_.push_back(std::move(starter_));
  starter_ = std::thread([this] { run_start(); });
}

mcp::Result<std::shared_ptr<Live>> ServerConnection::start_once(std::shared_ptr<Live>& failed) {
  const auto cold = std::chrono::seconds(settings_.cold_start_timeout_seconds);
  const auto began = SteadyClock::now();
  auto live = std::make_shared<Live>();
  if (config_.type == "stdio") {
    mcp::ChildOptions options;
    options.name = config_.name;
    options.argv = {config_.command};
    options.argv.insert(options.argv.end(), config_.args.begin(), config_.args.end());
    options.cwd = config_.cwd;
    options.env = config_.env;
    auto child = mcp::ChildProcess::start(std::move(options), executor_);
    if (!child) return unavailable(child.error().message);  // "cannot start <name> ...: why"
    live->child = *child;
    live->client = std::make_unique<mcp::Client>(live->child->session());
  } else {
    mcp::HttpClientOptions options;
    options.name = config_.name;
    options.url = config_.url;
    options.legacy_sse = config_.type == "sse";
    options.headers = config_.headers;
    options.connect_timeout = std::min<milliseconds>(cold, std::chrono::seconds(10));
    auto http = mcp::HttpClientTransport::open(std::move(options), executor_);
    if (!http)
      return unavailable("cannot connect to " + config_.name + ": " + http.error().message);
    live->http = *http;
    live->client = std::make_unique<mcp::Client>(live->http->session());
  }
  {
    std::lock_guard lock(mu_);
    if (closed_) {
      live->shut_down();
      return unavailable(config_.name + ": connections are closed");
    }
    live_starting_ = live;
  }
  auto timed_out = [&](const char* step) {
    return unavailable("cold start of " + config_.name + " timed out after " +
                       std::to_string(settings_.cold_start_timeout_seconds) + " s (" + step + ")");
  };
  failed = live;  // until it has listed its tools: shut down after waiters are told
  auto init = live->client->initialize({}, cold);
  if (!init) {
    if (init.error().code == mcp::jsonrpc::kRequestTimeout) return timed_out("initialize");
    return unavailable(init.error().message);
  }
  const auto left = std::chrono::duration_cast<milliseconds>(cold - (SteadyClock::now() - began));
  if (left <= milliseconds(0)) {
    return timed_out("tools/list");
  }
  auto tools = live->client->list_tools(left);
  if (!tools) {
    if (tools.error().code == mcp::jsonrpc::kRequestTimeout) return timed_out("tools/list");
    return unavailable(config_.name + ": tools/list failed: " + tools.error().message);
  }
  for (auto& tool : *tools) live->tools[tool.name] = std::move(tool);
  live->remote = is_remote_tool_set(live->tools);
  failed.reset();
  return live;
}

void ServerConnection::run_start() noexcept {
  std::shared_ptr<Live> reject;
  auto started = start_once(reject);
  {
    std::lock_guard lock(mu_);
    live_starting_.reset();
    starting_ = false;
    if (!started) {
      ++failures_;
      last_error_ = started.error().message;
      next_start_ = SteadyClock::now() + backoff();
      set_state("degraded", last_error_ + "; " + std::to_string(failures_) + " failed attempt(s)");
    } else {
      auto live = *started;
      tools_ = live->tools;
      const bool local_secops =
          !live->remote && (live->tools.count("search_udm") || live->tools.count("lookup_entity"));
      std::optional<std::string> refusal = secops_refusal(config_, local_secops);
      if (!refusal && live->remote &&
          (config_.project_id.empty() || config_.customer_id.empty() || config_.region.empty()))
        refusal = "remote SecOps server '" + config_.name +
                  "' needs project_id, customer_id and region (lmhunt.servers." + config_.name +
                  " or CHRONICLE_PROJECT_ID / CHRONICLE_CUSTOMER_ID / CHRONICLE_REGION in its env)";
      if (refusal) {
        reject = live;
        set_state("refused", *refusal);
      } else if (closed_) {
        reject = live;
      } else {
        if (state_ == "degraded" || failures_ > 0) ++restarts_;
        live_ = live;
        std::string detail = std::to_string(live->tools.size()) + " tools";
        if (restarts_ > 0) detail += "; restarted " + std::to_string(restarts_) + " time(s)";
        set_state("ready", detail);
      }
    }
  }
  cv_.notify_all();                 // waiters first: a refused or failed child may take
  if (reject) reject->shut_down();  // close_grace + term_grace to go
}

void ServerConnection::report_lost(const std::shared_ptr<Live>& live, const std::string& reason) {
  {
    std::lock_guard lock(mu_);
    if (live_ == live) live_.reset();
    if (live_ || starting_ || closed_ || state_ == "refused") {
      // already replaced or being restarted
    } else if (state_ != "degraded" || next_start_ <= SteadyClock::now()) {
      ++failures_;
      last_error_ = reason;
      next_start_ = SteadyClock::now() + backoff();
      set_state("degraded", "connection lost: " + reason + "; restart pending");
    }
  }
  live->shut_down();
  cv_.notify_all();
}

void ServerConnection::report_ok() {
  std::lock_guard lock(mu_);
  failures_ = 0;
}

std::optional<std::map<std::string, mcp::Tool>> ServerConnection::known_tools() const {
  std::lock_guard lock(mu_);
  return tools_;
}

bool ServerConnection::refused() const {
  std::lock_guard lock(mu_);
  return state_ == "refused";
}

std::string ServerConnection::refusal() const {
  std::lock_guard lock(mu_);
  return state_ == "refused" ? detail_ : std::string();
}

ServerHealth ServerConnection::health() const {
  std::lock_guard lock(mu_);
  ServerHealth h{config_.name, state_, detail_, {}};
  if (tools_) h.roles = roles_of(*tools_);
  return h;
}

void ServerConnection::close() {
  std::shared_ptr<Live> live, pending;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    live = std::move(live_);
    pending = live_starting_;
  }
  cv_.notify_all();
  if (pending) pending->shut_down();  // unblocks a start waiting on initialize
  if (starter_.joinable()) starter_.join();
  for (auto& t : retired_) t.join();
  retired_.clear();
  if (live) live->shut_down();
}

}  // namespace downstream
