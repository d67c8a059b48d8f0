// event_store.cpp — EventStore: time-sorted UDM events, indexes, search and entity lookup.
// Loading files is in store_loader.cpp (JSON) and evtx_loader.cpp (EVTX).
#include "sim/event_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <numeric>
#include <utility>

#include "sim/event_index.hpp"
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

// event_time reads metadata.event_timestamp as RFC 3339 text or a {seconds, nanos} object.
std::optional<TimePoint> event_time(const json& event, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<TimePoint> {
    if (why != nullptr) *why = std::move(message);
    return std::nullopt;
  };
  auto metadata = event.find("metadata");
  if (metadata == event.end() || !metadata->is_object()) return fail("no metadata object");
  auto stamp = metadata->find("event_timestamp");
  if (stamp == metadata->end()) stamp = metadata->find("eventTimestamp");
  if (stamp == metadata->end()) return fail("no metadata.event_timestamp");
  if (stamp->is_string()) {
    if (auto t = parse_time(stamp->get_ref<const std::string&>())) return t;
    return fail("metadata.event_timestamp is not an RFC 3339 time: " +
                stamp->get_ref<const std::string&>().substr(0, 64));
  }
  if (stamp->is_object()) {
    auto seconds = stamp->find("seconds");
    auto nanos = stamp->find("nanos");
    std::int64_t s = 0;
    if (seconds != stamp->end() && seconds->is_number_integer()) {
      s = seconds->get<std::int64_t>();
    } else if (seconds != stamp->end() && seconds->is_string()) {
      const std::string& text = seconds->get_ref<const std::string&>();
      if (std::from_chars(text.data(), text.data() + text.size(), s).ec != std::errc{}) {
        return fail("metadata.event_timestamp.seconds is not a number");
      }
    } else {
      return fail("metadata.event_timestamp has no seconds");
    }
    std::int64_t n =
        nanos != stamp->end() && nanos->is_number_integer() ? nanos->get<std::int64_t>() : 0;
    if (s < -62'135'596'800 || s > 253'402'300'799) return fail("event_timestamp out of range");
    return TimePoint{std::chrono::milliseconds{s * 1000 + n / 1'000'000}};
  }
  return fail("metadata.event_timestamp is neither text nor {seconds, nanos}");
}

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// EntityNoun lists the entity fields read under one noun (principal, target, …), relative to it,
// so that an event without that noun costs one lookup.
struct EntityNoun {
  std::string noun;
  std::vector<store::FieldSpec> hosts;
  std::vector<store::FieldSpec> values;
};

// Positions are 32-bit in the indexes.
constexpr std::size_t kMaxEvents = 0xFFFF'FFF0;

}  // namespace

// Impl holds events and their times in two parallel vectors, sorted by time (ties in load order)
// once finalize has run, plus the indexes, which hold positions into those vectors.
struct EventStore::Impl {
  std::vector<json> events;
  std::vector<TimePoint> times;
  bool finalized = false;
  std::vector<store::FieldIndex> field_indexes;
  std::vector<EntityNoun> entity_nouns;
  store::Postings entities;  // lower-case entity value → positions

  // time_bounds returns the positions [first, last) of the events inside range.
  std::pair<std::uint32_t, std::uint32_t> time_bounds(const TimeRange& range) const;
};

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
  if (!event.contains("metadata")) {
    auto udm = event.find("udm");
    if (udm != event.end() && udm->is_object()) {
      json inner = std::move(*udm);
      event = std::move(inner);
    }
  }
  std::optional<TimePoint> time = event_time(event, why);
  if (!time) return false;
  if (impl_->events.size() >= kMaxEvents) {
    if (why != nullptr) *why = "the store is full (" + std::to_string(kMaxEvents) + " events)";
    return false;
  }
  impl_->events.push_back(std::move(event));
  impl_->times.push_back(*time);
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

void EventStore::finalize() {
  Impl& impl = *impl_;
  std::vector<std::uint32_t> order(impl.events.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return impl.times[a] < impl.times[b]; });
  std::vector<json> events;
  std::vector<TimePoint> times;
  events.reserve(order.size());
  times.reserve(order.size());
  for (std::uint32_t from : order) {
    events.push_back(std::move(impl.events[from]));
    times.push_back(impl.times[from]);
  }
  impl.events = std::move(events);
  impl.times = std::move(times);

  for (store::FieldIndex& index : impl.field_indexes) index.clear();
  impl.entities.clear();
  for (std::uint32_t position = 0; position < impl.events.size(); ++position) {
    const json& event = impl.events[position];
    for (store::FieldIndex& index : impl.field_indexes) index.add(event, position);
    const json& root = store::udm_root(event);
    for (const EntityNoun& entry : impl.entity_nouns) {
      auto noun = root.find(entry.noun);
      if (noun == root.end() || !(noun->is_object() || noun->is_array())) continue;
      for (const store::FieldSpec& spec : entry.hosts) {
        store::for_each_text_at(*noun, spec, [&](std::string_view text) {
          impl.entities.add(lower(text), position);
          impl.entities.add(lower(short_hostname(text)), position);
        });
      }
      for (const store::FieldSpec& spec : entry.values) {
        store::for_each_text_at(
            *noun, spec, [&](std::string_view text) { impl.entities.add(lower(text), position); });
      }
    }
  }
  impl.finalized = true;
}

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

  auto consider = [&](std::uint32_t position) {
    ++result.scanned;
    if (!udm::matches(query, impl.events[position])) return true;
    if (result.events.size() >= max_events) {
      result.more_data_available = true;
      return false;
    }
    result.events.push_back(&impl.events[position]);
    return true;
  };
  if (indexed) {
    for (const std::uint32_t* it = begin; it != end; ++it) {
      if (!consider(*it)) break;
    }
  } else {
    for (std::uint32_t position = first; position < last; ++position) {
      if (!consider(position)) break;
    }
  }
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
  for (std::uint32_t position : positions) {
    if (result.events.size() >= max_events) {
      result.more_data_available = true;
      break;
    }
    result.events.push_back(&impl.events[position]);
  }
  return result;
}

std::size_t EventStore::size() const {
  return impl_->events.size();
}

std::optional<TimePoint> EventStore::earliest() const {
  if (!impl_->finalized || impl_->times.empty()) return std::nullopt;
  return impl_->times.front();
}

std::optional<TimePoint> EventStore::latest() const {
  if (!impl_->finalized || impl_->times.empty()) return std::nullopt;
  return impl_->times.back();
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
  auto lo =
      range.start ? std::lower_bound(times.begin(), times.end(), *range.start) : times.begin();
  auto hi = range.end ? std::upper_bound(lo, times.end(), *range.end) : times.end();
  return {static_cast<std::uint32_t>(lo - times.begin()),
          static_cast<std::uint32_t>(hi - times.begin())};
}

}  // namespace sim
