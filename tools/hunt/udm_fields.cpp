// udm_fields.cpp — tolerant reads of UDM JSON fields for the evidence stage (evidence.hpp).
#include <cctype>
#include <charconv>
#include <cstdint>

#include "tools/hunt/evidence.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

std::string camel_case(std::string_view snake) {
  std::string out;
  bool upper_next = false;
  for (char c : snake) {
    if (c == '_') {
      upper_next = true;
    } else {
      out.push_back(upper_next ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                               : c);
      upper_next = false;
    }
  }
  return out;
}

// member finds key (snake or camel) in an object, stepping into the first element of arrays.
const Json* member(const Json* node, std::string_view key) {
  while (node && node->is_array()) node = node->empty() ? nullptr : &node->front();
  if (!node || !node->is_object()) return nullptr;
  auto it = node->find(std::string(key));
  if (it == node->end()) it = node->find(camel_case(key));
  return it == node->end() ? nullptr : &*it;
}

std::string scalar_text(const Json* node) {
  while (node && node->is_array()) node = node->empty() ? nullptr : &node->front();
  if (!node || node->is_null()) return {};
  if (node->is_string()) return node->get<std::string>();
  if (node->is_number() || node->is_boolean()) return node->dump();
  if (node->is_object()) {
    // Protobuf-JSON value wrappers (additional.fields values in API exports).
    for (const char* k : {"string_value", "stringValue", "number_value", "numberValue",
                          "bool_value", "boolValue"}) {
      if (auto it = node->find(k); it != node->end()) return scalar_text(&*it);
    }
  }
  return {};
}

}  // namespace

const Json& udm_root(const Json& event) {
  if (event.is_object() && !event.contains("metadata")) {
    if (auto it = event.find("udm"); it != event.end() && it->is_object()) return *it;
  }
  return event;
}

std::string udm_text(const Json& event, std::string_view path) {
  const Json* node = &udm_root(event);
  while (!path.empty()) {
    auto dot = path.find('.');
    node = member(node, path.substr(0, dot));
    if (!node) return {};
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return scalar_text(node);
}

std::string udm_additional(const Json& event, std::string_view key) {
  const Json* fields = member(member(&udm_root(event), "additional"), "fields");
  if (!fields) return {};
  if (fields->is_object()) {
    auto it = fields->find(std::string(key));
    return it == fields->end() ? std::string{} : scalar_text(&*it);
  }
  if (fields->is_array()) {
    for (const auto& entry : *fields) {
      if (entry.is_object() && entry.value("key", "") == key) {
        auto it = entry.find("value");
        return it == entry.end() ? std::string{} : scalar_text(&*it);
      }
    }
  }
  return {};
}

std::string udm_time(const Json& event) {
  const Json* ts = member(member(&udm_root(event), "metadata"), "event_timestamp");
  if (!ts) return {};
  if (ts->is_string()) return ts->get<std::string>();
  if (ts->is_object()) {
    auto seconds = scalar_text(member(ts, "seconds"));
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(seconds.data(), seconds.data() + seconds.size(), value);
    if (!seconds.empty() && ec == std::errc() && end == seconds.data() + seconds.size()) {
      return format_time(value);
    }
  }
  return {};
}

}  // namespace hunt
