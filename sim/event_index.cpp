// event_index.cpp — field reading and posting lists for the event store's indexes.
#include "sim/event_index.hpp"

#include <charconv>
#include <cstdint>
#include <string>

#include "sim/windows_mapping.hpp"
#include "udm/fields.hpp"

namespace sim::store {

using nlohmann::json;

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

void emit(const json& value, const std::function<void(std::string_view)>& visit) {
  char buffer[32];
  switch (value.type()) {
    case json::value_t::string:
      visit(value.get_ref<const std::string&>());
      break;
    case json::value_t::number_integer: {
      auto end = std::to_chars(buffer, buffer + sizeof buffer, value.get<std::int64_t>()).ptr;
      visit(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
      break;
    }
    case json::value_t::number_unsigned: {
      auto end = std::to_chars(buffer, buffer + sizeof buffer, value.get<std::uint64_t>()).ptr;
      visit(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
      break;
    }
    case json::value_t::number_float: {
      // An integral double equals the integer literal with the same value, so key it as one.
      const double real = value.get<double>();
      auto end =
          (real >= -9.0e18 && real <= 9.0e18 &&
           real == static_cast<double>(static_cast<std::int64_t>(real)))
              ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(real)).ptr
              : std::to_chars(buffer, buffer + sizeof buffer, real).ptr;
      visit(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
      break;
    }
    case json::value_t::boolean:
      visit(value.get<bool>() ? "true" : "false");
      break;
    default:
      break;
  }
}

void walk(const json& node, const FieldSpec& path, std::size_t index,
          const std::function<void(std::string_view)>& visit) {
  if (node.is_array()) {
    for (const json& element : node) walk(element, path, index, visit);
    return;
  }
  if (index == path.segments.size()) {
    emit(node, visit);
    return;
  }
  if (!node.is_object()) return;
  const auto& [snake, camel] = path.segments[index];
  auto it = node.find(snake);
  if (it == node.end() && camel != snake) it = node.find(camel);
  if (it != node.end()) walk(*it, path, index + 1, visit);
}

}  // namespace

void for_each_text(const json& event, const FieldSpec& path,
                   const std::function<void(std::string_view)>& visit) {
  walk(udm_root(event), path, 0, visit);
}

void for_each_text_at(const json& node, const FieldSpec& path,
                      const std::function<void(std::string_view)>& visit) {
  walk(node, path, 0, visit);
}

const json& udm_root(const json& event) {
  if (event.is_object() && !event.contains("metadata")) {
    auto udm = event.find("udm");
    if (udm != event.end() && udm->is_object()) return *udm;
  }
  return event;
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

void FieldIndex::add(const json& event, std::uint32_t position) {
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
