// timestamp.hpp — RFC 3339 timestamps as epoch seconds and nanos.
//
// UDM exports write Timestamp fields as RFC 3339 strings ("2024-05-01T12:00:00.5Z") while UDM
// Search compares `metadata.event_timestamp.seconds` as an epoch number; the evaluator uses this to
// read .seconds and .nanos out of such strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace udm {

struct Timestamp {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
};

// parse_rfc3339 reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM); 't', 'z' and a space
// separator are accepted too. Returns nullopt for anything else.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// format_rfc3339 prints epoch milliseconds as RFC 3339 UTC with a Z suffix, with milliseconds
// ("2024-05-01T12:00:00.500Z") or, when with_millis is false, without a fraction (which is
// dropped: "2024-05-01T12:00:00Z"). The one formatter for UDM, the hunt, the downstream client
// and lmhunt-sim.
std::string format_rfc3339(std::int64_t epoch_ms, bool with_millis = true);

}  // namespace udm
