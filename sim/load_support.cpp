// load_support.cpp — error reporting, text helpers and RecordSink for the JSON loaders.
#include "sim/load_support.hpp"

#include <algorithm>
#include <system_error>

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
  if (store_.add_windows(record, &why)) {
    set_format("windows-");
    ++report_.loaded;
  } else if (why.starts_with("unmapped")) {
    set_format("windows-");
    ++report_.skipped;
  } else {
    error(number,
          "neither a UDM event (no metadata / udm key) nor a mappable Windows event: " + why);
  }
}

void RecordSink::set_format(std::string_view kind) {
  if (report_.format.empty()) report_.format = std::string(kind) + std::string(suffix_);
}

}  // namespace sim::loading
