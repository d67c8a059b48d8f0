#pragma once
// MemoryChannel: a Channel that records what is sent, for tests that drive a
// Session or Server directly. wait_for blocks (with a deadline) until a
// message satisfying a predicate has arrived.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "mcp/channel.hpp"

namespace test {

class MemoryChannel : public mcp::Channel {
 public:
  bool send(const mcp::Json& message) override {
    {
      std::lock_guard lock(mu_);
      if (closed_) return false;
      messages_.push_back(message);
    }
    cv_.notify_all();
    return true;
  }
  void request_done(const mcp::Json& id, bool responded) override {
    {
      std::lock_guard lock(mu_);
      done_.push_back({id, responded});
    }
    cv_.notify_all();
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
  }

  std::optional<mcp::Json> wait_for(const std::function<bool(const mcp::Json&)>& pred,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    std::optional<mcp::Json> found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& m : messages_) {
        if (pred(m)) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  // wait_response waits for the response (result or error) to request `id`.
  std::optional<mcp::Json> wait_response(
      const mcp::Json& id, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return wait_for(
        [&](const mcp::Json& m) {
          return m.contains("id") && m["id"] == id && (m.contains("result") || m.contains("error"));
        },
        timeout);
  }
  bool wait_done(const mcp::Json& id, bool* responded = nullptr,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const auto& [done_id, r] : done_) {
        if (done_id == id) {
          if (responded) *responded = r;
          return true;
        }
      }
      return false;
    });
  }
  std::vector<mcp::Json> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<mcp::Json> messages_;
  std::vector<std::pair<mcp::Json, bool>> done_;
  bool closed_ = false;
};

}  // namespace test
