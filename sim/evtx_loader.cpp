// evtx_loader.cpp — native .evtx files through libevtx: each record's XML → WindowsRecord →
// the Windows mapping → the store.
// libevtx/features.h announces the libbfio entry points, but Debian's libevtx-dev does not pull in
// libbfio-dev (libbfio.h is absent); we use none of them, so switch the announcement off.
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sim/evtx_reader.hpp"

namespace sim {
namespace {

// FILETIME counts 100 ns ticks since 1601-01-01; this many of them fall before 1970-01-01.
constexpr std::uint64_t kFiletimeUnixEpoch = 116'444'736'000'000'000ULL;

// take_error renders a libevtx error and frees it.
std::string take_error(libevtx_error_t*& error, const char* what) {
  std::string message = what;
  if (error != nullptr) {
    char buffer[512] = {};
    // The backtrace's first line is the root cause ("…: unable to read file header."); the
    // outer lines only repeat that the open failed.
    if (libevtx_error_backtrace_sprint(error, buffer, sizeof buffer) > 0) {
      std::string_view cause(buffer);
      cause = cause.substr(0, cause.find('\n'));
      if (cause.ends_with('.')) cause.remove_suffix(1);
      message += ": ";
      message += cause;
    }
    libevtx_error_free(&error);
  }
  return message;
}

void add_error(LoadReport& report, std::size_t record, std::string message) {
  ++report.errors_total;
  if (report.errors.size() < kMaxLoadErrors) {
    report.errors.push_back(LoadError{report.file, record, std::move(message)});
  }
}

struct FileDeleter {
  void operator()(libevtx_file_t* file) const {
    libevtx_file_close(file, nullptr);
    libevtx_file_free(&file, nullptr);
  }
};

struct RecordDeleter {
  void operator()(libevtx_record_t* record) const { libevtx_record_free(&record, nullptr); }
};

// record_xml returns the XML libevtx renders for record, or "" with *why.
std::string record_xml(libevtx_record_t* record, std::string* why) {
  libevtx_error_t* error = nullptr;
  std::size_t size = 0;
  if (libevtx_record_get_utf8_xml_string_size(record, &size, &error) != 1 || size == 0) {
    *why = take_error(error, "cannot render the record as XML");
    return {};
  }
  std::string xml(size, '\0');
  if (libevtx_record_get_utf8_xml_string(record, reinterpret_cast<std::uint8_t*>(xml.data()), size,
                                         &error) != 1) {
    *why = take_error(error, "cannot render the record as XML");
    return {};
  }
  xml.resize(size - 1);  // the size counts the terminating NUL
  return xml;
}

// load_record adds one record; errors go to report under number (1-based).
void load_record(EventStore& store, libevtx_record_t* record, std::size_t number,
                 LoadReport& report) {
  std::string why;
  const std::string xml = record_xml(record, &why);
  if (xml.empty()) {
    add_error(report, number, why);
    return;
  }
  std::optional<WindowsRecord> parsed = windows_record_from_evtx_xml(xml, &why);
  if (!parsed) {
    add_error(report, number, "unreadable event XML: " + why);
    return;
  }
  if (parsed->time_utc.empty()) {  // no TimeCreated in the XML: use the record's written time
    std::uint64_t filetime = 0;
    if (libevtx_record_get_written_time(record, &filetime, nullptr) == 1 &&
        filetime >= kFiletimeUnixEpoch) {
      const auto ms = static_cast<std::int64_t>((filetime - kFiletimeUnixEpoch) / 10'000);
      parsed->time_utc = format_time(TimePoint{std::chrono::milliseconds{ms}});
    }
  }
  if (store.add_windows_record(*parsed, &why)) {
    ++report.loaded;
  } else if (why.starts_with("unmapped")) {
    ++report.skipped;
  } else {
    add_error(report, number, why);
  }
}

}  // namespace

void load_evtx(EventStore& store, const std::string& path, LoadReport& report) {
  libevtx_error_t* error = nullptr;
  libevtx_file_t* raw = nullptr;
  if (libevtx_file_initialize(&raw, &error) != 1) {
    add_error(report, 0, take_error(error, "libevtx cannot start"));
    return;
  }
  if (libevtx_file_open(raw, path.c_str(), libevtx_get_access_flags_read(), &error) != 1) {
    libevtx_file_free(&raw, nullptr);
    add_error(report, 0, take_error(error, "not a readable EVTX file"));
    return;
  }
  std::unique_ptr<libevtx_file_t, FileDeleter> file(raw);
  report.format = "evtx";
  int count = 0;
  if (libevtx_file_get_number_of_records(file.get(), &count, &error) != 1) {
    add_error(report, 0, take_error(error, "cannot count the records"));
    return;
  }
  for (int index = 0; index < count; ++index) {
    const auto number = static_cast<std::size_t>(index) + 1;
    libevtx_record_t* record = nullptr;
    if (libevtx_file_get_record_by_index(file.get(), index, &record, &error) != 1) {
      add_error(report, number, take_error(error, "corrupt record"));
      continue;
    }
    std::unique_ptr<libevtx_record_t, RecordDeleter> owned(record);
    load_record(store, record, number, report);
  }
  if (count == 0 && libevtx_file_is_corrupted(file.get(), nullptr) == 1) {
    add_error(report, 0, "the EVTX file is corrupted and no record could be read");
  }
}

}  // namespace sim
