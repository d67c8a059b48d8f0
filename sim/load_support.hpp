// load_support.hpp — internal to the event store's JSON loaders (store_loader.cpp for format
// detection and whole-file documents, jsonl_loader.cpp for JSON lines): limits, error reporting
// and RecordSink, which adds what the parsers made of each record to the store, in record order.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/compact_event.hpp"
#include "sim/event_store.hpp"
#include "sim/event_table.hpp"
#include "sim/windows_local_time.hpp"
#include "sim/windows_mapping.hpp"

namespace sim::loading {

inline constexpr std::size_t kMaxLineBytes = 16u << 20;  // one JSON line (one event)
inline constexpr std::size_t kMaxNesting = 128;          // brackets deep; UDM needs about 8
inline constexpr std::size_t kReadChunkBytes = 1u << 20;
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

void add_error(LoadReport& report, std::size_t record, std::string message);
std::string errno_text(int error);

// nesting_within reports whether text nests brackets at most max deep, so that nothing recursive
// (dump, the destructor of older nlohmann versions) meets a pathological document.
bool nesting_within(std::string_view text, std::size_t max);

// parse_error_text re-parses text that failed, with exceptions, for nlohmann's message (which
// names the byte and what was expected). Only bad records pay for it.
std::string parse_error_text(std::string_view text);

std::string_view trim_space(std::string_view text);

// type_name is nlohmann::json::type_name() for a tape's root kind.
const char* type_name(store::Kind kind);

// RecordSink adds records of one JSON file to the store and keeps its report (format, loaded,
// skipped, errors). Calls must come in record order, from one thread. Windows records whose only
// time is a zone-less local time are held back until finish(), when the UTC offsets their hosts'
// other records revealed are known (LocalTimeZones; docs/windows-mapping.md, "Time").
class RecordSink {
 public:
  RecordSink(EventStore& store, store::EventTable& table, LoadReport& report,
             std::string_view suffix);

  // record adds one parsed record: a UDM event (it has metadata or udm) or a Windows event.
  void record(nlohmann::json record, std::size_t number);
  // udm adds a UDM event a parser already prepared (udm_error: one it could not).
  void udm(const store::Prepared& event, std::size_t number);
  void udm_error(std::size_t number, const std::string& why);
  // windows maps a record that is not UDM as a Windows event.
  void windows(const nlohmann::json& record, std::size_t number);
  void error(std::size_t number, std::string message) {
    add_error(report_, number, std::move(message));
  }
  // finish adds the held-back local-time records, converted to UTC where their host's offset is
  // known and read as UTC (flagged TimeIsLocal) otherwise; call once, after the last record.
  void finish();

 private:
  void set_format(std::string_view kind);
  void add_windows(const WindowsRecord& record, std::size_t number);
  void windows_error(std::size_t number, const std::string& why);

  EventStore& store_;
  store::EventTable& table_;
  store::TapeBuilder builder_;
  LoadReport& report_;
  std::string_view suffix_;
  LocalTimeZones zones_;
  std::vector<std::pair<WindowsRecord, std::size_t>> local_records_;  // with their record numbers
};

// load_json_lines adds every line of file (read from its current position) to the store. Lines
// are parsed on several threads; records are added, and errors reported, in line order. A line
// over kMaxLineBytes is reported, not kept.
void load_json_lines(EventStore& store, store::EventTable& table, std::FILE* file,
                     LoadReport& report);

}  // namespace sim::loading
