// event_table.hpp — internal to the event store: the stored events themselves, as compact tapes
// (sim/compact_event.hpp) in an arena, with their times. EventStore::Impl owns one; the JSON
// loader adds parsed lines to it directly, without building an nlohmann::json tree.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/compact_event.hpp"
#include "sim/event_store.hpp"

namespace sim::store {

// kKeysFull is the reason given when an event brings more distinct keys than KeyTable holds.
inline constexpr const char* kKeysFull = "more distinct JSON keys than the store can hold";

// Prepared is one event ready to be appended: its stored block and its time.
struct Prepared {
  const std::uint8_t* block = nullptr;
  TimePoint time;
};

class EventTable {
 public:
  // add stores the UDM event in tape: a bare event, or the object under "udm" when the root has
  // no "metadata" (a search-result wrapper). False with *why when it is not an object, has no
  // readable metadata.event_timestamp, or the store is full.
  bool add(const Tape& tape, std::string* why);

  // prepare does add's work up to the append, writing the block into arena; safe on several
  // threads at once, each with its own arena. append (one thread) then adds it in order, false
  // with *why when the store is full; adopt takes ownership of an arena whose blocks were appended.
  bool prepare(const Tape& tape, Arena& arena, Prepared& out, std::string* why) const;
  bool append(const Prepared& event, std::string* why);
  void adopt(std::unique_ptr<Arena> arena) { arenas_.push_back(std::move(arena)); }

  CompactView view(std::uint32_t position) const { return CompactView(events_[position], keys_); }
  // prefetch asks the CPU to start loading an event that view will read soon.
  void prefetch(std::uint32_t position) const {
    __builtin_prefetch(events_[position]);
    __builtin_prefetch(events_[position] + 64);
  }
  nlohmann::json to_json(std::uint32_t position) const;
  std::size_t size() const { return events_.size(); }

  // sort orders events by time, ties in the order they were added.
  void sort();
  const std::vector<TimePoint>& times() const { return times_; }

  KeyTable& keys() { return keys_; }
  // own_arena is the arena of events prepared on the loading thread itself.
  Arena& own_arena() { return arena_; }

 private:
  KeyTable keys_;
  Arena arena_;
  std::vector<std::unique_ptr<Arena>> arenas_;
  std::vector<const std::uint8_t*> events_;
  std::vector<TimePoint> times_;
};

// event_time reads metadata.event_timestamp of a UDM event (RFC 3339 text or {seconds, nanos}).
std::optional<TimePoint> event_time(const udm::EventView& event, udm::EventView::Node root,
                                    std::string* why);

}  // namespace sim::store
