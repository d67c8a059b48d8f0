// event_index.cpp — field reading and posting lists for the event store's indexes.
#include "sim/event_index.hpp"

#include <charconv>
#include <cstdint>
#include <string>

#include "sim/windows_mapping.hpp"
#include "udm/fields.hpp"

namespace sim::store {

FieldSpec field_spec(std::string_view dotted) {
  FieldSpec spec;
  spec.text = std::string(dotted);
  while (!dotted.empty()) {
    const std::size_t dot = dotted.find('.');
    const std::string_view segment = dotted.substr(0, dot);
    spec.segments.emplace_back(std::string(segment), udm::camel_case(segment));
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
  }
  return spec;
}

namespace {

using Node = udm::EventView::Node;

void emit(const CompactView& event, Node value,
          const std::function<void(std::string_view)>& visit) {
  char buffer[32];
  switch (event.kind(value)) {
    case Kind::kString:
      visit(event.string(value));
      break;
    case Kind::kInteger: {
      auto end = std::to_chars(buffer, buffer + sizeof buffer, event.integer(value)).ptr;
      visit(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
      break;
    }
    case Kind::kUnsigned: {
      auto end = std::to_chars(buffer, buffer + sizeof buffer, event.unsigned_integer(value)).ptr;
      visit(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
      break;
    }
    case Kind::kFloat: {
      // An integral double equals the integer literal with the same value, so key it as one.
      const double real = event.real(value);
      auto end =
          (real >= -9.0e18 && real <= 9.0e18 &&
           real == static_cast<double>(static_cast<std::int64_t>(real)))
              ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(real)).ptr
              : std::to_chars(buffer, buffer + sizeof buffer, real).ptr;
      visit(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
      break;
    }
    case Kind::kBoolean:
      visit(event.boolean(value) ? "true" : "false");
      break;
    default:
      break;
  }
}

void walk(const CompactView& event, Node node, const FieldSpec& path, std::size_t index,
          const std::function<void(std::string_view)>& visit) {
  const Kind kind = event.kind(node);
  if (kind == Kind::kArray) {
    for (Node child = event.first_child(node); child != udm::EventView::kNone;
         child = event.next_sibling(node, child)) {
      walk(event, child, path, index, visit);
    }
    return;
  }
  if (index == path.segments.size()) {
    emit(event, node, visit);
    return;
  }
  if (kind != Kind::kObject) return;
  const auto& [snake, camel] = path.segments[index];
  Node found = event.find(node, snake);
  if (found == udm::EventView::kNone && camel != snake) found = event.find(node, camel);
  if (found != udm::EventView::kNone) walk(event, found, path, index + 1, visit);
}

}  // namespace

void for_each_text(const CompactView& event, const FieldSpec& path,
                   const std::function<void(std::string_view)>& visit) {
  walk(event, event.root(), path, 0, visit);
}

void for_each_text_at(const CompactView& event, udm::EventView::Node node, const FieldSpec& path,
                      const std::function<void(std::string_view)>& visit) {
  walk(event, node, path, 0, visit);
}

void Postings::add(std::string_view key, std::uint32_t position) {
  auto it = lists_.find(key);
  if (it == lists_.end()) it = lists_.emplace(std::string(key), std::vector<std::uint32_t>{}).first;
  if (it->second.empty() || it->second.back() != position) it->second.push_back(position);
}

const std::vector<std::uint32_t>* Postings::find(std::string_view key) const {
  auto it = lists_.find(key);
  return it == lists_.end() ? nullptr : &it->second;
}

FieldIndex::FieldIndex(std::string_view field, bool hostname)
    : spec_(field_spec(field)), hostname_(hostname) {}

std::string FieldIndex::key(std::string_view value) const {
  return hostname_ ? short_hostname(value) : std::string(value);
}

void FieldIndex::add(const CompactView& event, std::uint32_t position) {
  for_each_text(event, spec_, [&](std::string_view text) {
    if (hostname_) {
      postings_.add(key(text), position);
    } else {
      postings_.add(text, position);
    }
  });
}

const std::vector<std::uint32_t>* FieldIndex::candidates(std::string_view value) const {
  if (hostname_) return postings_.find(key(value));
  return postings_.find(value);
}

}  // namespace sim::store
