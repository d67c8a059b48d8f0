#include "mcp/http_sessions.hpp"

#include <spdlog/spdlog.h>

namespace mcp::http {

std::shared_ptr<void> HttpSession::lease() {
  ++busy;
  touch();
  struct Token {
    explicit Token(std::shared_ptr<HttpSession> s) : session(std::move(s)) {}
    Token(const Token&) = delete;
    Token& operator=(const Token&) = delete;
    ~Token() {
      session->touch();
      --session->busy;
    }
    std::shared_ptr<HttpSession> session;
  };
  return std::make_shared<Token>(shared_from_this());
}

namespace {
// let_go: a retired session may be destroyed once no lease is held (checked
// first: only lease holders start requests) and no request is in flight.
bool let_go(const std::shared_ptr<HttpSession>& s) {
  return s->busy == 0 && s->rpc().in_flight() == 0;
}
}  // namespace

SessionRegistry::SessionRegistry(std::size_t max_sessions, std::chrono::milliseconds idle_timeout,
                                 Now now)
    : max_sessions_(max_sessions == 0 ? 1 : max_sessions),
      idle_timeout_(idle_timeout),
      now_(std::move(now)) {}

SessionRegistry::~SessionRegistry() {
  close_all("transport destroyed");
  wait_retired(std::chrono::seconds(5));
  // A session whose handler ignored its stop token is kept until exit rather
  // than destroyed under the handler (which refers to it by raw pointer).
  static std::mutex kept_mu;
  static std::vector<std::shared_ptr<HttpSession>> kept;
  std::lock_guard lock(mu_);
  for (auto& s : retired_) {
    if (let_go(s)) continue;
    spdlog::error("HTTP session {} still has {} request(s) running after close; keeping it",
                  s->rpc().name(), s->rpc().in_flight());
    std::lock_guard kept_lock(kept_mu);
    kept.push_back(s);
  }
}

bool SessionRegistry::idle(const HttpSession& s, Clock::time_point now) const {
  if (s.busy > 0 || s.stream->attached()) return false;
  if (s.server_session->rpc().in_flight() > 0) return false;
  const auto last = Clock::time_point(Clock::duration(s.last_used.load()));
  return now - last >= idle_timeout_;
}

std::vector<std::shared_ptr<HttpSession>> SessionRegistry::expire_locked(Clock::time_point now) {
  std::vector<std::shared_ptr<HttpSession>> expired;
  for (auto it = live_.begin(); it != live_.end();) {
    if (idle(*it->second, now)) {
      expired.push_back(it->second);
      retired_.push_back(it->second);
      it = live_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

void SessionRegistry::end(const std::vector<std::shared_ptr<HttpSession>>& sessions,
                          const std::string& reason) {
  for (const auto& s : sessions) {
    spdlog::info("[{}] HTTP session ended: {}", s->rpc().name(), reason);
    s->stream->close();
    s->server_session->close(reason);
  }
}

bool SessionRegistry::has_room() {
  std::vector<std::shared_ptr<HttpSession>> expired;
  bool room = false;
  {
    std::lock_guard lock(mu_);
    if (live_.size() >= max_sessions_) expired = expire_locked(now_());
    room = !closed_ && live_.size() < max_sessions_;
  }
  end(expired, "idle timeout");
  return room;
}

bool SessionRegistry::add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mu_);
  if (closed_ || live_.size() >= max_sessions_) return false;
  session->now = now_;
  session->touch();
  live_.emplace(session->id, session);
  return true;
}

SessionRef SessionRegistry::find(std::string_view id) {
  std::shared_ptr<HttpSession> found;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(id);
    if (it == live_.end()) return {};
    if (!idle(*it->second, now_())) return SessionRef{it->second, it->second->lease()};
    found = it->second;
    retired_.push_back(found);
    live_.erase(it);
  }
  end({found}, "idle timeout");
  return {};
}

bool SessionRegistry::remove(const std::string& id, const std::string& reason) {
  std::shared_ptr<HttpSession> found;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(id);
    if (it == live_.end()) return false;
    found = it->second;
    retired_.push_back(found);
    live_.erase(it);
  }
  end({found}, reason);
  return true;
}

void SessionRegistry::sweep() {
  std::vector<std::shared_ptr<HttpSession>> expired;
  {
    std::lock_guard lock(mu_);
    expired = expire_locked(now_());
    std::erase_if(retired_, let_go);
    // Sessions just expired had no request in flight, so they went too (the
    // close below is still owed and keeps them alive through `expired`).
  }
  end(expired, "idle timeout");
}

void SessionRegistry::close_all(const std::string& reason) {
  std::vector<std::shared_ptr<HttpSession>> all;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (auto& [id, s] : live_) {
      all.push_back(s);
      retired_.push_back(s);
    }
    live_.clear();
  }
  end(all, reason);
}

void SessionRegistry::wait_retired(std::chrono::milliseconds timeout) {
  std::vector<std::shared_ptr<HttpSession>> retired;
  {
    std::lock_guard lock(mu_);
    retired = retired_;
  }
  const auto deadline = Clock::now() + timeout;
  for (const auto& s : retired) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    s->rpc().wait_idle(std::max(left, std::chrono::milliseconds(0)));
  }
  std::lock_guard lock(mu_);
  std::erase_if(retired_, let_go);
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

}  // namespace mcp::http
