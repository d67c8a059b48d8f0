// jobs.hpp — HuntJobs: hunts as background jobs with handles (issue 5 "wait_seconds").
//
// Cline waits 60 s for a tools/call and sends no progress token (mcp-protocol.md §9), so a hunt
// runs on its own thread and the call waits at most wait_seconds: it returns the final result
// when the hunt is done by then, otherwise a handle (the running result: hunt_id, status
// "running", steps done so far, a partial report) that get_hunt_result picks up later. Finished
// hunts are kept (the last HuntSettings::keep_finished_hunts) for get_hunt_result and the
// lmhunt://hunts/{id} resource.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "mcp/result.hpp"
#include "tools/hunt/runner.hpp"

namespace hunt {

// kMaxRunningHunts bounds hunts in flight at once; each holds up to `concurrency` downstream
// calls, and the downstream servers are shared. A hunt started beyond it waits for a slot
// (status "running", no step done yet; its deadline runs meanwhile), first come first served, up
// to kMaxQueuedHunts waiting: many analysts hunting at once get their reports later, not an error.
inline constexpr std::size_t kMaxRunningHunts = 4;
inline constexpr std::size_t kMaxQueuedHunts = 64;
// kUnknownHunt is the mcp::Error code for a hunt id that is not (or no longer) known.
inline constexpr int kUnknownHunt = -32602;
// kTooManyHunts is the mcp::Error code when kMaxRunningHunts run and kMaxQueuedHunts wait.
inline constexpr int kTooManyHunts = -32000;

// make_hunt_env loads the embedded detection catalog (an Error names the bad detection) and
// builds the environment every hunt of a server shares, with a research cache of
// settings.research_cache_ttl_seconds.
mcp::Result<HuntEnv> make_hunt_env(downstream::Downstream downstream, HuntSettings settings);

class HuntJobs {
 public:
  // `env` is shared by every hunt; when `refresh` is set, each hunt takes its downstream from it
  // (e.g. Connections::downstream(), which reflects servers restarted since start-up).
  explicit HuntJobs(HuntEnv env, std::function<downstream::Downstream()> refresh = nullptr);
  // ~HuntJobs cancels running hunts and waits for their threads.
  ~HuntJobs();
  HuntJobs(const HuntJobs&) = delete;
  HuntJobs& operator=(const HuntJobs&) = delete;

  // start begins a hunt with `args` (or queues it while kMaxRunningHunts run) and waits up to
  // args.wait_seconds for it: the final result, or the running snapshot. `caller` firing during
  // that wait cancels the hunt (the tools/call was cancelled); `progress` is called only during
  // the wait. An Error when kMaxQueuedHunts already wait.
  mcp::Result<HuntResult> start(const HuntArgs& args, std::stop_token caller,
                                ProgressFn progress = nullptr);

  // result waits up to wait_seconds for hunt `hunt_id` and returns its final or running result.
  // `caller` firing ends the wait only (the hunt goes on). kUnknownHunt for an unknown id.
  mcp::Result<HuntResult> result(const std::string& hunt_id, double wait_seconds,
                                 std::stop_token caller, ProgressFn progress = nullptr);

  // cancel stops a running hunt; it finishes as "cancelled" shortly after. kUnknownHunt for an
  // unknown id; a finished hunt is left as it is.
  mcp::Status cancel(const std::string& hunt_id);

  // find returns the hunt's current result (running or final) without waiting.
  std::optional<HuntResult> find(const std::string& hunt_id) const;
  // list returns every known hunt's current result, newest first.
  std::vector<HuntResult> list() const;

  const HuntSettings& settings() const { return env_.settings; }
  const std::vector<CatalogEntry>& catalog() const;

 private:
  struct Job;
  std::shared_ptr<Job> job(const std::string& hunt_id) const;
  static HuntResult wait(Job& job, double wait_seconds, const std::stop_token& caller,
                         ProgressFn progress);
  void evict_finished();
  // take_ticket queues a hunt for a slot. acquire_slot waits until `ticket` is the oldest
  // waiting and fewer than kMaxRunningHunts run, and takes a slot (true), or until `stop` fires
  // (false, no slot taken); either way the ticket leaves the queue. release_slot gives a slot back.
  std::uint64_t take_ticket();
  bool acquire_slot(std::uint64_t ticket, const std::stop_token& stop);
  void drop_ticket(std::uint64_t ticket);
  void release_slot();

  HuntEnv env_;
  std::function<downstream::Downstream()> refresh_;
  mutable std::mutex mu_;
  std::deque<std::shared_ptr<Job>> jobs_;  // oldest first

  std::mutex slots_mu_;
  std::condition_variable_any slots_cv_;
  std::size_t running_ = 0;            // hunts holding a slot
  std::deque<std::uint64_t> waiting_;  // tickets of hunts waiting for a slot, oldest first
  std::uint64_t next_ticket_ = 0;
};

}  // namespace hunt
