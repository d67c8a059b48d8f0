// time_window.cpp — start/end/hours_back → a closed time range.
#include "sim/server/time_window.hpp"

#include "sim/server/fastmcp.hpp"

namespace sim {

namespace {

constexpr const char* kIsoHint = ". Use ISO 8601 format (e.g., 2023-01-01T12:00:00Z)";

mcp::Error date_error(const std::string& what) {
  return mcp::Error{-32602, "Error parsing date format: " + what + kIsoHint};
}

std::chrono::milliseconds hours(long long n) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::hours(n));
}

}  // namespace

mcp::Result<TimeRange> time_window(const mcp::Json& args, TimePoint now) {
  const long long hours_back = fastmcp::integer_or(args, "hours_back", 24);
  TimePoint end = now;
  if (auto text = fastmcp::opt_string(args, "end_time")) {
    auto parsed = parse_time(*text);
    if (!parsed) return date_error("Invalid isoformat string: '" + *text + "'");
    end = *parsed;
  }
  TimePoint start = end - hours(hours_back);
  if (auto text = fastmcp::opt_string(args, "start_time")) {
    auto parsed = parse_time(*text);
    if (!parsed) return date_error("Invalid isoformat string: '" + *text + "'");
    start = *parsed;
  }
  if (start > end) {
    return date_error("start_time (" + format_time(start) + ") is after end_time (" +
                      format_time(end) + ")");
  }
  return TimeRange{start, end};
}

TimeRange hours_back_window(const mcp::Json& args, TimePoint now) {
  return TimeRange{now - hours(fastmcp::integer_or(args, "hours_back", 24)), now};
}

}  // namespace sim
