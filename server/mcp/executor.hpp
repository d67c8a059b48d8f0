#pragma once
// Executor: a thread pool that grows on demand up to a maximum and queues
// beyond it. Request handlers may block for a long time (a hunt waits on
// downstream servers), so threads are added while all are busy rather than
// fixing the count at start-up. A thread idle for `idle_timeout` exits, so a
// burst of requests does not leave its threads behind for the process's life
// (the load benchmark checks that a server returns to its idle thread count).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace mcp {

class Executor {
 public:
  explicit Executor(std::size_t max_threads = kDefaultMaxThreads,
                    std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout);
  ~Executor();  // finishes queued work, then joins
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // post queues `task`; it runs on a pool thread. Tasks must not throw.
  void post(std::function<void()> task);

  // threads is the number of pool threads alive now (for tests and diagnostics).
  std::size_t threads() const;

  static constexpr std::size_t kDefaultMaxThreads = 64;
  static constexpr std::chrono::milliseconds kDefaultIdleTimeout{std::chrono::seconds(10)};

 private:
  using Threads = std::list<std::thread>;
  void run(Threads::iterator self) noexcept;

  std::size_t max_threads_;
  std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  Threads threads_;                   // live pool threads
  std::vector<std::thread> retired_;  // exited (or exiting) for idleness, not yet joined
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace mcp
