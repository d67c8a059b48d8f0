// demo_events.hpp — the demo enterprise generated once per test process and mapped to UDM, for
// the demo and catalog tests (tests/sim/demo_*_test.cpp, catalog_*_test.cpp).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/demo/demo_enterprise.hpp"
#include "sim/windows_mapping.hpp"

namespace demo_test {

using nlohmann::json;

inline const sim::DemoData& demo() {
  static const sim::DemoData data = sim::generate_demo();
  return data;
}

// mapped_demo is every demo record mapped to UDM, in record order; records the mapping refuses
// are left out (demo_enterprise_test checks there are none).
inline const std::vector<json>& mapped_demo() {
  static const std::vector<json> events = [] {
    std::vector<json> out;
    for (const json& record : demo().windows_records) {
      auto parsed = sim::parse_windows_record(record);
      if (!parsed) continue;
      if (auto udm = sim::map_windows_event(*parsed)) out.push_back(std::move(*udm));
    }
    return out;
  }();
  return events;
}

// text_at reads a string (or number as text) at a path of object members; "" when absent.
inline std::string text_at(const json& event, std::initializer_list<const char*> path) {
  const json* at = &event;
  for (const char* key : path) {
    if (!at->is_object()) return {};
    auto it = at->find(key);
    if (it == at->end()) return {};
    at = &*it;
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number()) return at->dump();
  return {};
}

}  // namespace demo_test
