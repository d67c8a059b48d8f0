// windows_local_time.hpp — LocalTimeZones: learns each logging host's UTC offset from records that
// carry both a true UTC time and a zone-less local time (Sysmon: UtcTime and TimeCreated /
// EventTime), and converts the zone-less local times of that host's other records (the OTRF
// Security / System events carry only a local TimeCreated). docs/windows-mapping.md, "Time".
//
// The loader uses one LocalTimeZones per file: observe every record, hold back the records whose
// time is local (WindowsRecord::time_is_local) until the file is read, then resolve them.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/windows_mapping.hpp"

namespace sim {

class LocalTimeZones {
 public:
  // kTolerance is the largest gap between a record's local and UTC times, once the offset is
  // taken away, that still counts as the same moment (Sysmon writes them milliseconds apart).
  static constexpr std::chrono::minutes kTolerance{2};

  // observe learns from record when it carries a UTC time and a zone-less local time
  // (record.local_time); other records are ignored.
  void observe(const WindowsRecord& record);

  // offset_for is the host's UTC offset (local − UTC) when at least one record showed it and all
  // of them agreed; nullopt when no record showed one or they disagreed (e.g. a DST change inside
  // the file). Hosts are compared as short names (WORKSTATION5 = workstation5.theshire.local).
  std::optional<std::chrono::minutes> offset_for(std::string_view computer) const;

  // resolve converts record.time_utc from local to UTC when record.time_is_local and its host's
  // offset is known: time_is_local becomes false and utc_offset_minutes is set. False (record
  // unchanged) otherwise.
  bool resolve(WindowsRecord& record) const;

 private:
  struct Host {
    std::optional<std::chrono::minutes> offset;  // the first offset seen
    bool conflicting = false;                    // a later record showed another one
    std::size_t observations = 0;
  };
  std::map<std::string, Host, std::less<>> hosts_;  // by short host name
};

}  // namespace sim
