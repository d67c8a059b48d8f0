// event_store.hpp — the local SIEM's event store: UDM events loaded from JSON lines (UDM or
// Windows events) and .evtx files, indexed by event type, hostname and time, searched with udm/.
// Events are held compactly (sim/compact_event.hpp); results are materialised as JSON.
//
// Thread-safety: loading (add/load_file) must finish before searching starts; after that, search
// and the read accessors are safe from many threads at once (the store is immutable).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "udm/query.hpp"

namespace sim {

struct WindowsRecord;  // sim/windows_mapping.hpp

// TimePoint is UTC with millisecond precision (UDM event timestamps).
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// LoadError names the record that could not be loaded (1-based line for JSON lines, record
// index for EVTX; 0 when the whole file failed) and why.
struct LoadError {
  std::string file;
  std::size_t record = 0;
  std::string message;
};

// LoadReport says what one load_file call did. A file in no known format or that cannot be
// opened has loaded == 0 and one LoadError with record 0; a bad record is skipped and reported
// (at most kMaxLoadErrors kept; errors_total counts them all) while the rest of the file loads.
struct LoadReport {
  std::string file;
  std::string format;       // "udm-jsonl", "windows-jsonl", "udm-json" / "windows-json" (a JSON
                            // array), "evtx", or "" when refused
  std::size_t loaded = 0;   // events added to the store
  std::size_t skipped = 0;  // Windows events the mapping table does not cover (not errors)
  std::size_t errors_total = 0;
  std::vector<LoadError> errors;
  bool ok() const { return loaded > 0 || (errors_total == 0 && !format.empty()); }
};

inline constexpr std::size_t kMaxLoadErrors = 20;

// kEventNamePrefix starts every event_name(); the rest is a hex id.
inline constexpr std::string_view kEventNamePrefix =
    "projects/lmhunt-sim/locations/us/instances/local/events/";

// TimeRange is [start, end] inclusive; unset ends are open.
struct TimeRange {
  std::optional<TimePoint> start;
  std::optional<TimePoint> end;
};

// SearchResult lists matching events, oldest first (Chronicle returns them in time order), at most
// max_events of them; more_data_available when more matched.
struct SearchResult {
  std::vector<const nlohmann::json*> events;  // UDM event objects owned by storage
  // storage owns the JSON of the events returned (the store keeps events in a compact form and
  // builds JSON only for results); copies of a SearchResult share it, so events stay valid.
  std::shared_ptr<const std::vector<nlohmann::json>> storage;
  bool more_data_available = false;
  std::size_t scanned = 0;  // candidates evaluated (for benchmarks and tests of the indexes)
};

class EventStore {
 public:
  EventStore();
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // load_file detects the format (by content, .evtx by magic) and adds every event it can read.
  LoadReport load_file(const std::string& path);

  // add_udm adds one UDM event (a bare event, {"udm": …} or {"name", "udm"}); false with *why
  // when it has no parseable metadata.event_timestamp.
  bool add_udm(nlohmann::json event, std::string* why = nullptr);

  // add_windows maps a Windows event record (flat or nested JSON object) and adds it. Returns
  // false with *why when the record is not a Windows event or its time cannot be read; a record
  // the mapping table does not cover returns false with *why starting "unmapped".
  bool add_windows(const nlohmann::json& record, std::string* why = nullptr);

  // add_windows_record maps an already parsed record (the EVTX reader builds these) and adds it;
  // false with *why as for add_windows.
  bool add_windows_record(const WindowsRecord& record, std::string* why = nullptr);

  // finalize sorts by time and builds the indexes; call once after loading, before searching.
  void finalize();

  // search returns events matching query within range, oldest first, at most max_events.
  SearchResult search(const udm::Query& query, const TimeRange& range,
                      std::size_t max_events) const;

  std::size_t size() const;
  std::optional<TimePoint> earliest() const;
  std::optional<TimePoint> latest() const;

  // events_for_entity returns events whose hostname, IP, user or hash fields (principal, target,
  // src, observer) equal value (case-insensitively), in range, at most max_events; used by
  // lookup_entity.
  SearchResult events_for_entity(const std::string& value, const TimeRange& range,
                                 std::size_t max_events) const;

  // The name Chronicle gives an event in search results: "projects/lmhunt-sim/.../events/<id>".
  std::string event_name(const nlohmann::json* event) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// parse_time reads RFC 3339 / ISO 8601 (with Z, an offset, or naive = UTC; fractional seconds
// optional) into a TimePoint; nullopt when it is not one.
std::optional<TimePoint> parse_time(std::string_view text);

// format_time prints RFC 3339 UTC with milliseconds and a Z suffix.
std::string format_time(TimePoint t);

}  // namespace sim
