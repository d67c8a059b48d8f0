// entity_summary.cpp — primary entity type, first/last seen, related entities (by frequency),
// alerts that mention the entity, and the event count, in secops-mcp's text layout.
#include "sim/server/entity_summary.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <vector>

#include "sim/server/fastmcp.hpp"
#include "sim/server/time_window.hpp"
#include "sim/windows_mapping.hpp"

namespace sim {

namespace {

using mcp::Json;

constexpr std::size_t kMaxEntityEvents = 10000;
constexpr std::size_t kRelatedShown = 5;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const Json* at(const Json& o, std::initializer_list<const char*> path) {
  const Json* cur = &o;
  for (const char* k : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

// EntityRef is one entity value seen in an event and Chronicle's entity type for it.
struct EntityRef {
  std::string value;
  std::string type;  // ASSET, IP_ADDRESS, USER, FILE
};

std::vector<EntityRef> entities_of(const Json& event) {
  std::vector<EntityRef> out;
  auto add = [&](const Json* v, const char* type) {
    if (v == nullptr) return;
    if (v->is_string() && !v->get<std::string>().empty())
      out.push_back({v->get<std::string>(), type});
    if (v->is_array()) {
      for (const auto& x : *v) {
        if (x.is_string() && !x.get<std::string>().empty())
          out.push_back({x.get<std::string>(), type});
      }
    }
  };
  for (const char* noun : {"principal", "target", "src", "observer"}) {
    add(at(event, {noun, "hostname"}), "ASSET");
    add(at(event, {noun, "ip"}), "IP_ADDRESS");
    add(at(event, {noun, "user", "userid"}), "USER");
    for (const char* hash : {"sha256", "md5", "sha1"}) {
      add(at(event, {noun, "process", "file", hash}), "FILE");
      add(at(event, {noun, "file", hash}), "FILE");
    }
  }
  return out;
}

bool same_entity(const std::string& a, const std::string& b) {
  return lower(a) == lower(b) || short_hostname(a) == short_hostname(b);
}

std::string guess_type(const std::string& value) {
  static const std::regex kIp(R"(^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]*:[0-9a-fA-F:]*$)");
  static const std::regex kHash(R"(^([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$)");
  if (std::regex_match(value, kIp)) return "IP_ADDRESS";
  if (std::regex_match(value, kHash)) return "FILE";
  return "ASSET";
}

std::string event_time(const Json* event) {
  const Json* t = at(*event, {"metadata", "event_timestamp"});
  if (t == nullptr) t = at(*event, {"metadata", "eventTimestamp"});
  if (t == nullptr || !t->is_string()) return "Unknown";
  auto parsed = parse_time(t->get<std::string>());
  return parsed ? format_time(*parsed) : t->get<std::string>();
}

}  // namespace

std::string alert_field(const Json& alert, std::initializer_list<const char*> keys,
                        const std::string& fallback) {
  for (const Json* o : {at(alert, {"feedbackSummary"}), &alert}) {
    if (o == nullptr || !o->is_object()) continue;
    for (const char* k : keys) {
      auto it = o->find(k);
      if (it == o->end() || it->is_null()) continue;
      if (it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
      if (it->is_number()) return it->dump();
    }
  }
  return fallback;
}

std::optional<TimePoint> alert_time(const Json& alert) {
  const std::string text =
      alert_field(alert, {"createdTime", "creationTime", "createTime", "detectionTime"}, "");
  return text.empty() ? std::nullopt : parse_time(text);
}

std::string summarize_entity(const SimContext& ctx, const Json& args) {
  const std::string value = fastmcp::string_or(args, "entity_value", "");
  const TimeRange range = hours_back_window(args, ctx.clock.now());
  SearchResult found = ctx.events->events_for_entity(value, range, kMaxEntityEvents);
  if (value.empty() || found.events.empty()) return "No information found for entity: " + value;

  std::string type;
  std::map<std::string, std::pair<EntityRef, std::size_t>> related;  // lower value → ref, count
  for (const Json* e : found.events) {
    for (auto& ref : entities_of(*e)) {
      if (same_entity(ref.value, value)) {
        if (type.empty()) type = ref.type;
        continue;
      }
      auto& slot = related[lower(ref.value)];
      if (slot.second++ == 0) slot.first = ref;
    }
  }
  if (type.empty()) type = guess_type(value);

  std::string out = "Entity Summary for " + value + ":\n\nPrimary Entity:\n";
  out += "Entity Type: " + type + "\n";
  out += "First Seen: " + event_time(found.events.front()) + "\n";
  out += "Last Seen: " + event_time(found.events.back()) + "\n\n";

  std::vector<std::pair<EntityRef, std::size_t>> by_count;
  for (auto& [key, slot] : related) by_count.push_back(slot);
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (!by_count.empty()) {
    out += "Related Entities (" + std::to_string(by_count.size()) + "):\n";
    for (std::size_t i = 0; i < by_count.size() && i < kRelatedShown; ++i) {
      out += std::to_string(i + 1) + ". " + by_count[i].first.value +
             " (Type: " + by_count[i].first.type + ")\n";
    }
    if (by_count.size() > kRelatedShown) {
      out +=
          "... and " + std::to_string(by_count.size() - kRelatedShown) + " more related entities\n";
    }
    out += "\n";
  }

  std::map<std::string, std::size_t> alert_counts;
  std::size_t total_alerts = 0;
  if (ctx.cases != nullptr) {
    if (auto alerts = ctx.cases->all_alerts()) {
      const std::string needle = lower(value);
      for (const Json& a : alerts.value()) {
        auto when = alert_time(a);
        if (!when || *when < *range.start || *when > *range.end) continue;
        if (lower(a.dump()).find(needle) == std::string::npos) continue;
        ++alert_counts[alert_field(a, {"ruleName", "name"}, "Unknown")];
        ++total_alerts;
      }
    }
  }
  if (!alert_counts.empty()) {
    out += "Associated Alerts:\n";
    for (const auto& [rule, n] : alert_counts) {
      out += "- Rule: " + rule + ", Count: " + std::to_string(n) + "\n";
    }
    out += "\n";
  }
  out += "Timeline Summary:\nTotal Events: " + std::to_string(found.events.size()) + "\n";
  out += "Total Alerts: " + std::to_string(total_alerts) + "\n\n";
  return out;
}

}  // namespace sim
