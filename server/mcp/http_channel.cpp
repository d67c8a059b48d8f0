#include "mcp/http_channel.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "mcp/jsonrpc.hpp"

namespace mcp::http {

StreamChannel::StreamChannel(Mode mode, const Json& request_id)
    : mode_(mode),
      request_key_(request_id.is_null() ? std::string{} : jsonrpc::id_key(request_id)),
      attached_(mode != Mode::kStandalone) {}

bool StreamChannel::send(const Json& message) {
  Frame frame;
  const bool has_method = message.contains("method");
  const auto id = message.find("id");
  const bool has_id = id != message.end() && !id->is_null();
  frame.is_request = has_method && has_id;
  frame.is_notification = has_method && !has_id;
  frame.is_error = !has_method && message.contains("error");
  frame.answers_request =
      !has_method && has_id && !request_key_.empty() && jsonrpc::id_key(*id) == request_key_;
  frame.json = jsonrpc::encode(message);
  {
    std::lock_guard lock(mu_);
    if (closed_ || finished_) return false;
    if (!attached_) {  // kStandalone without a GET stream
      if (!frame.is_notification) return false;
      if (queue_.size() >= kMaxParked) queue_.erase(queue_.begin());  // at most kMaxParked moved
    } else if (queue_.size() >= kMaxQueued) {
      // A stalled reader: shed notifications, keep requests and responses (a
      // write timeout will close the stream soon, or the reader catches up).
      if (frame.is_notification || queue_.size() >= 2 * kMaxQueued) {
        spdlog::warn("HTTP stream backlog full; dropped a message");
        return false;
      }
    }
    queue_.push_back(std::move(frame));
  }
  cv_.notify_all();
  return true;
}

void StreamChannel::request_done(const Json& id, bool responded) {
  (void)responded;  // a cancelled request simply ends without a response
  if (mode_ != Mode::kRequest || jsonrpc::id_key(id) != request_key_) return;
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  cv_.notify_all();
}

StreamChannel::First StreamChannel::wait_first(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return !queue_.empty() || finished_ || closed_; });
  if (closed_) return First::kClosed;
  if (!queue_.empty()) return queue_.front().answers_request ? First::kResponse : First::kOther;
  if (finished_) return First::kFinished;
  return First::kTimeout;
}

StreamChannel::Batch StreamChannel::take(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return !queue_.empty() || finished_ || closed_; });
  Batch batch;
  batch.frames.swap(queue_);
  batch.finished = finished_;
  batch.closed = closed_;
  return batch;
}

bool StreamChannel::attach() {
  std::lock_guard lock(mu_);
  if (closed_ || attached_) return false;
  attached_ = true;
  return true;
}

void StreamChannel::detach() {
  {
    std::lock_guard lock(mu_);
    if (mode_ != Mode::kStandalone) return;
    attached_ = false;
    // What the lost stream did not deliver stays parked, within the bound.
    std::erase_if(queue_, [](const Frame& f) { return !f.is_notification; });
    if (queue_.size() > kMaxParked) {
      queue_.erase(queue_.begin(), queue_.end() - static_cast<std::ptrdiff_t>(kMaxParked));
    }
  }
  cv_.notify_all();
}

bool StreamChannel::attached() const {
  std::lock_guard lock(mu_);
  return attached_ && mode_ == Mode::kStandalone;
}

void StreamChannel::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool StreamChannel::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

bool ChannelSet::add(const std::shared_ptr<StreamChannel>& channel) {
  std::unique_lock lock(mu_);
  if (closed_) {
    lock.unlock();
    channel->close();
    return false;
  }
  if (++adds_since_prune_ >= 64) {
    adds_since_prune_ = 0;
    std::erase_if(channels_, [](const auto& w) { return w.expired(); });
  }
  channels_.push_back(channel);
  return true;
}

void ChannelSet::close_all() {
  std::vector<std::weak_ptr<StreamChannel>> all;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    all.swap(channels_);
  }
  for (const auto& w : all) {
    if (auto channel = w.lock()) channel->close();
  }
}

}  // namespace mcp::http
