#include "mcp/executor.hpp"

namespace mcp {

Executor::Executor(std::size_t max_threads, std::chrono::milliseconds idle_timeout)
    : max_threads_(max_threads == 0 ? 1 : max_threads), idle_timeout_(idle_timeout) {}

Executor::~Executor() {
  Threads live;
  std::vector<std::thread> retired;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    // Once stopping_ is set no thread retires, so neither list changes any more: threads only
    // touch their own list entry when they retire.
    live.splice(live.end(), threads_);
    retired.swap(retired_);
  }
  cv_.notify_all();
  for (auto& t : live) t.join();
  for (auto& t : retired) t.join();
}

void Executor::post(std::function<void()> task) {
  // Threads that exited for idleness are collected under the same lock and joined after it is
  // released: a retired thread has left run() or is returning from it, so each join is immediate.
  std::vector<std::thread> retired;
  bool started = false;
  {
    std::lock_guard lock(mu_);
    retired.swap(retired_);
    queue_.push_back(std::move(task));
    if (idle_ < queue_.size() && threads_.size() < max_threads_) {
      // The thread's first act is to take mu_, held here until its list entry is assigned.
      auto self = threads_.emplace(threads_.end());
      *self = std::thread([this, self] { run(self); });
      started = true;
    }
  }
  if (!started) cv_.notify_one();
  for (auto& t : retired) t.join();
}

std::size_t Executor::threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

void Executor::run(Threads::iterator self) noexcept {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    const bool woken =
        cv_.wait_for(lock, idle_timeout_, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (!woken) {
      // Idle for idle_timeout_: leave the pool. The std::thread moves to retired_ for the next
      // post() or the destructor to join (a thread cannot join itself).
      retired_.push_back(std::move(*self));
      threads_.erase(self);
      return;
    }
    if (queue_.empty()) return;  // stopping and drained
    auto task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace mcp
