#include "mcp/http_client_sse.hpp"

namespace mcp::httpc {

bool SseDecoder::feed(std::string_view bytes) {
  if (!bom_checked_) {
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    head_.append(bytes);
    if (head_.size() < kBom.size() && kBom.starts_with(head_)) return true;
    bom_checked_ = true;
    std::string start = std::move(head_);
    if (std::string_view(start).starts_with(kBom)) start.erase(0, kBom.size());
    return feed(start);
  }
  std::size_t i = 0;
  if (after_cr_ && !bytes.empty() && bytes.front() == '\n') i = 1;
  after_cr_ = false;
  while (i < bytes.size()) {
    const auto end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      pending_.append(bytes.substr(i));
      return pending_.size() <= max_;
    }
    bool ok;
    if (pending_.empty()) {
      ok = line(bytes.substr(i, end - i));
    } else {
      pending_.append(bytes.substr(i, end - i));
      ok = line(pending_);
      pending_.clear();
    }
    if (!ok) return false;
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i < bytes.size()) {
        if (bytes[i] == '\n') ++i;
      } else {
        after_cr_ = true;
      }
    }
  }
  return true;
}

bool SseDecoder::line(std::string_view text) {
  if (text.empty()) {  // dispatch
    if (has_data_) {
      SseEvent event;
      event.type = type_.empty() ? "message" : type_;
      event.data = std::move(data_);
      event.id = last_id_;
      sink_(std::move(event));
    }
    type_.clear();
    data_.clear();
    has_data_ = false;
    return true;
  }
  if (text.front() == ':') {
    ++comments_;
    return true;
  }
  const auto colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
    return data_.size() <= max_;
  }
  if (field == "event") {
    type_ = value;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = value;
  }
  // retry: and unknown fields are ignored (no reconnection is attempted).
  return true;
}

}  // namespace mcp::httpc
