#pragma once
// Executor: a thread pool that grows on demand up to a maximum and queues
// beyond it. Request handlers may block for a long time (a hunt waits on
// downstream servers), so threads are added while all are busy rather than
// fixing the count at start-up.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mcp {

class Executor {
 public:
  explicit Executor(std::size_t max_threads = kDefaultMaxThreads);
  ~Executor();  // finishes queued work, then joins
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // post queues `task`; it runs on a pool thread. Tasks must not throw.
  void post(std::function<void()> task);

  static constexpr std::size_t kDefaultMaxThreads = 64;

 private:
  void run() noexcept;

  std::size_t max_threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace mcp
