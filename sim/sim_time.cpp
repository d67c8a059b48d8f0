// sim_time.cpp — the store's clock: RFC 3339 text <-> TimePoint (UTC, milliseconds).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sim/event_store.hpp"
#include "udm/timestamp.hpp"

namespace sim {

std::optional<TimePoint> parse_time(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::optional<udm::Timestamp> stamp = udm::parse_rfc3339(text);
  // A naive time (no Z, no offset) is UTC: NXLog and OTRF exports often write it that way.
  if (!stamp && text.size() >= 19 && text.size() < 64) {
    std::string zoned(text);
    zoned += 'Z';
    stamp = udm::parse_rfc3339(zoned);
  }
  if (!stamp) return std::nullopt;
  return TimePoint{std::chrono::milliseconds{stamp->seconds * 1000 + stamp->nanos / 1'000'000}};
}

std::string format_time(TimePoint t) {
  return udm::format_rfc3339(t.time_since_epoch().count());
}

}  // namespace sim
