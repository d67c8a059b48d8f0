// store_loader.cpp — EventStore::load_file: format detection and whole-file JSON documents (one
// JSON array / object of UDM or Windows events). JSON lines are in jsonl_loader.cpp, EVTX in
// evtx_loader.cpp.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sim/event_store.hpp"
#include "sim/evtx_reader.hpp"
#include "sim/load_support.hpp"
#include "sim/store_impl.hpp"

namespace sim {

using nlohmann::json;

namespace {

using loading::add_error;
using loading::errno_text;
using loading::kMaxNesting;
using loading::kReadChunkBytes;
using loading::kUtf8Bom;
using loading::nesting_within;
using loading::parse_error_text;
using loading::RecordSink;
using loading::trim_space;

constexpr std::size_t kMaxDocumentBytes = 512u << 20;  // a whole-file JSON array or object

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

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
void load_document(EventStore& store, store::EventTable& table, std::string_view text,
                   LoadReport& report) {
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
  RecordSink sink(store, table, report, "json");
  if (!document.is_array()) {
    sink.record(std::move(document), 1);
  } else {
    for (std::size_t i = 0; i < document.size(); ++i) {
      sink.record(std::move(document[i]), i + 1);
    }
  }
  sink.finish();
}

void load_any(EventStore& store, store::EventTable& table, const std::string& path,
              LoadReport& report) {
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
      load_document(store, table, text, report);
      return;
    }
  }
  if (std::fseek(file.get(), 0, SEEK_SET) != 0) {
    add_error(report, 0, "cannot seek: " + errno_text(errno));
    return;
  }
  loading::load_json_lines(store, table, file.get(), report);
}

}  // namespace

LoadReport EventStore::load_file(const std::string& path) {
  LoadReport report;
  report.file = path;
  try {
    load_any(*this, impl_->table, path, report);
  } catch (const std::exception& error) {  // out of memory, or a bug: report it, never crash
    add_error(report, 0, std::string("failed: ") + error.what());
  }
  if (report.loaded > 0) impl_->finalized = false;
  return report;
}

}  // namespace sim
