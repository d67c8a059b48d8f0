// event_table.cpp — EventTable: storing compact events, reading their times, sorting.
#include "sim/event_table.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace sim::store {

using Node = udm::EventView::Node;
constexpr Node kNone = udm::EventView::kNone;

namespace {

// Positions are 32-bit in the indexes.
constexpr std::size_t kMaxEvents = 0xFFFF'FFF0;

bool is_integer(Kind kind) {
  return kind == Kind::kInteger || kind == Kind::kUnsigned;
}

// as_int64 reads an integer node as nlohmann's get<std::int64_t> would.
std::int64_t as_int64(const udm::EventView& event, Node node) {
  return event.kind(node) == Kind::kInteger
             ? event.integer(node)
             : static_cast<std::int64_t>(event.unsigned_integer(node));
}

}  // namespace

std::optional<TimePoint> event_time(const udm::EventView& event, Node root, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<TimePoint> {
    if (why != nullptr) *why = std::move(message);
    return std::nullopt;
  };
  const Node metadata = event.find(root, "metadata");
  if (metadata == kNone || event.kind(metadata) != Kind::kObject) {
    return fail("no metadata object");
  }
  Node stamp = event.find(metadata, "event_timestamp");
  if (stamp == kNone) stamp = event.find(metadata, "eventTimestamp");
  if (stamp == kNone) return fail("no metadata.event_timestamp");
  const Kind kind = event.kind(stamp);
  if (kind == Kind::kString) {
    const std::string_view text = event.string(stamp);
    if (auto t = parse_time(text)) return t;
    return fail("metadata.event_timestamp is not an RFC 3339 time: " +
                std::string(text.substr(0, 64)));
  }
  if (kind == Kind::kObject) {
    const Node seconds = event.find(stamp, "seconds");
    const Node nanos = event.find(stamp, "nanos");
    std::int64_t s = 0;
    if (seconds != kNone && is_integer(event.kind(seconds))) {
      s = as_int64(event, seconds);
    } else if (seconds != kNone && event.kind(seconds) == Kind::kString) {
      const std::string_view text = event.string(seconds);
      if (std::from_chars(text.data(), text.data() + text.size(), s).ec != std::errc{}) {
        return fail("metadata.event_timestamp.seconds is not a number");
      }
    } else {
      return fail("metadata.event_timestamp has no seconds");
    }
    const std::int64_t n =
        nanos != kNone && is_integer(event.kind(nanos)) ? as_int64(event, nanos) : 0;
    if (s < -62'135'596'800 || s > 253'402'300'799) return fail("event_timestamp out of range");
    return TimePoint{std::chrono::milliseconds{s * 1000 + n / 1'000'000}};
  }
  return fail("metadata.event_timestamp is neither text nor {seconds, nanos}");
}

bool EventTable::prepare(const Tape& tape, Arena& arena, Prepared& out, std::string* why) const {
  const CompactView event(tape, keys_);
  Node root = event.root();
  if (tape.tokens.empty() || event.kind(root) != Kind::kObject) {
    if (why != nullptr) *why = "not a JSON object";
    return false;
  }
  if (event.find(root, "metadata") == kNone) {
    const Node udm = event.find(root, "udm");
    if (udm != kNone && event.kind(udm) == Kind::kObject) root = udm;
  }
  std::optional<TimePoint> time = event_time(event, root, why);
  if (!time) return false;
  std::uint8_t* block = arena.allocate(stored_size(tape, root));
  store_tape(tape, root, block);
  out.block = block;
  out.time = *time;
  return true;
}

bool EventTable::append(const Prepared& event, std::string* why) {
  if (events_.size() >= kMaxEvents) {
    if (why != nullptr) *why = "the store is full (" + std::to_string(kMaxEvents) + " events)";
    return false;
  }
  events_.push_back(event.block);
  times_.push_back(event.time);
  return true;
}

bool EventTable::add(const Tape& tape, std::string* why) {
  Prepared prepared;
  return prepare(tape, arena_, prepared, why) && append(prepared, why);
}

nlohmann::json EventTable::to_json(std::uint32_t position) const {
  const CompactView event = view(position);
  return store::to_json(event, event.root());
}

void EventTable::sort() {
  std::vector<std::uint32_t> order(events_.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return times_[a] < times_[b]; });
  std::vector<const std::uint8_t*> events;
  std::vector<TimePoint> times;
  events.reserve(order.size());
  times.reserve(order.size());
  for (std::uint32_t from : order) {
    events.push_back(events_[from]);
    times.push_back(times_[from]);
  }
  events_ = std::move(events);
  times_ = std::move(times);
}

}  // namespace sim::store
