#include "mcp/tasks.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

#include "mcp/jsonrpc.hpp"

namespace mcp {

struct TaskStore::Entry {
  std::string id;
  Clock::time_point created;
  Clock::time_point updated;
  std::chrono::milliseconds ttl{0};
  std::string status = "working";
  std::string message;
  std::optional<Result<Json>> outcome;
  Json if_cancelled;
  std::stop_source stop;
  bool finished = false;  // the work has returned (its thread is ending)
  std::jthread thread;    // declared last: joined before the rest is destroyed
};

namespace {

bool terminal(const std::string& status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

// iso8601 formats a UTC timestamp with milliseconds ("2025-11-25T10:30:00.123Z"). Hand-written:
// GCC 12 has no std::format / chrono formatting, and spdlog's fmt would need its chrono header.
std::string iso8601(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const auto secs = std::chrono::floor<std::chrono::seconds>(ms);
  const std::time_t time = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&time, &tm);
  std::array<char, 32> date{};
  std::strftime(date.data(), date.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  const int millis = static_cast<int>((ms - secs).count());
  std::string out(date.data());
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
  return out;
}

Error unknown_task(const std::string& id) {
  return Error{jsonrpc::kInvalidParams,
               "Failed to retrieve task: Task not found (" + id +
                   "; tasks belong to the session that created them and expire after their ttl)",
               nullptr};
}

// failure_message is the statusMessage of a failed task: the error, or the tool result's text.
std::optional<std::string> failure_message(const Result<Json>& outcome) {
  if (!outcome) return outcome.error().message;
  const Json& value = outcome.value();
  if (!value.is_object() || value.value("isError", false) != true) return std::nullopt;
  std::string text = "The operation failed";
  auto content = value.find("content");
  if (content != value.end() && content->is_array()) {
    for (const auto& block : *content) {
      if (block.is_object() && block.value("type", "") == "text" && block.contains("text") &&
          block["text"].is_string()) {
        text = block["text"].get<std::string>();
        break;
      }
    }
  }
  constexpr std::size_t kMaxMessage = 500;
  if (text.size() > kMaxMessage) text = text.substr(0, kMaxMessage) + "…";
  return text;
}

}  // namespace

TaskStore::TaskStore(TaskOptions options, StatusListener listener)
    : options_(std::move(options)), listener_(std::move(listener)) {}

TaskStore::~TaskStore() {
  std::vector<std::shared_ptr<Entry>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& t : tasks_) t->stop.request_stop();
    all.swap(tasks_);
  }
  changed_.notify_all();
  all.clear();  // joins each task's thread, outside the lock its work takes to finish
}

std::string TaskStore::new_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::random_device device;  // /dev/urandom on Linux: still unpredictable
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xf];
  }
  return id;
}

TaskStore::Clock::time_point TaskStore::now() const {
  return options_.clock ? options_.clock() : Clock::now();
}

Json TaskStore::to_json(const Entry& entry) const {
  Json task = {{"taskId", entry.id},
               {"status", entry.status},
               {"createdAt", iso8601(entry.created)},
               {"lastUpdatedAt", iso8601(entry.updated)},
               {"ttl", entry.ttl.count()},
               {"pollInterval", options_.poll_interval.count()}};
  if (!entry.message.empty()) task["statusMessage"] = entry.message;
  return task;
}

std::shared_ptr<TaskStore::Entry> TaskStore::find(const std::string& id) const {
  for (const auto& t : tasks_) {
    if (t->id == id) return t;
  }
  return nullptr;
}

std::vector<std::shared_ptr<TaskStore::Entry>> TaskStore::sweep(bool room) {
  std::vector<std::shared_ptr<Entry>> removed;
  const auto at = now();
  auto expired = [&](const std::shared_ptr<Entry>& t) {
    return t->finished && at >= t->created + t->ttl;
  };
  for (auto& t : tasks_) {
    if (expired(t)) removed.push_back(t);
  }
  std::erase_if(tasks_, expired);
  if (room) {
    for (auto it = tasks_.begin(); it != tasks_.end() && tasks_.size() >= options_.max_kept;) {
      if ((*it)->finished) {
        removed.push_back(*it);
        it = tasks_.erase(it);
      } else {
        ++it;
      }
    }
  }
  return removed;
}

