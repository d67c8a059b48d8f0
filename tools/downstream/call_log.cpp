// call_log.cpp — CallLog and error_kind (facades.hpp).
#include <numeric>

#include "tools/downstream/facades.hpp"

namespace downstream {

const char* error_kind(int code) {
  switch (code) {
    case kNotConfigured:
      return "not_configured";
    case kUnavailable:
      return "unavailable";
    case kTimeout:
      return "timeout";
    case kCancelled:
      return "cancelled";
    case kToolError:
      return "tool_error";
    case kBadResponse:
      return "bad_response";
    case kNotFound:
      return "not_found";
    case kRefused:
      return "refused";
    default:
      return "error";
  }
}

void CallLog::add(CallRecord record) {
  std::lock_guard lock(mu_);
  records_.push_back(std::move(record));
}

std::vector<CallRecord> CallLog::snapshot() const {
  std::lock_guard lock(mu_);
  return records_;
}

std::size_t CallLog::total_response_bytes() const {
  std::lock_guard lock(mu_);
  return std::accumulate(records_.begin(), records_.end(), std::size_t{0},
                         [](std::size_t n, const CallRecord& r) { return n + r.response_bytes; });
}

}  // namespace downstream
