// event_store.cpp — EventStore: time-sorted UDM events, indexes, search and entity lookup.
// Loading files is in store_loader.cpp (JSON) and evtx_loader.cpp (EVTX).
#include "sim/event_store.hpp"

#include <algorithm>
#include <cstdio>
#include <future>
#include <memory>
#include <utility>

#include "sim/store_impl.hpp"
#include "sim/windows_mapping.hpp"

namespace sim {

using nlohmann::json;

namespace {

// The fields with an equality index. An equality in a query on one of these (as
// udm::required_equalities reports it) narrows the candidates to that index's posting list.
struct IndexedField {
  const char* path;
  bool hostname;
};
constexpr IndexedField kIndexedFields[] = {
    {"metadata.event_type", false},   {"metadata.product_event_type", false},
    {"metadata.log_type", false},     {"principal.hostname", true},
    {"target.hostname", true},        {"src.hostname", true},
    {"principal.ip", false},          {"target.ip", false},
    {"principal.user.userid", false}, {"target.user.userid", false},
};

// The fields events_for_entity looks values up in (lookup_entity: hosts, IPs, users, hashes).
constexpr const char* kEntityNouns[] = {"principal", "target", "src", "observer", "intermediary"};
constexpr const char* kEntityHostFields[] = {"hostname", "asset.hostname"};
constexpr const char* kEntityValueFields[] = {
    "ip",
    "asset.ip",
    "user.userid",
    "user.email_addresses",
    "user.windows_sid",
    "file.md5",
    "file.sha1",
    "file.sha256",
    "process.file.md5",
    "process.file.sha1",
    "process.file.sha256",
    "process.parent_process.file.md5",
    "process.parent_process.file.sha1",
    "process.parent_process.file.sha256",
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

EventStore::EventStore() : impl_(std::make_unique<Impl>()) {
  for (const IndexedField& field : kIndexedFields) {
    impl_->field_indexes.emplace_back(field.path, field.hostname);
  }
  for (const char* noun : kEntityNouns) {
    EntityNoun& entry = impl_->entity_nouns.emplace_back();
    entry.noun = noun;
    for (const char* field : kEntityHostFields) entry.hosts.push_back(store::field_spec(field));
    for (const char* field : kEntityValueFields) entry.values.push_back(store::field_spec(field));
  }
}

EventStore::~EventStore() = default;

bool EventStore::add_udm(json event, std::string* why) {
  if (!event.is_object()) {
    if (why != nullptr) *why = "not a JSON object";
    return false;
  }
  store::TapeBuilder builder(impl_->table.keys());
  if (!builder.from_json(event)) {
    if (why != nullptr) *why = store::kKeysFull;
    return false;
  }
  if (!impl_->table.add(builder.tape(), why)) return false;
  impl_->finalized = false;
  return true;
}

bool EventStore::add_windows(const json& record, std::string* why) {
  std::optional<WindowsRecord> parsed = parse_windows_record(record, why);
  if (!parsed) return false;
  return add_windows_record(*parsed, why);
}

bool EventStore::add_windows_record(const WindowsRecord& record, std::string* why) {
  std::string reason;
  std::optional<json> udm = map_windows_event(record, &reason);
  if (!udm) {
    if (why != nullptr) {
      *why = reason.starts_with("unmapped") ? reason : "unmapped: " + reason;
    }
    return false;
  }
  return add_udm(std::move(*udm), why);
}

namespace {

// index_entities fills entities from every event's entity fields (events_for_entity).
void index_entities(const store::EventTable& table, const std::vector<EntityNoun>& nouns,
                    store::Postings& entities) {
  const auto count = static_cast<std::uint32_t>(table.size());
  for (std::uint32_t position = 0; position < count; ++position) {
    const store::CompactView event = table.view(position);
    for (const EntityNoun& entry : nouns) {
      const auto noun = event.find(event.root(), entry.noun);
      if (noun == udm::EventView::kNone) continue;
      const auto kind = event.kind(noun);
      if (kind != store::Kind::kObject && kind != store::Kind::kArray) continue;
      for (const store::FieldSpec& spec : entry.hosts) {
        store::for_each_text_at(event, noun, spec, [&](std::string_view text) {
          entities.add(lower(text), position);
          entities.add(lower(short_hostname(text)), position);
        });
      }
      for (const store::FieldSpec& spec : entry.values) {
        store::for_each_text_at(
            event, noun, spec, [&](std::string_view text) { entities.add(lower(text), position); });
      }
    }
  }
}

}  // namespace

void EventStore::finalize() {
  Impl& impl = *impl_;
  impl.table.sort();
  for (store::FieldIndex& index : impl.field_indexes) index.clear();
  impl.entities.clear();
  // The entity index and the field indexes are independent: build them on two threads (or on
  // this one, deferred, when no thread can be started).
  auto entities = std::async(std::launch::async | std::launch::deferred, [&impl] {
    index_entities(impl.table, impl.entity_nouns, impl.entities);
  });
  const auto count = static_cast<std::uint32_t>(impl.table.size());
  for (std::uint32_t position = 0; position < count; ++position) {
    const store::CompactView event = impl.table.view(position);
    for (store::FieldIndex& index : impl.field_indexes) index.add(event, position);
  }
  entities.get();
  impl.finalized = true;
}

namespace {

// materialise puts the JSON of the events at positions into result (storage owns them).
void materialise(const store::EventTable& table, const std::vector<std::uint32_t>& positions,
                 SearchResult& result) {
  auto storage = std::make_shared<std::vector<json>>();
  storage->reserve(positions.size());
  for (std::uint32_t position : positions) storage->push_back(table.to_json(position));
  result.events.reserve(storage->size());
  for (const json& event : *storage) result.events.push_back(&event);
  result.storage = std::move(storage);
}

}  // namespace

SearchResult EventStore::search(const udm::Query& query, const TimeRange& range,
                                std::size_t max_events) const {
  const Impl& impl = *impl_;
  SearchResult result;
  if (!impl.finalized) return result;
  const auto [first, last] = impl.time_bounds(range);

  // Pick the narrowest posting list among the query's required equalities on indexed fields;
  // fall back to every event in the time range.
  std::size_t best = last - first;
  const std::uint32_t* begin = nullptr;
  const std::uint32_t* end = nullptr;
  bool indexed = false;
  for (const udm::Equality& equality : udm::required_equalities(query)) {
    for (const store::FieldIndex& index : impl.field_indexes) {
      if (index.field() != equality.field) continue;
      const std::vector<std::uint32_t>* list = index.candidates(equality.value);
      if (list == nullptr) return result;  // no event holds the value: nothing can match
      auto lo = std::lower_bound(list->begin(), list->end(), first);
      auto hi = std::lower_bound(lo, list->end(), last);
      const auto size = static_cast<std::size_t>(hi - lo);
      if (!indexed || size < best) {
        best = size;
        begin = list->data() + (lo - list->begin());
        end = list->data() + (hi - list->begin());
        indexed = true;
      }
    }
  }

  std::vector<std::uint32_t> matched;
  auto consider = [&](std::uint32_t position) {
    ++result.scanned;
    if (!udm::matches(query, impl.table.view(position))) return true;
    if (matched.size() >= max_events) {
      result.more_data_available = true;
      return false;
    }
    matched.push_back(position);
    return true;
  };
  // Candidates are read a few ahead of their evaluation, so that memory latency overlaps work.
  constexpr std::ptrdiff_t kAhead = 8;
  if (indexed) {
    for (const std::uint32_t* it = begin; it != end; ++it) {
      if (end - it > kAhead) impl.table.prefetch(it[kAhead]);
      if (!consider(*it)) break;
    }
  } else {
    for (std::uint32_t position = first; position < last; ++position) {
      if (last - position > kAhead) impl.table.prefetch(position + kAhead);
      if (!consider(position)) break;
    }
  }
  materialise(impl.table, matched, result);
  return result;
}

SearchResult EventStore::events_for_entity(const std::string& value, const TimeRange& range,
                                           std::size_t max_events) const {
  const Impl& impl = *impl_;
  SearchResult result;
  const std::string_view wanted = trim(value);
  if (!impl.finalized || wanted.empty()) return result;
  std::vector<std::string> keys{lower(wanted)};
  // A host looked up by FQDN also finds events that name it short, and the other way round.
  if (wanted.find_first_of("@\\/") == std::string_view::npos) {
    std::string short_key = lower(short_hostname(wanted));
    if (!short_key.empty() && short_key != keys.front()) keys.push_back(std::move(short_key));
  }
  const auto [first, last] = impl.time_bounds(range);
  std::vector<std::uint32_t> positions;
  for (const std::string& key : keys) {
    if (const std::vector<std::uint32_t>* list = impl.entities.find(key)) {
      auto lo = std::lower_bound(list->begin(), list->end(), first);
      auto hi = std::lower_bound(lo, list->end(), last);
      positions.insert(positions.end(), lo, hi);
    }
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  result.scanned = positions.size();
  if (positions.size() > max_events) {
    result.more_data_available = true;
    positions.resize(max_events);
  }
  materialise(impl.table, positions, result);
  return result;
}

std::size_t EventStore::size() const {
  return impl_->table.size();
}

std::optional<TimePoint> EventStore::earliest() const {
  const auto& times = impl_->table.times();
  if (!impl_->finalized || times.empty()) return std::nullopt;
  return times.front();
}

std::optional<TimePoint> EventStore::latest() const {
  const auto& times = impl_->table.times();
  if (!impl_->finalized || times.empty()) return std::nullopt;
  return times.back();
}

std::string EventStore::event_name(const json* event) const {
  if (event == nullptr) return {};
  // The id is a hash of the event's content, so the same event keeps its name across runs and
  // load orders (identical events share one name).
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(event->dump())));
  return std::string(kEventNamePrefix) + hex;
}

std::pair<std::uint32_t, std::uint32_t> EventStore::Impl::time_bounds(
    const TimeRange& range) const {
  const std::vector<TimePoint>& times = table.times();
  auto lo =
      range.start ? std::lower_bound(times.begin(), times.end(), *range.start) : times.begin();
  auto hi = range.end ? std::upper_bound(lo, times.end(), *range.end) : times.end();
  return {static_cast<std::uint32_t>(lo - times.begin()),
          static_cast<std::uint32_t>(hi - times.begin())};
}

}  // namespace sim
