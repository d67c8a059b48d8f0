#pragma once
// In-memory transport: two Sessions joined by channels that encode each
// message to a frame and decode it on the other side, so tests run the
// production Session code without pipes or sockets.

#include <memory>

#include "mcp/session.hpp"

namespace mcp {

// LinkChannel delivers each message as a frame to `target`, whose replies go
// back through `back`.
class LinkChannel : public Channel {
 public:
  bool send(const Json& message) override {
    auto target = target_.lock();
    if (!target || target->closed()) return false;
    target->receive_frame(jsonrpc::encode(message), back_.lock());
    return true;
  }

  // connect joins two sessions both ways and makes the links their default
  // channels.
  static void connect(const std::shared_ptr<Session>& a, const std::shared_ptr<Session>& b) {
    auto a_to_b = std::make_shared<LinkChannel>();
    auto b_to_a = std::make_shared<LinkChannel>();
    a_to_b->target_ = b;
    a_to_b->back_ = b_to_a;
    b_to_a->target_ = a;
    b_to_a->back_ = a_to_b;
    a->set_default_channel(a_to_b);
    b->set_default_channel(b_to_a);
  }

 private:
  std::weak_ptr<Session> target_;
  std::weak_ptr<Channel> back_;
};

}  // namespace mcp
