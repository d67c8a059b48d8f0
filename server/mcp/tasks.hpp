#pragma once
// TaskStore: one session's tasks (basic/utilities/tasks.mdx, 2025-11-25, experimental). A task
// runs a request's work on its own thread after the request has been answered with the task;
// the store keeps its status (working → completed | failed | cancelled) and final result for
// tasks/get, tasks/result, tasks/list and tasks/cancel. It knows nothing of tools: the Server
// gives it the work and the result a cancelled task yields.
//
// Tasks belong to the session that created them (each ServerSession owns a store), so one
// session can neither see nor touch another's tasks; ids are also random (128 bits) as the
// spec asks when no authorization context binds them.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "mcp/result.hpp"

namespace mcp {

// kRelatedTaskMeta is the _meta key that ties a message to its task.
inline constexpr const char* kRelatedTaskMeta = "io.modelcontextprotocol/related-task";

struct TaskOptions {
  // ttl: how long a task and its result are kept after creation. A requested ttl above
  // max_ttl is lowered to it (the spec lets the receiver override); none asked → default_ttl.
  std::chrono::milliseconds default_ttl{std::chrono::hours(1)};
  std::chrono::milliseconds max_ttl{std::chrono::hours(24)};
  std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};  // suggested to clients
  std::size_t max_running = 16;  // tasks working at once per session
  std::size_t max_kept = 1000;   // tasks kept per session, finished ones evicted oldest first
  // clock gives "now" for timestamps and expiry; system_clock::now when unset (tests set it).
  std::function<std::chrono::system_clock::time_point()> clock;
};

class TaskStore {
 public:
  // Work computes the task's final result: a value (a CallToolResult for tools/call) or the
  // JSON-RPC error the request would have returned. A value with "isError": true marks the
  // task failed, as the spec says for tool calls.
  using Work = std::function<Result<Json>()>;
  // StatusListener receives the full Task whenever a task reaches a terminal status
  // (notifications/tasks/status); called without the store's lock held.
  using StatusListener = std::function<void(const Json& task)>;

  TaskStore(TaskOptions options, StatusListener listener);
  // ~TaskStore stops every running task and waits for its work to return.
  ~TaskStore();
  TaskStore(const TaskStore&) = delete;
  TaskStore& operator=(const TaskStore&) = delete;

  // new_id returns a fresh task id: 32 hex digits from OpenSSL's CSPRNG.
  static std::string new_id();

  // create registers task `id` with the requested ttl (ms; nullopt for the default) and runs
  // `work` on its own thread; `stop` is what tasks/cancel and the store's end request to stop,
  // so the work must watch it. `if_cancelled` is what tasks/result returns for a task that was
  // cancelled. Returns the Task (status "working"); an Error when max_running tasks work already
  // or the store is full of working tasks.
  Result<Json> create(const std::string& id, std::optional<std::int64_t> ttl_ms,
                      std::stop_source stop, Work work, Json if_cancelled);
  // get returns the Task; -32602 for an unknown or expired id.
  Result<Json> get(const std::string& id);
  // result blocks until the task is terminal (or `caller` is stopped) and returns its final
  // result with _meta[kRelatedTaskMeta] = {"taskId": id}, or the error the work returned.
  // -32602 for an unknown or expired id.
  Result<Json> result(const std::string& id, std::stop_token caller);
  // cancel moves a working task to "cancelled" at once and asks its work to stop; the task stays
  // cancelled whatever the work returns later. -32602 for an unknown id or a terminal task.
  Result<Json> cancel(const std::string& id);
  // list returns every kept task, oldest first.
  std::vector<Json> list();

 private:
  struct Entry;
  using Clock = std::chrono::system_clock;

  Clock::time_point now() const;
  Json to_json(const Entry& entry) const;
  std::shared_ptr<Entry> find(const std::string& id) const;  // caller holds mu_
  // sweep removes finished tasks past their ttl (and, when `room` is set, the oldest finished
  // ones beyond max_kept - 1); the removed entries are returned so that their threads are joined
  // after the lock is released.
  std::vector<std::shared_ptr<Entry>> sweep(bool room);
  void finish(Entry& entry, Result<Json> outcome);

  TaskOptions options_;
  StatusListener listener_;
  mutable std::mutex mu_;
  std::condition_variable_any changed_;
  std::vector<std::shared_ptr<Entry>> tasks_;  // oldest first
};

}  // namespace mcp
