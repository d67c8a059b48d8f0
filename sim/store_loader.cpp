// store_loader.cpp — EventStore::load_file: format detection and JSON input (JSON lines of UDM or
// Windows events, or one JSON array / object of them). EVTX is in evtx_loader.cpp.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "sim/event_store.hpp"
#include "sim/evtx_reader.hpp"
#include "sim/windows_local_time.hpp"
#include "sim/windows_mapping.hpp"
#include "sim/windows_values.hpp"

namespace sim {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxLineBytes = 16u << 20;       // one JSON line (one event)
constexpr std::size_t kMaxDocumentBytes = 512u << 20;  // a whole-file JSON array or object
constexpr std::size_t kMaxNesting = 128;               // brackets deep; UDM needs about 8
constexpr std::size_t kReadChunkBytes = 1u << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

void add_error(LoadReport& report, std::size_t record, std::string message) {
  ++report.errors_total;
  if (report.errors.size() < kMaxLoadErrors) {
    report.errors.push_back(LoadError{report.file, record, std::move(message)});
  }
}

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// nesting_within reports whether text nests brackets at most max deep, so that nothing recursive
// (dump, the destructor of older nlohmann versions) meets a pathological document. Counting all
// brackets first keeps the common case to one vectorised pass.
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

// parse_error_text re-parses text that failed, with exceptions, for nlohmann's message (which
// names the byte and what was expected). Only bad records pay for it.
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

// Loader adds records of one JSON file to the store and keeps its report. Windows records whose
// only time is a zone-less local time are held back until finish(), when the UTC offsets their
// hosts' other records revealed are known (LocalTimeZones; docs/windows-mapping.md, "Time").
class Loader {
 public:
  Loader(EventStore& store, LoadReport& report, std::string_view suffix)
      : store_(store), report_(report), suffix_(suffix) {}

  // finish adds the held-back local-time records, converted to UTC where their host's offset is
  // known and read as UTC (flagged TimeIsLocal) otherwise; call once, after the last record.
  void finish() {
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

  // add_record adds one record: a UDM event (it has metadata or udm) or a Windows event.
  void add_record(json record, std::size_t number) {
    if (!record.is_object()) {
      add_error(report_, number, std::string("not a JSON object but ") + record.type_name());
      return;
    }
    std::string why;
    if (record.contains("metadata") || record.contains("udm")) {
      set_format("udm-");
      if (store_.add_udm(std::move(record), &why)) {
        ++report_.loaded;
      } else {
        add_error(report_, number, "UDM event: " + why);
      }
      return;
    }
    std::optional<WindowsRecord> parsed = parse_windows_record(record, &why);
    if (!parsed) return add_windows_error(number, why);
    zones_.observe(*parsed);
    if (parsed->time_is_local) {
      local_records_.emplace_back(std::move(*parsed), number);
      return;
    }
    add_windows(*parsed, number);
  }

  // add_line parses and adds one line of a JSON-lines file (number is 1-based).
  void add_line(std::string_view line, std::size_t number) {
    if (number == 1 && line.starts_with(kUtf8Bom)) line.remove_prefix(kUtf8Bom.size());
    line = trim_space(line);
    if (line.empty()) return;
    if (!nesting_within(line, kMaxNesting)) {
      add_error(report_, number, "JSON nested deeper than " + std::to_string(kMaxNesting));
      return;
    }
    json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      add_error(report_, number, parse_error_text(line));
      return;
    }
    add_record(std::move(record), number);
  }

 private:
  void add_windows(const WindowsRecord& record, std::size_t number) {
    std::string why;
    if (store_.add_windows_record(record, &why)) {
      set_format("windows-");
      ++report_.loaded;
    } else if (why.starts_with("unmapped")) {
      set_format("windows-");
      ++report_.skipped;
    } else {
      add_windows_error(number, why);
    }
  }

  void add_windows_error(std::size_t number, const std::string& why) {
    add_error(report_, number,
              "neither a UDM event (no metadata / udm key) nor a mappable Windows event: " + why);
  }

  void set_format(std::string_view kind) {
    if (report_.format.empty()) report_.format = std::string(kind) + std::string(suffix_);
  }

