#pragma once
// Channel: where a Session writes outgoing messages. Transports provide them:
// stdio has one (stdout); Streamable HTTP has one per POST (its response, JSON
// or SSE) plus the session's GET stream for unrelated messages.

#include "mcp/result.hpp"

namespace mcp {

class Channel {
 public:
  virtual ~Channel() = default;
  // send writes one JSON-RPC message. Returns false when the channel is
  // closed. Must be thread-safe: handlers on many threads share a channel.
  virtual bool send(const Json& message) = 0;
  // request_done tells the channel that the incoming request `id` it carried
  // has finished; `responded` is false when no response was sent (the request
  // was cancelled). Streamable HTTP ends the POST's stream here.
  virtual void request_done(const Json& id, bool responded) {
    (void)id;
    (void)responded;
  }
};

}  // namespace mcp
