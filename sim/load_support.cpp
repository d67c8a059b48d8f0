// load_support.cpp — error reporting, text helpers and RecordSink for the JSON loaders.
#include "sim/load_support.hpp"

#include <algorithm>
#include <map>
#include <system_error>

#include <spdlog/spdlog.h>

#include "sim/windows_values.hpp"

namespace sim::loading {

using nlohmann::json;

void add_error(LoadReport& report, std::size_t record, std::string message) {
  ++report.errors_total;
  if (report.errors.size() < kMaxLoadErrors) {
    report.errors.push_back(LoadError{report.file, record, std::move(message)});
  }
}

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// Counting all brackets first keeps the common case to one vectorised pass.
bool nesting_within(std::string_view text, std::size_t max) {
  const auto brackets = static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return c == '{' || c == '['; }));
  if (brackets <= max) return true;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max) return false;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return true;
}

std::string parse_error_text(std::string_view text) {
  try {
    const json parsed = json::parse(text);
    if (!parsed.is_discarded()) return "invalid JSON";
  } catch (const json::exception& error) {
    return std::string("invalid JSON: ") + error.what();
  }
  return "invalid JSON";
}

std::string_view trim_space(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

const char* type_name(store::Kind kind) {
  switch (kind) {
    case store::Kind::kNull:
      return "null";
    case store::Kind::kBoolean:
      return "boolean";
    case store::Kind::kString:
      return "string";
    case store::Kind::kArray:
      return "array";
    case store::Kind::kObject:
      return "object";
    default:
      return "number";
  }
}

RecordSink::RecordSink(EventStore& store, store::EventTable& table, LoadReport& report,
                       std::string_view suffix)
    : store_(store), table_(table), builder_(table.keys()), report_(report), suffix_(suffix) {}

void RecordSink::record(json record, std::size_t number) {
  if (!record.is_object()) {
    error(number, std::string("not a JSON object but ") + record.type_name());
    return;
  }
  if (!record.contains("metadata") && !record.contains("udm")) {
    windows(record, number);
    return;
  }
  store::Prepared prepared;
  std::string why = store::kKeysFull;
  if (builder_.from_json(record) &&
      table_.prepare(builder_.tape(), table_.own_arena(), prepared, &why)) {
    udm(prepared, number);
  } else {
    udm_error(number, why);
  }
}

void RecordSink::udm(const store::Prepared& event, std::size_t number) {
  set_format("udm-");
  std::string why;
  if (table_.append(event, &why)) {
    ++report_.loaded;
  } else {
    error(number, "UDM event: " + why);
  }
}

void RecordSink::udm_error(std::size_t number, const std::string& why) {
  set_format("udm-");
  error(number, "UDM event: " + why);
}

void RecordSink::windows(const json& record, std::size_t number) {
  std::string why;
  std::optional<WindowsRecord> parsed = parse_windows_record(record, &why);
  if (!parsed) return windows_error(number, why);
  zones_.observe(*parsed);
  if (parsed->time_is_local) {
    local_records_.emplace_back(std::move(*parsed), number);
    return;
  }
  add_windows(*parsed, number);
}

void RecordSink::add_windows(const WindowsRecord& record, std::size_t number) {
  std::string why;
  if (store_.add_windows_record(record, &why)) {
    set_format("windows-");
    ++report_.loaded;
  } else if (why.starts_with("unmapped")) {
    set_format("windows-");
    ++report_.skipped;
  } else {
    windows_error(number, why);
  }
}

void RecordSink::windows_error(std::size_t number, const std::string& why) {
  error(number, "neither a UDM event (no metadata / udm key) nor a mappable Windows event: " + why);
}

void RecordSink::finish() {
  struct Count {
    std::size_t converted = 0;
    std::size_t kept_local = 0;
    int offset_minutes = 0;
  };
  std::map<std::string, Count, std::less<>> by_host;
  for (auto& [record, number] : local_records_) {
    Count& count = by_host[short_hostname(record.computer)];
    if (zones_.resolve(record)) {
      ++count.converted;
      count.offset_minutes = *record.utc_offset_minutes;
    } else {
      ++count.kept_local;
    }
    add_windows(record, number);
  }
  local_records_.clear();
  for (const auto& [host, count] : by_host) {
    if (count.converted > 0)
      spdlog::info(
          "{}: {} event(s) of {} with only a local time converted to UTC (offset {}, "
          "learned from the host's Sysmon UtcTime)",
          report_.file, count.converted, host.empty() ? "(no host)" : host,
          winvalues::format_utc_offset(count.offset_minutes));
    if (count.kept_local > 0)
      spdlog::warn(
          "{}: {} event(s) of {} carry only a zone-less local time and no record of "
          "that host shows its UTC offset: read as UTC, flagged TimeIsLocal",
          report_.file, count.kept_local, host.empty() ? "(no host)" : host);
  }
}

void RecordSink::set_format(std::string_view kind) {
  if (report_.format.empty()) report_.format = std::string(kind) + std::string(suffix_);
}

}  // namespace sim::loading
