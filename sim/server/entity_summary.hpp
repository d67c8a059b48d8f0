// entity_summary.hpp — lookup_entity's text (secops-mcp's layout over Chronicle's
// summarize_entity), computed from the event store, plus the alert field helpers it shares with
// get_security_alerts.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "sim/server/sim_context.hpp"

namespace sim {

inline constexpr const char* kDefaultStatusFilter = "feedback_summary.status != \"CLOSED\"";

// summarize_entity answers lookup_entity(entity_value, hours_back): "Entity Summary for X: ..."
// or "No information found for entity: X" when no event in the window mentions it.
std::string summarize_entity(const SimContext& ctx, const mcp::Json& args);

// alert_field returns the first string (or number, as text) among keys, also looking inside
// "feedbackSummary"; fallback when none is present.
std::string alert_field(const mcp::Json& alert, std::initializer_list<const char*> keys,
                        const std::string& fallback);
// alert_time parses the alert's creation time (createdTime, creationTime, createTime,
// detectionTime).
std::optional<TimePoint> alert_time(const mcp::Json& alert);

}  // namespace sim
