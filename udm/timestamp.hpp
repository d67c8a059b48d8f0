// timestamp.hpp — RFC 3339 timestamps as epoch seconds and nanos.
//
// UDM exports write Timestamp fields as RFC 3339 strings ("2024-05-01T12:00:00.5Z") while UDM
// Search compares `metadata.event_timestamp.seconds` as an epoch number; the evaluator uses this to
// read .seconds and .nanos out of such strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace udm {

struct Timestamp {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
};

// parse_rfc3339 reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM); 't', 'z' and a space
// separator are accepted too. Returns nullopt for anything else.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace udm
