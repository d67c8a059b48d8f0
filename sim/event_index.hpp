// event_index.hpp — internal to the event store: reading scalar values out of stored (compact) UDM
// events by field path, and posting lists (value → positions of the events holding it, in time
// order).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/compact_event.hpp"

namespace sim::store {

// FieldSpec is a dotted UDM field path split into segments, each with its snake_case and
// lowerCamelCase spelling (the evaluator in udm/ looks keys up the same way).
struct FieldSpec {
  std::string text;  // e.g. principal.hostname
  std::vector<std::pair<std::string, std::string>> segments;
};

FieldSpec field_spec(std::string_view dotted);

// for_each_text calls visit(text) for every scalar path reaches in event, crossing arrays, with
// the text a UDM Search string equality compares it as: strings as written, integers in decimal,
// booleans as true / false. Objects and nulls are not visited. Keys are found as udm::matches
// finds them (snake_case, then lowerCamelCase; the last of a repeated key).
void for_each_text(const CompactView& event, const FieldSpec& path,
                   const std::function<void(std::string_view)>& visit);

// for_each_text_at is for_each_text with path read from node instead of the event's root.
void for_each_text_at(const CompactView& event, udm::EventView::Node node, const FieldSpec& path,
                      const std::function<void(std::string_view)>& visit);

// Postings maps a key to the ascending positions of the events holding it. Positions must be
// added in ascending order (finalize walks the time-sorted events once); a key added twice for
// one event is kept once.
class Postings {
 public:
  void add(std::string_view key, std::uint32_t position);
  // find returns the positions for key, or nullptr when no event holds it.
  const std::vector<std::uint32_t>* find(std::string_view key) const;
  void clear() { lists_.clear(); }

 private:
  std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>> lists_;
};

// FieldIndex indexes one field by value. With hostname set, keys are short_hostname(value), so an
// equality on a FQDN and on its short name both find the event (the evaluator then decides).
class FieldIndex {
 public:
  FieldIndex(std::string_view field, bool hostname);

  const std::string& field() const { return spec_.text; }
  void add(const CompactView& event, std::uint32_t position);
  // candidates returns the positions of events that may equal value (a superset of those that
  // do), or nullptr when none can.
  const std::vector<std::uint32_t>* candidates(std::string_view value) const;
  void clear() { postings_.clear(); }

 private:
  std::string key(std::string_view value) const;

  FieldSpec spec_;
  bool hostname_ = false;
  Postings postings_;
};

}  // namespace sim::store