  EventStore& store_;
  LoadReport& report_;
  std::string_view suffix_;
  LocalTimeZones zones_;
  std::vector<std::pair<WindowsRecord, std::size_t>> local_records_;  // with their record numbers
};

// load_json_lines streams file line by line; a line over kMaxLineBytes is reported, not kept.
void load_json_lines(EventStore& store, std::FILE* file, LoadReport& report) {
  Loader loader(store, report, "jsonl");
  std::vector<char> chunk(kReadChunkBytes);
  std::string pending;  // the start of a line that crosses a chunk boundary
  bool overlong = false;
  std::size_t number = 0;
  auto finish = [&](std::string_view line) {
    ++number;
    if (overlong) {
      add_error(report, number, "line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    } else {
      loader.add_line(line, number);
    }
    overlong = false;
  };
  std::size_t read = 0;
  while ((read = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
    std::size_t pos = 0;
    while (pos < read) {
      const char* start = chunk.data() + pos;
      const auto* newline = static_cast<const char*>(std::memchr(start, '\n', read - pos));
      const std::size_t length = newline ? static_cast<std::size_t>(newline - start) : read - pos;
      if (newline != nullptr && pending.empty() && !overlong) {
        finish(std::string_view(start, length));  // the common case: no copy
      } else {
        if (!overlong && pending.size() + length > kMaxLineBytes) {
          overlong = true;
          pending.clear();
          pending.shrink_to_fit();
        }
        if (!overlong) pending.append(start, length);
        if (newline != nullptr) {
          finish(pending);
          pending.clear();
        }
      }
      pos += length + (newline ? 1 : 0);
    }
  }
  if (std::ferror(file)) {
    add_error(report, number + 1, "read error: " + errno_text(errno));
  } else if (!pending.empty() || overlong) {
    finish(pending);
  }
  loader.finish();
}

// read_all reads the rest of file into text; false when it is larger than limit or unreadable.
bool read_all(std::FILE* file, std::size_t limit, std::string& text, std::string& why) {
  std::vector<char> chunk(kReadChunkBytes);
  std::size_t read = 0;
  while ((read = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
    if (text.size() + read > limit) {
      why = "a JSON document larger than " + std::to_string(limit) + " bytes";
      return false;
    }
    text.append(chunk.data(), read);
  }
  if (std::ferror(file)) {
    why = "read error: " + errno_text(errno);
    return false;
  }
  return true;
}

// load_document adds the records of a whole-file JSON array (or one JSON object).
void load_document(EventStore& store, std::string_view text, LoadReport& report) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (!nesting_within(text, kMaxNesting + 1)) {
    add_error(report, 0, "JSON nested deeper than " + std::to_string(kMaxNesting));
    return;
  }
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    add_error(report, 0, parse_error_text(text));
    return;
  }
  Loader loader(store, report, "json");
  if (!document.is_array()) {
    loader.add_record(std::move(document), 1);
  } else {
    for (std::size_t i = 0; i < document.size(); ++i) {
      loader.add_record(std::move(document[i]), i + 1);
    }
  }
  loader.finish();
}

void load_any(EventStore& store, const std::string& path, LoadReport& report) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    add_error(report, 0, "cannot open: it is a directory");
    return;
  }
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    add_error(report, 0, "cannot open: " + errno_text(errno));
    return;
  }
  // Sniff the start of the file: the EVTX signature, or the first non-blank JSON character.
  std::string head(64 * 1024, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), file.get()));
  if (std::ferror(file.get())) {
    add_error(report, 0, "cannot read: " + errno_text(errno));
    return;
  }
  if (head.starts_with(kEvtxSignature)) {
    file.reset();
    load_evtx(store, path, report);
    return;
  }
  if (path.ends_with(".evtx") || path.ends_with(".EVTX")) {
    add_error(report, 0,
              "refused: named .evtx but does not start with the EVTX signature "
              "\"ElfFile\"");
    return;
  }
  std::string_view view = head;
  if (view.starts_with(kUtf8Bom)) view.remove_prefix(kUtf8Bom.size());
  const std::size_t first = view.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    add_error(report, 0,
              head.size() < 64 * 1024 ? "refused: the file is empty"
                                      : "refused: the file starts with 64 KiB of "
                                        "blank space");
    return;
  }
  const char opening = view[first];
  if (opening != '{' && opening != '[') {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(opening));
    add_error(report, 0,
              std::string("refused: not JSON lines, a JSON array or an EVTX file (first "
                          "non-blank byte is ") +
                  byte + ")");
    return;
  }
  // A JSON array is one document. A file whose first line is not a complete JSON value may be
  // one pretty-printed object; if it does not parse as one either, it is read as JSON lines so
  // that one bad first line costs one record, not the file.
  bool maybe_document = opening == '[';
  if (!maybe_document) {
    const std::size_t newline = view.find('\n', first);
    const std::string_view first_line =
        view.substr(first, newline == std::string_view::npos ? view.npos : newline - first);
    maybe_document = newline != std::string_view::npos && !json::accept(trim_space(first_line));
  }
  if (maybe_document) {
    std::string text = std::move(head);
    std::string why;
    const bool complete = read_all(file.get(), kMaxDocumentBytes, text, why);
    if (!complete && opening == '[') {
      add_error(report, 0, why);
      return;
    }
    if (opening == '[' || (complete && nesting_within(text, kMaxNesting) && json::accept(text))) {
      load_document(store, text, report);
      return;
    }
  }
  if (std::fseek(file.get(), 0, SEEK_SET) != 0) {
    add_error(report, 0, "cannot seek: " + errno_text(errno));
    return;
  }
  load_json_lines(store, file.get(), report);
}

}  // namespace

LoadReport EventStore::load_file(const std::string& path) {
  LoadReport report;
  report.file = path;
  try {
    load_any(*this, path, report);
  } catch (const std::exception& error) {  // out of memory, or a bug: report it, never crash
    add_error(report, 0, std::string("failed: ") + error.what());
  }
  return report;
}

}  // namespace sim
