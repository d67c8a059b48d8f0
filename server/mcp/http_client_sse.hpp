#pragma once
// SseDecoder: an incremental text/event-stream parser for the HTTP client
// transports (WHATWG HTML §9.2.6 "Interpreting an event stream"). Hand-written:
// cpp-httplib 0.11.4 delivers raw body chunks and has no SSE parser, and the
// rules needed (CR/LF/CRLF line ends, multi-line data joined with "\n",
// comments, a BOM, events without data not dispatched) are short.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mcp::httpc {

struct SseEvent {
  std::string type = "message";  // the event: field, "message" when absent
  std::string data;              // data: lines joined with "\n"
  std::string id;                // the last event id seen on the stream
};

class SseDecoder {
 public:
  using Sink = std::function<void(SseEvent&&)>;
  // max_event_bytes bounds one event's data; a bigger event makes feed()
  // return false (the stream should then be dropped).
  SseDecoder(Sink sink, std::size_t max_event_bytes)
      : sink_(std::move(sink)), max_(max_event_bytes) {}

  // feed consumes bytes as they arrive and dispatches complete events.
  // false once an event or a line exceeded the limit.
  bool feed(std::string_view bytes);
  std::size_t comments() const { return comments_; }

 private:
  bool line(std::string_view text);

  Sink sink_;
  std::size_t max_;
  std::string pending_;  // an incomplete line
  std::string head_;     // the first bytes, until a BOM is ruled out
  bool bom_checked_ = false;
  bool after_cr_ = false;  // the previous chunk ended in CR: a leading LF is part of it
  std::string type_;
  std::string data_;
  bool has_data_ = false;
  std::string last_id_;
  std::size_t comments_ = 0;
};

}  // namespace mcp::httpc
