// executor_test.cpp — mcp::Executor grows while its threads are busy and lets idle ones go.
#include "mcp/executor.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <latch>
#include <thread>

namespace {

// threads_after polls until the executor has at most `n` threads or 5 s pass (a thread's exit
// gives no event to wait on).
std::size_t threads_after(const mcp::Executor& executor, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (executor.threads() > n && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return executor.threads();
}

}  // namespace

TEST_CASE("an executor's idle threads exit after the idle timeout and new work starts new ones",
          "[executor]") {
  mcp::Executor executor(4, std::chrono::milliseconds(50));
  std::latch release(1);
  std::latch done(6);
  for (int i = 0; i < 6; ++i) {
    executor.post([&] {
      release.wait();
      done.count_down();
    });
  }
  CHECK(executor.threads() == 4);  // every thread busy: grown to the maximum, the rest queued
  release.count_down();
  done.wait();
  CHECK(threads_after(executor, 0) == 0);

  std::latch again(1);
  executor.post([&] { again.count_down(); });
  again.wait();
  CHECK(executor.threads() <= 1);
}

TEST_CASE("an executor finishes queued work before it is destroyed", "[executor]") {
  std::atomic<int> ran{0};
  {
    mcp::Executor executor(2, std::chrono::milliseconds(1));
    for (int i = 0; i < 50; ++i) executor.post([&] { ran.fetch_add(1); });
  }
  CHECK(ran.load() == 50);
}
