// jsonl_loader.cpp — JSON lines into the event store, parsed on several threads.
//
// The reading thread cuts the file into batches of whole lines; each batch is parsed by a task
// (std::async) with nlohmann's SAX parser straight into compact events in the task's own arena;
// the reading thread then adds the batches' results in order, so the store, the errors and
// their line numbers are exactly what a line-by-line load gives. Windows events are turned into
// JSON by the task and mapped on the reading thread (the mapping reads nlohmann::json).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "sim/load_support.hpp"

namespace sim::loading {

using nlohmann::json;

namespace {

constexpr std::size_t kBatchBytes = 8u << 20;  // text per task
constexpr unsigned kMaxTasks = 4;              // batches parsed at once, at most

// Line is one line of a batch: its bytes in Batch::text, or overlong (not kept).
struct Line {
  std::size_t number = 0;
  std::size_t offset = 0;
  std::size_t size = 0;
  bool overlong = false;
};

struct Batch {
  std::string text;
  std::vector<Line> lines;
};

// Outcome is what a task made of one line.
struct Outcome {
  enum class Kind : std::uint8_t { kBlank, kError, kUdm, kUdmError, kOther };
  Kind kind = Kind::kBlank;
  std::size_t number = 0;
  std::string message;    // kError, kUdmError
  store::Prepared event;  // kUdm
  json record;            // kOther: a Windows event, maybe
};

struct Parsed {
  std::vector<Outcome> outcomes;
  std::unique_ptr<store::Arena> arena;
};

Outcome parse_line(std::string_view line, std::size_t number, store::TapeBuilder& builder,
                   const store::EventTable& table, store::KeyTable& keys, store::Arena& arena) {
  Outcome out;
  out.number = number;
  if (number == 1 && line.starts_with(kUtf8Bom)) line.remove_prefix(kUtf8Bom.size());
  line = trim_space(line);
  if (line.empty()) return out;
  out.kind = Outcome::Kind::kError;
  if (!nesting_within(line, kMaxNesting)) {
    out.message = "JSON nested deeper than " + std::to_string(kMaxNesting);
    return out;
  }
  std::string why;
  if (!builder.parse(line, &why)) {
    out.message = why.empty() ? parse_error_text(line) : why;
    return out;
  }
  const store::CompactView record(builder.tape(), keys);
  const auto root = record.root();
  if (record.kind(root) != store::Kind::kObject) {
    out.message = std::string("not a JSON object but ") + type_name(record.kind(root));
    return out;
  }
  if (record.find(root, "metadata") == udm::EventView::kNone &&
      record.find(root, "udm") == udm::EventView::kNone) {
    out.kind = Outcome::Kind::kOther;
    out.record = store::to_json(record, root);
    return out;
  }
  if (table.prepare(builder.tape(), arena, out.event, &why)) {
    out.kind = Outcome::Kind::kUdm;
  } else {
    out.kind = Outcome::Kind::kUdmError;
    out.message = std::move(why);
  }
  return out;
}

Parsed parse_batch(const Batch& batch, const store::EventTable& table, store::KeyTable& keys) {
  Parsed parsed;
  parsed.arena = std::make_unique<store::Arena>();
  parsed.outcomes.reserve(batch.lines.size());
  store::TapeBuilder builder(keys);
  for (const Line& line : batch.lines) {
    if (line.overlong) {
      Outcome& out = parsed.outcomes.emplace_back();
      out.kind = Outcome::Kind::kError;
      out.number = line.number;
      out.message = "line longer than " + std::to_string(kMaxLineBytes) + " bytes";
      continue;
    }
    parsed.outcomes.push_back(
        parse_line(std::string_view(batch.text).substr(line.offset, line.size), line.number,
                   builder, table, keys, *parsed.arena));
  }
  return parsed;
}

void deliver(Parsed parsed, RecordSink& sink, store::EventTable& table) {
  for (Outcome& out : parsed.outcomes) {
    switch (out.kind) {
      case Outcome::Kind::kBlank:
        break;
      case Outcome::Kind::kError:
        sink.error(out.number, std::move(out.message));
        break;
      case Outcome::Kind::kUdm:
        sink.udm(out.event, out.number);
        break;
      case Outcome::Kind::kUdmError:
        sink.udm_error(out.number, out.message);
        break;
      case Outcome::Kind::kOther:
        sink.windows(out.record, out.number);
        break;
    }
  }
  table.adopt(std::move(parsed.arena));
}

}  // namespace

void load_json_lines(EventStore& store, store::EventTable& table, std::FILE* file,
                     LoadReport& report) {
  RecordSink sink(store, table, report, "jsonl");
  const unsigned tasks = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxTasks);
  std::deque<std::future<Parsed>> running;
  auto take_oldest = [&] {
    deliver(running.front().get(), sink, table);
    running.pop_front();
  };
  Batch batch;
  auto dispatch = [&] {
    if (batch.lines.empty()) return;
    // Deferred (run by take_oldest on this thread) when no thread can be started.
    running.push_back(
        std::async(std::launch::async | std::launch::deferred,
                   [&table, b = std::move(batch)] { return parse_batch(b, table, table.keys()); }));
    batch = Batch{};
    while (running.size() > tasks) take_oldest();
  };

  std::vector<char> chunk(kReadChunkBytes);
  std::string pending;  // the start of a line that crosses a chunk boundary
  bool overlong = false;
  std::size_t number = 0;
  auto finish = [&](std::string_view line) {
    Line& entry = batch.lines.emplace_back();
    entry.number = ++number;
    entry.overlong = overlong;
    if (!overlong) {
      entry.offset = batch.text.size();
      entry.size = line.size();
      batch.text.append(line);
    }
    overlong = false;
    if (batch.text.size() >= kBatchBytes) dispatch();
  };
  std::size_t read = 0;
  while ((read = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
    std::size_t pos = 0;
    while (pos < read) {
      const char* start = chunk.data() + pos;
      const auto* newline = static_cast<const char*>(std::memchr(start, '\n', read - pos));
      const std::size_t length = newline ? static_cast<std::size_t>(newline - start) : read - pos;
      if (newline != nullptr && pending.empty() && !overlong) {
        finish(std::string_view(start, length));
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
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  if (!failed && (!pending.empty() || overlong)) finish(pending);
  dispatch();
  while (!running.empty()) take_oldest();
  sink.finish();
  if (failed) add_error(report, number + 1, "read error: " + errno_text(error));
}

}  // namespace sim::loading
