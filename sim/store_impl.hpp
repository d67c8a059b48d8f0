// store_impl.hpp — internal to the event store: EventStore::Impl, shared by event_store.cpp and
// the loaders (which add JSON lines straight into the compact table).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/event_index.hpp"
#include "sim/event_store.hpp"
#include "sim/event_table.hpp"

namespace sim {

// EntityNoun lists the entity fields read under one noun (principal, target, …), relative to it,
// so that an event without that noun costs one lookup.
struct EntityNoun {
  std::string noun;
  std::vector<store::FieldSpec> hosts;
  std::vector<store::FieldSpec> values;
};

// Impl holds the events as compact tapes with their times, sorted by time (ties in load order)
// once finalize has run, plus the indexes, which hold positions into the table.
struct EventStore::Impl {
  store::EventTable table;
  bool finalized = false;
  std::vector<store::FieldIndex> field_indexes;
  std::vector<EntityNoun> entity_nouns;
  store::Postings entities;  // lower-case entity value → positions

  // time_bounds returns the positions [first, last) of the events inside range.
  std::pair<std::uint32_t, std::uint32_t> time_bounds(const TimeRange& range) const;
};

}  // namespace sim
