// jobs.cpp — HuntJobs (jobs.hpp).
#include "tools/hunt/jobs.hpp"

#include <algorithm>
#include <chrono>

#include "tools/hunt/catalog.hpp"

namespace hunt {

mcp::Result<HuntEnv> make_hunt_env(downstream::Downstream downstream, HuntSettings settings) {
  auto catalog = load_catalog();
  if (!catalog) return catalog.error();
  HuntEnv env;
  env.downstream = std::move(downstream);
  env.catalog = std::make_shared<const std::vector<CatalogEntry>>(std::move(catalog).value());
  env.research_cache = std::make_shared<ResearchCache>(
      std::chrono::seconds(std::max(settings.research_cache_ttl_seconds, 0)));
  env.settings = std::move(settings);
  return env;
}

struct HuntJobs::Job {
  std::unique_ptr<HuntRunner> runner;
  std::stop_source stop;
  std::mutex mu;
  std::condition_variable_any cv;
  bool done = false;
  HuntResult final;
  ProgressFn listener;  // the waiting call's progress, only while it waits
  std::jthread thread;  // last: joined first when the Job is destroyed
};

HuntJobs::HuntJobs(HuntEnv env, std::function<downstream::Downstream()> refresh)
    : env_(std::move(env)), refresh_(std::move(refresh)) {}

HuntJobs::~HuntJobs() {
  std::deque<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(jobs_);
  }
  for (auto& j : jobs) j->stop.request_stop();
  for (auto& j : jobs) {
    if (j->thread.joinable()) j->thread.join();
  }
}

const std::vector<CatalogEntry>& HuntJobs::catalog() const {
  static const std::vector<CatalogEntry> kEmpty;
  return env_.catalog ? *env_.catalog : kEmpty;
}