Result<Json> TaskStore::create(const std::string& id, std::optional<std::int64_t> ttl_ms,
                               std::stop_source stop, Work work, Json if_cancelled) {
  auto entry = std::make_shared<Entry>();
  entry->id = id;
  entry->created = entry->updated = now();
  entry->ttl = ttl_ms ? std::min(std::chrono::milliseconds(std::max<std::int64_t>(*ttl_ms, 0)),
                                 options_.max_ttl)
                      : options_.default_ttl;
  entry->if_cancelled = std::move(if_cancelled);
  entry->stop = std::move(stop);
  std::vector<std::shared_ptr<Entry>> removed;
  Json task;
  {
    std::lock_guard lock(mu_);
    removed = sweep(true);
    const auto working = std::count_if(tasks_.begin(), tasks_.end(),
                                       [](const auto& t) { return !terminal(t->status); });
    if (static_cast<std::size_t>(working) >= options_.max_running ||
        tasks_.size() >= options_.max_kept) {
      return Error{jsonrpc::kInvalidRequest,
                   std::to_string(working) +
                       " tasks are already working in this session; wait for one to finish or "
                       "cancel one (tasks/cancel), then try again",
                   nullptr};
    }
    tasks_.push_back(entry);
    task = to_json(*entry);
    // The thread starts under the lock; finish() takes the lock, so it sees the entry stored.
    entry->thread = std::jthread([this, raw = entry.get(), work = std::move(work)] {
      Result<Json> outcome = Error{jsonrpc::kInternalError, "Internal error", nullptr};
      try {
        outcome = work();
      } catch (const std::exception& e) {
        spdlog::error("task {} threw: {}", raw->id, e.what());
      }
      finish(*raw, std::move(outcome));
    });
  }
  spdlog::info("task {} created (ttl {} ms)", id, entry->ttl.count());
  return task;
}

void TaskStore::finish(Entry& entry, Result<Json> outcome) {
  Json task;
  {
    std::lock_guard lock(mu_);
    entry.finished = true;
    if (terminal(entry.status)) return;  // cancelled: it stays cancelled
    auto failure = failure_message(outcome);
    entry.status = failure ? "failed" : "completed";
    entry.message = failure.value_or("");
    entry.outcome = std::move(outcome);
    entry.updated = now();
    task = to_json(entry);
  }
  changed_.notify_all();
  spdlog::info("task {} {}", entry.id, task["status"].get<std::string>());
  if (listener_) listener_(task);
}

Result<Json> TaskStore::get(const std::string& id) {
  std::vector<std::shared_ptr<Entry>> removed;
  std::lock_guard lock(mu_);
  removed = sweep(false);
  auto entry = find(id);
  if (!entry) return unknown_task(id);
  return to_json(*entry);
}

Result<Json> TaskStore::result(const std::string& id, std::stop_token caller) {
  std::vector<std::shared_ptr<Entry>> removed;
  std::unique_lock lock(mu_);
  removed = sweep(false);
  auto entry = find(id);
  if (!entry) return unknown_task(id);
  changed_.wait(lock, caller, [&] { return terminal(entry->status); });
  if (!terminal(entry->status)) {
    return Error{jsonrpc::kInternalError, "tasks/result for " + id + " was stopped", nullptr};
  }
  Result<Json> outcome =
      entry->status == "cancelled" ? Result<Json>(entry->if_cancelled) : *entry->outcome;
  if (!outcome) return outcome.error();
  Json value = std::move(outcome.value());
  if (value.is_object()) {
    Json& meta = value["_meta"];
    if (!meta.is_object()) meta = Json::object();
    meta[kRelatedTaskMeta] = {{"taskId", id}};
  }
  return value;
}

Result<Json> TaskStore::cancel(const std::string& id) {
  std::vector<std::shared_ptr<Entry>> removed;
  Json task;
  {
    std::lock_guard lock(mu_);
    removed = sweep(false);
    auto entry = find(id);
    if (!entry) return unknown_task(id);
    if (terminal(entry->status)) {
      return Error{jsonrpc::kInvalidParams,
                   "Cannot cancel task: already in terminal status '" + entry->status + "'",
                   nullptr};
    }
    entry->status = "cancelled";
    entry->message = "The task was cancelled by request.";
    entry->updated = now();
    entry->stop.request_stop();
    task = to_json(*entry);
  }
  changed_.notify_all();
  spdlog::info("task {} cancelled", id);
  if (listener_) listener_(task);
  return task;
}

std::vector<Json> TaskStore::list() {
  std::vector<std::shared_ptr<Entry>> removed;
  std::vector<Json> out;
  std::lock_guard lock(mu_);
  removed = sweep(false);
  for (const auto& t : tasks_) out.push_back(to_json(*t));
  return out;
}

}  // namespace mcp
