// time_window.hpp — secops-mcp's time arguments (secops_mcp/utils.py parse_time_range): end_time
// defaults to now, start_time to end_time - hours_back; ISO 8601 strings, naive = UTC.
#pragma once

#include "mcp/result.hpp"
#include "sim/event_store.hpp"

namespace sim {

// time_window reads hours_back (default 24), start_time and end_time from args. The Error's
// message is the text secops-mcp puts in its "error" field ("Error parsing date format: ...").
mcp::Result<TimeRange> time_window(const mcp::Json& args, TimePoint now);

// hours_back_window is [now - hours_back, now] for the tools that take only hours_back.
TimeRange hours_back_window(const mcp::Json& args, TimePoint now);

}  // namespace sim
