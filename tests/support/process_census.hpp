#pragma once
// process_census: what a process holds right now — threads, open descriptors, child processes and
// memory — read from /proc, and the check that it came back to a baseline after some work
// (issue 7: "no leaked threads, descriptors or child processes, checked, not assumed").
//
// Used by the fault tests on this process and by the load benchmark (bench/load_bench.cpp) on
// the lmhunt server it drives. Linux only; a process that is gone gives an empty census with
// `alive` false.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace test {

struct Census {
  bool alive = false;
  int threads = 0;                 // entries of /proc/PID/task
  std::map<int, std::string> fds;  // descriptor → what it refers to (readlink of /proc/PID/fd/N)
  std::vector<pid_t> children;     // live processes whose parent is PID (zombies included)
  double rss_mib = 0;              // VmRSS
  double peak_rss_mib = 0;         // VmHWM
};

// take_census reads /proc/PID (pid 0: this process). The descriptor it opens to list
// /proc/PID/fd is not counted.
Census take_census(pid_t pid = 0);

// Leaks is what a census holds beyond a baseline.
struct Leaks {
  int threads = 0;               // more threads than the baseline (0 when not more)
  std::vector<std::string> fds;  // "N -> target" for each descriptor not in the baseline
  std::vector<pid_t> children;   // children not in the baseline
  bool any() const { return threads > 0 || !fds.empty() || !children.empty(); }
  std::string describe() const;  // "2 threads; fds: 7 -> pipe:[1234]; children: 4242"
};

// leaks_since compares `now` with `baseline`. A descriptor counts as leaked when its number is
// new or now refers to something else, but only when the process holds more descriptors than
// the baseline did (a descriptor closed and its number reused for another file is not a leak).
Leaks leaks_since(const Census& baseline, const Census& now);

// await_baseline polls the census of `pid` until it holds nothing beyond `baseline` or `deadline`
// passes (threads and children take a moment to exit after the code that ended them returns),
// and returns what is still held then (empty when it came back).
Leaks await_baseline(pid_t pid, const Census& baseline, std::chrono::milliseconds deadline);

}  // namespace test
