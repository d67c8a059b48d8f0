// windows_local_time.cpp — see windows_local_time.hpp.
#include "sim/windows_local_time.hpp"

#include "sim/windows_values.hpp"
#include "udm/timestamp.hpp"

namespace sim {

namespace wv = winvalues;

void LocalTimeZones::observe(const WindowsRecord& record) {
  if (record.local_time.empty() || record.time_is_local) return;
  const auto local = wv::parse_time(record.local_time);
  const auto utc = wv::parse_time(record.time_utc);
  if (!local || !utc) return;
  const auto offset = wv::quarter_hour_offset(local->t - utc->t, kTolerance);
  if (!offset) return;  // not the same moment: nothing to learn from this record
  Host& host = hosts_[short_hostname(record.computer)];
  ++host.observations;
  if (!host.offset) {
    host.offset = *offset;
  } else if (*host.offset != *offset) {
    host.conflicting = true;
  }
}

std::optional<std::chrono::minutes> LocalTimeZones::offset_for(std::string_view computer) const {
  const auto it = hosts_.find(short_hostname(computer));
  if (it == hosts_.end() || it->second.conflicting) return std::nullopt;
  return it->second.offset;
}

bool LocalTimeZones::resolve(WindowsRecord& record) const {
  if (!record.time_is_local) return false;
  const auto offset = offset_for(record.computer);
  if (!offset) return false;
  const auto local = wv::parse_time(record.time_utc);
  if (!local) return false;
  record.time_utc = udm::format_rfc3339((local->t - *offset).time_since_epoch().count());
  record.time_is_local = false;
  record.utc_offset_minutes = static_cast<int>(offset->count());
  return true;
}

}  // namespace sim
