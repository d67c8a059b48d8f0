// parallel.hpp — parallel_for: run fn(0..count-1) on at most `concurrency` threads at once.
//
// Hand-written because the standard library has no bounded parallel loop in GCC 12 without TBB
// (std::execution::par needs libtbb, which is not a dependency). Threads pull indices from one
// atomic counter, so at most `concurrency` calls of fn are ever in flight.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace hunt {

// parallel_for blocks until every fn(i) has returned. fn must not throw.
template <class Fn>
void parallel_for(std::size_t count, int concurrency, Fn&& fn) {
  const std::size_t workers =
      std::min<std::size_t>(count, static_cast<std::size_t>(std::max(concurrency, 1)));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::jthread> threads;
  threads.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) fn(i);
    });
  }
}  // the jthreads join here

}  // namespace hunt
