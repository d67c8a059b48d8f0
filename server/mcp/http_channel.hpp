#pragma once
// StreamChannel: the Channel behind one HTTP response of the Streamable HTTP
// transport (basic/transports.mdx): a POST's reply, a session's GET stream or a
// legacy /sse stream. Session threads send() into a bounded queue; the one
// HTTP worker serving the response takes frames out and writes them (as one
// JSON body or as SSE events). ChannelSet lets stop() close every channel so
// blocked writers return and free their workers.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mcp/channel.hpp"

namespace mcp::http {

// Frame is one encoded JSON-RPC message waiting for the writer.
struct Frame {
  std::string json;
  bool is_request = false;       // has a method and an id
  bool is_notification = false;  // has a method and no id
  bool is_error = false;         // an error response
  bool answers_request = false;  // the response to the channel's own request
};

// StreamChannel is thread-safe. One consumer at a time.
class StreamChannel : public Channel {
 public:
  enum class Mode {
    // A POST carrying one request: everything goes out until the request is
    // done (Channel::request_done for its id), then sends fail.
    kRequest,
    // A stream that lives as long as its session (legacy /sse).
    kStream,
    // A session's default channel for the optional GET stream. While no GET
    // stream is attached, notifications are parked (the newest kMaxParked
    // kept) for the next stream, and requests are refused so a server→client
    // call fails at once instead of waiting for its timeout.
    kStandalone,
  };
  static constexpr std::size_t kMaxQueued = 1024;  // notifications beyond are dropped
  static constexpr std::size_t kMaxParked = 64;

  explicit StreamChannel(Mode mode, const Json& request_id = nullptr);

  bool send(const Json& message) override;
  void request_done(const Json& id, bool responded) override;

  // First is what a POST handler learns while deciding between a JSON body and
  // an SSE stream (wait_first does not consume the frame it looks at).
  enum class First { kResponse, kOther, kFinished, kClosed, kTimeout };
  First wait_first(std::chrono::steady_clock::time_point deadline);

  // Batch is what take returns: the queued frames, and whether the request is
  // done (kRequest) or the channel closed. Frames may come with either flag.
  struct Batch {
    std::vector<Frame> frames;
    bool finished = false;
    bool closed = false;
  };
  // take blocks until there are frames, the request finished, the channel
  // closed or the deadline passed, and returns what there is.
  Batch take(std::chrono::steady_clock::time_point deadline);

  // attach claims a kStandalone channel for a GET stream; false when one is
  // attached already (409) or the channel is closed. detach releases it.
  bool attach();
  void detach();
  bool attached() const;

  // close wakes the consumer; later sends fail. Idempotent.
  void close();
  bool closed() const;

 private:
  Mode mode_;
  std::string request_key_;  // jsonrpc::id_key of the POST's request
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // A vector, not a deque: one is made per POST, and libstdc++'s deque
  // allocates its map and first block even empty (and again when swapped out).
  std::vector<Frame> queue_;
  bool attached_;
  bool finished_ = false;
  bool closed_ = false;
};

// ChannelSet tracks live channels (weakly) so that stop() can close them all.
class ChannelSet {
 public:
  // add registers `channel`; after close_all it closes the channel instead
  // and returns false.
  bool add(const std::shared_ptr<StreamChannel>& channel);
  void close_all();

 private:
  std::mutex mu_;
  std::vector<std::weak_ptr<StreamChannel>> channels_;
  std::size_t adds_since_prune_ = 0;
  bool closed_ = false;
};

}  // namespace mcp::http