void HuntJobs::evict_finished() {
  // Called with mu_ held. Finished threads have returned (done is set as the thread's last
  // step), so joining them in ~Job is immediate.
  std::size_t finished = 0;
  for (const auto& j : jobs_) {
    std::lock_guard lock(j->mu);
    finished += j->done;
  }
  for (auto it = jobs_.begin();
       it != jobs_.end() && finished > env_.settings.keep_finished_hunts;) {
    bool done;
    {
      std::lock_guard lock((*it)->mu);
      done = (*it)->done;
    }
    if (done) {
      it = jobs_.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
}

std::uint64_t HuntJobs::take_ticket() {
  std::lock_guard lock(slots_mu_);
  waiting_.push_back(next_ticket_);
  return next_ticket_++;
}

bool HuntJobs::acquire_slot(std::uint64_t ticket, const std::stop_token& stop) {
  std::unique_lock lock(slots_mu_);
  // First come, first served: a condition variable wakes waiters in no particular order, so only
  // the oldest ticket may take a free slot.
  const bool admitted = slots_cv_.wait(
      lock, stop, [&] { return running_ < kMaxRunningHunts && waiting_.front() == ticket; });
  if (admitted) ++running_;
  lock.unlock();
  drop_ticket(ticket);
  return admitted;
}

void HuntJobs::drop_ticket(std::uint64_t ticket) {
  {
    std::lock_guard lock(slots_mu_);
    std::erase(waiting_, ticket);
  }
  slots_cv_.notify_all();  // the next ticket may now be the oldest, with a slot free for it
}

void HuntJobs::release_slot() {
  {
    std::lock_guard lock(slots_mu_);
    --running_;
  }
  slots_cv_.notify_all();
}

mcp::Result<HuntResult> HuntJobs::start(const HuntArgs& args, std::stop_token caller,
                                        ProgressFn progress) {
  auto job = std::make_shared<Job>();
  HuntEnv env = env_;
  if (refresh_) env.downstream = refresh_();
  job->runner = std::make_unique<HuntRunner>(std::move(env), args, new_hunt_id());
  job->runner->set_progress(
      [raw = job.get()](const std::string& step, double fraction, const std::string& message) {
        std::lock_guard lock(raw->mu);
        if (raw->listener) raw->listener(step, fraction, message);
      });
  {
    std::lock_guard lock(mu_);
    evict_finished();
    const auto running = std::count_if(jobs_.begin(), jobs_.end(), [](const auto& j) {
      std::lock_guard job_lock(j->mu);
      return !j->done;
    });
    if (static_cast<std::size_t>(running) >= kMaxRunningHunts + kMaxQueuedHunts) {
      return mcp::Error{kTooManyHunts,
                        std::to_string(running) +
                            " hunts are already running or waiting to run; wait for one with "
                            "get_hunt_result or cancel one, then try again"};
    }
    if (progress) job->listener = std::move(progress);  // before the thread can report
    jobs_.push_back(job);
    // The ticket is taken here, in call order, not on the new thread (threads start in any order).
    const auto ticket = take_ticket();
    try {
      job->thread = std::jthread([this, raw = job.get(), ticket] {
        // A hunt cancelled while it waits for a slot still runs, without one: run() sees the stop
        // at once and records every step as not run (cancelled).
        const bool slot = acquire_slot(ticket, raw->stop.get_token());
        HuntResult result = raw->runner->run(raw->stop.get_token());
        if (slot) release_slot();
        {
          std::lock_guard lock(raw->mu);
          raw->final = std::move(result);
          raw->done = true;
        }
        raw->cv.notify_all();
      });
    } catch (...) {  // no thread: the hunt must not hold its place in the queue or the job list
      drop_ticket(ticket);
      jobs_.pop_back();
      throw;
    }
  }
  // Cancelling the call that started the hunt cancels the hunt (notifications/cancelled).
  std::stop_callback cancel_with_caller(caller, [raw = job.get()] { raw->stop.request_stop(); });
  return wait(*job, args.wait_seconds, caller, nullptr);
}

HuntResult HuntJobs::wait(Job& job, double wait_seconds, const std::stop_token& caller,
                          ProgressFn progress) {
  std::unique_lock lock(job.mu);
  if (progress) job.listener = std::move(progress);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<std::int64_t>(wait_seconds * 1000));
  job.cv.wait_until(lock, caller, deadline, [&] { return job.done; });
  // No progress after this call returns (progress.mdx: only for active requests).
  job.listener = nullptr;
  if (job.done) return job.final;
  lock.unlock();
  return job.runner->snapshot();
}

std::shared_ptr<HuntJobs::Job> HuntJobs::job(const std::string& hunt_id) const {
  std::lock_guard lock(mu_);
  for (const auto& j : jobs_) {
    if (j->runner->hunt_id() == hunt_id) return j;
  }
  return nullptr;
}

mcp::Result<HuntResult> HuntJobs::result(const std::string& hunt_id, double wait_seconds,
                                         std::stop_token caller, ProgressFn progress) {
  auto j = job(hunt_id);
  if (!j) {
    return mcp::Error{kUnknownHunt, "hunt_id: no hunt " + hunt_id + " is known (the last " +
                                        std::to_string(env_.settings.keep_finished_hunts) +
                                        " finished hunts are kept until lmhunt restarts)"};
  }
  return wait(*j, wait_seconds, caller, std::move(progress));
}

mcp::Status HuntJobs::cancel(const std::string& hunt_id) {
  auto j = job(hunt_id);
  if (!j) return mcp::Error{kUnknownHunt, "hunt_id: no hunt " + hunt_id + " is known"};
  j->stop.request_stop();
  return mcp::Ok{};
}

std::optional<HuntResult> HuntJobs::find(const std::string& hunt_id) const {
  auto j = job(hunt_id);
  if (!j) return std::nullopt;
  {
    std::lock_guard lock(j->mu);
    if (j->done) return j->final;
  }
  return j->runner->snapshot();
}

std::vector<HuntResult> HuntJobs::list() const {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.assign(jobs_.rbegin(), jobs_.rend());
  }
  std::vector<HuntResult> out;
  for (const auto& j : jobs) {
    std::unique_lock lock(j->mu);
    if (j->done) {
      out.push_back(j->final);
    } else {
      lock.unlock();
      out.push_back(j->runner->snapshot());
    }
  }
  return out;
}

}  // namespace hunt
