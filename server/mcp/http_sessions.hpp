#pragma once
// SessionRegistry: the HTTP transport's sessions by Mcp-Session-Id (or legacy
// sessionId), with the idle timeout and the session limit.
//
// Lifetime: a ServerSession's handlers refer to it by raw pointer while they
// run on the Executor, so a session that ends (DELETE, expiry, stop, a closed
// legacy stream) is closed at once but kept "retired" here until none of its
// requests is in flight and no lease is held; sweep() then lets it go.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mcp/http_channel.hpp"
#include "mcp/server.hpp"

namespace mcp::http {

using Clock = std::chrono::steady_clock;

// HttpSession is one MCP session of the HTTP transport.
struct HttpSession : std::enable_shared_from_this<HttpSession> {
  using Now = std::function<Clock::time_point()>;

  std::string id;
  bool legacy = false;  // created by GET /sse; its stream is `stream`
  std::shared_ptr<ServerSession> server_session;
  // The session's default channel: the GET stream's (kStandalone) or the
  // legacy /sse stream's (kStream).
  std::shared_ptr<StreamChannel> stream;
  std::atomic<std::uint64_t> next_event_id{1};
  std::atomic<int> busy{0};  // leases held: open POSTs and streams
  std::atomic<Clock::rep> last_used{0};
  Now now = [] { return Clock::now(); };

  Session& rpc() { return server_session->rpc(); }
  void touch() { last_used = now().time_since_epoch().count(); }
  // lease marks the session busy (never idle, never let go) until the token
  // is released, which counts as a use. POST handlers and stream writers
  // hold one; the token keeps the session alive.
  std::shared_ptr<void> lease();
};

// SessionRef is a found session plus the lease taken with it.
struct SessionRef {
  std::shared_ptr<HttpSession> session;
  std::shared_ptr<void> lease;
  explicit operator bool() const { return session != nullptr; }
  HttpSession* operator->() const { return session.get(); }
};

class SessionRegistry {
 public:
  using Now = HttpSession::Now;
  SessionRegistry(
      std::size_t max_sessions, std::chrono::milliseconds idle_timeout,
      Now now = [] { return Clock::now(); });
  // The destructor waits (bounded) for retired sessions' requests; a session
  // whose handler ignores its stop token past that is leaked, not destroyed
  // under it.
  ~SessionRegistry();
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // has_room is a cheap early check before a session is built (expired
  // sessions are swept first).
  bool has_room();
  // add registers `session`; false when the registry is full or closed.
  bool add(const std::shared_ptr<HttpSession>& session);
  // find returns the live session with `id`, leased; empty when unknown,
  // ended or expired (an expired one is ended here). Taking the lease under
  // the registry's lock means a session is never let go between find and use.
  SessionRef find(std::string_view id);
  // remove ends the session; false when unknown.
  bool remove(const std::string& id, const std::string& reason);
  // sweep ends idle sessions and lets go of retired ones that are idle.
  void sweep();
  // close_all ends every session and refuses new ones.
  void close_all(const std::string& reason);
  // wait_retired waits up to `timeout` for retired sessions' requests.
  void wait_retired(std::chrono::milliseconds timeout);
  std::size_t size() const;
  Now clock() const { return now_; }

 private:
  bool idle(const HttpSession& s, Clock::time_point now) const;
  // expire_locked moves idle live sessions to retired_ and returns them, to
  // be ended (end()) once mu_ is released: closing runs stop callbacks.
  std::vector<std::shared_ptr<HttpSession>> expire_locked(Clock::time_point now);
  static void end(const std::vector<std::shared_ptr<HttpSession>>& sessions,
                  const std::string& reason);

  const std::size_t max_sessions_;
  const std::chrono::milliseconds idle_timeout_;
  const Now now_;
  mutable std::mutex mu_;
  // Looked up by a view of the request's header, without copying the id.
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  std::unordered_map<std::string, std::shared_ptr<HttpSession>, IdHash, std::equal_to<>> live_;
  std::vector<std::shared_ptr<HttpSession>> retired_;
  bool closed_ = false;
};

}  // namespace mcp::http
