// windows_mapping.cpp — map_windows_event: runs the table in windows_mapping_table.cpp over a
// WindowsRecord. Only this file knows how a rule kind writes UDM JSON; what goes where is data.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "sim/windows_mapping.hpp"
#include "sim/windows_mapping_table.hpp"
#include "sim/windows_values.hpp"
#include "udm/timestamp.hpp"

namespace sim {

namespace {

using nlohmann::json;
namespace wv = winvalues;
using winmap::FieldRule;
using winmap::Kind;

// lookup returns the first of rule.sources ('|'-separated) present in data with a value that is
// not absent ("" or "-"), as written (not yet cleaned).
std::optional<std::string> lookup(const json& data, std::string_view sources) {
  while (true) {
    std::size_t bar = sources.find('|');
    auto it = data.find(sources.substr(0, bar));
    if (it != data.end()) {
      std::string text = it->is_string() ? it->get<std::string>() : it->dump();
      if (!it->is_null() && !wv::is_absent(text)) return text;
    }
    if (bar == std::string_view::npos) return std::nullopt;
    sources.remove_prefix(bar + 1);
  }
}

// at returns the member at a dotted path, creating objects on the way (replacing non-objects).
json& at(json& event, std::string_view path) {
  json* node = &event;
  while (true) {
    if (!node->is_object()) *node = json::object();
    std::size_t dot = path.find('.');
    node = &(*node)[std::string(path.substr(0, dot))];
    if (dot == std::string_view::npos) return *node;
    path.remove_prefix(dot + 1);
  }
}

std::string join(std::string_view a, std::string_view b) {
  std::string out(a);
  out += '.';
  out += b;
  return out;
}

// logon_mechanism names extensions.auth.mechanism for a Windows LogonType.
const char* logon_mechanism(std::uint64_t type) {
  switch (type) {
    case 2:
      return "INTERACTIVE";
    case 3:
      return "NETWORK";
    case 4:
      return "BATCH";
    case 5:
      return "SERVICE";
    case 7:
      return "UNLOCK";
    case 8:
      return "NETWORK_CLEAR_TEXT";
    case 9:
      return "NEW_CREDENTIALS";
    case 10:
      return "REMOTE_INTERACTIVE";
    case 11:
      return "CACHED_INTERACTIVE";
    default:
      return "MECHANISM_OTHER";
  }
}

// apply writes one rule's value into event; a value that does not convert is left out.
void apply(const FieldRule& rule, const json& data, json& event) {
  std::optional<std::string> raw = lookup(data, rule.sources);
  if (!raw) return;
  const std::string value = wv::clean_string(*raw);
  switch (rule.kind) {
    case Kind::kString:
      at(event, rule.path) = value;
      return;
    case Kind::kUpper: {
      std::string upper = value;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      at(event, rule.path) = upper;
      return;
    }
    case Kind::kPid:
      if (auto n = wv::parse_windows_number(value)) at(event, rule.path) = std::to_string(*n);
      return;
    case Kind::kPort:
      if (auto n = wv::parse_windows_number(value); n && *n <= 65535)
        at(event, rule.path) = static_cast<int>(*n);
      return;
    case Kind::kIp: {
      json& list = at(event, rule.path);
      if (!list.is_array()) list = json::array();
      list.push_back(wv::normalise_ip(value));
      return;
    }
    case Kind::kUser: {
      wv::SplitUser user = wv::split_user(value);
      if (!wv::is_absent(user.user)) at(event, join(rule.path, "user.userid")) = user.user;
      if (!wv::is_absent(user.domain))
        at(event, join(rule.path, "administrative_domain")) = user.domain;
      return;
    }
    case Kind::kHashes: {
      std::string_view rest = value;
      while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        std::size_t eq = item.find('=');
        if (eq != std::string_view::npos) {
          std::string algorithm = wv::lower(item.substr(0, eq));
          if (algorithm == "sha256" || algorithm == "sha1" || algorithm == "md5")
            at(event, join(rule.path, algorithm)) = wv::lower(item.substr(eq + 1));
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return;
    }
    case Kind::kLogonType:
      if (auto n = wv::parse_windows_number(value))
        at(event, rule.path) = json::array({logon_mechanism(*n)});
      return;
  }
}

std::string describe(const WindowsRecord& record) {
  return "event " + std::to_string(record.event_id) + " (channel \"" + record.channel +
         "\", provider \"" + record.provider + "\")";
}

}  // namespace

std::optional<json> map_windows_event(const WindowsRecord& record, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<json> {
    if (why != nullptr) *why = std::move(message);
    return std::nullopt;
  };
  const winmap::Family family = winmap::family_of(record.channel, record.provider);
  if (family == winmap::Family::kUnknown)
    return fail("unmapped: " + describe(record) +
                " is from a log the Windows → UDM mapping does not cover");
  auto rows = winmap::rows();
  auto row = std::find_if(rows.begin(), rows.end(), [&](const winmap::MappingRow& r) {
    return r.family == family && r.event_id == record.event_id;
  });
  if (row == rows.end())
    return fail("unmapped: " + std::string(winmap::family_label(family)) + " " + describe(record) +
                " has no row in the Windows → UDM mapping table");
  if (record.time_utc.empty())
    return fail("no event time: " + describe(record) +
                " has no readable UtcTime, @timestamp, EventTime or TimeCreated");
  auto time = wv::parse_time(record.time_utc);
  if (!time || !time->zoned)
    return fail("bad event time: " + describe(record) + " has time_utc \"" + record.time_utc +
                "\", which is not RFC 3339 UTC");

  json event = json::object();
  json& metadata = event["metadata"];
  metadata["event_timestamp"] = udm::format_rfc3339(time->t.time_since_epoch().count());
  metadata["event_type"] = row->event_type;
  metadata["product_event_type"] = std::to_string(record.event_id);
  metadata["vendor_name"] = "Microsoft";
  metadata["product_name"] =
      row->product_name != nullptr ? row->product_name : winmap::family_product_name(family);
  metadata["log_type"] = winmap::family_log_type(family);
  if (!record.computer.empty()) event["principal"]["hostname"] = record.computer;
  static const json kNoData = json::object();
  const json& data = record.data.is_object() ? record.data : kNoData;
  for (const FieldRule& rule : row->fields) apply(rule, data, event);
  if (row->action != nullptr)
    event["security_result"] = json::array({{{"action", json::array({row->action})}}});
  if (record.time_is_local) event["additional"]["fields"]["TimeIsLocal"] = "true";
  if (record.utc_offset_minutes)
    event["additional"]["fields"]["UtcOffset"] = wv::format_utc_offset(*record.utc_offset_minutes);
  return event;
}

}  // namespace sim
