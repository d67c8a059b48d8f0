// args.hpp — lateral_movement_hunt's arguments, validated (issue 5 "Inputs";
// schemas/lateral_movement_hunt.input.json says the same to clients).
#pragma once

#include "mcp/result.hpp"
#include "tools/hunt/model.hpp"
#include "tools/hunt/settings.hpp"

namespace hunt {

// kInvalidArgument is the mcp::Error code of a bad argument (shown to the model as isError).
inline constexpr int kInvalidArgument = -32602;

inline constexpr int kMaxTimeFrameHours = 8760;  // one year
inline constexpr int kMaxEventsPerQueryLimit = 10'000;
inline constexpr double kMaxWaitSeconds = 3600;  // Cline's largest timeout
// kDefaultWaitSeconds leaves 15 s of margin inside Cline's 60 s default tools/call timeout.
inline constexpr double kDefaultWaitSeconds = 45;
inline constexpr std::size_t kMaxHypothesisBytes = 4000;

// parse_hunt_args validates `arguments` (a JSON object) and fills defaults from `settings`.
// target_scope_query must parse as a UDM Search expression on its own (so text such as
// `) OR (x = "1"` is refused) and is kept as its canonical text plus the parsed tree, which the
// plan conjoins with each catalog query as a tree. admin_sources are merged with
// settings.admin_sources. An Error names the argument and the reason, e.g.
// "time_frame_hours: must be an integer from 1 to 8760 (got 0)".
mcp::Result<HuntArgs> parse_hunt_args(const Json& arguments, const HuntSettings& settings);

}  // namespace hunt
