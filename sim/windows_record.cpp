// windows_record.cpp — parse_windows_record: flat (NXLog / OTRF Security-Datasets) and nested
// (Winlogbeat 6.x/7.x/8.x) JSON records → WindowsRecord. Field names and traps are documented in
// docs/windows-mapping.md ("Input shapes" and "Time").
#include <array>
#include <string>
#include <string_view>

#include "sim/windows_mapping.hpp"
#include "sim/windows_values.hpp"
#include "udm/timestamp.hpp"

namespace sim {

namespace {

using nlohmann::json;
namespace wv = winvalues;

// Largest plausible gap between an NXLog EventReceivedTime and the Logstash @timestamp of the same
// record; beyond it the zone offset derived from the pair is not trusted.
constexpr auto kMaxShipDelay = std::chrono::minutes(7);

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// path_member follows a dotted path of object members ("winlog.event_data").
const json* path_member(const json& object, std::string_view path) {
  const json* at = &object;
  while (at != nullptr) {
    std::size_t dot = path.find('.');
    at = member(*at, path.substr(0, dot));
    if (dot == std::string_view::npos) return at;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

// scalar_text prints a JSON scalar as the string Windows would have written; nullopt for null,
// arrays and objects.
std::optional<std::string> scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number_float()) return value.dump();
  return std::nullopt;
}

// first_text returns the first of paths that holds a non-empty scalar.
std::string first_text(const json& object, std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    if (const json* value = path_member(object, path)) {
      if (auto text = scalar_text(*value); text && !text->empty()) return *text;
    }
  }
  return {};
}

// copy_scalars adds the scalar members of object to data (existing names win unless overwrite).
void copy_scalars(const json& object, json& data, bool overwrite) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    if (key == "Message" || key == "message") continue;  // rendered text, not event data
    if (!overwrite && data.contains(key)) continue;
    if (auto text = scalar_text(value)) data[key] = *text;
  }
}

std::optional<int> read_event_id(const json& object) {
  for (std::string_view path :
       {"winlog.event_id", "EventID", "EventId", "event_id", "event.code"}) {
    const json* value = path_member(object, path);
    if (value == nullptr) continue;
    std::optional<std::uint64_t> id;
    if (value->is_number_unsigned() || (value->is_number_integer() && value->get<int64_t>() >= 0))
      id = value->get<std::uint64_t>();
    else if (value->is_number_float() && value->get<double>() >= 0 &&
             value->get<double>() <= 65535 &&
             value->get<double>() == static_cast<double>(value->get<std::uint64_t>()))
      id = value->get<std::uint64_t>();
    else if (value->is_string())
      id = wv::parse_windows_number(value->get<std::string>());
    if (id && *id <= 0xFFFF) return static_cast<int>(*id);
  }
  return std::nullopt;
}

// add_message_pairs reads "Key = value; Key = value" pairs from a rendered WMI-Activity message
// into data for names not already present. NXLog does not flatten UserData, so for WMI-Activity
// the message is the only copy of ProviderPath, Operation, ClientProcessId, ESS, CONSUMER, …
// The last key of a message (PossibleCause for 5858/5861) takes the rest of the text.
void add_message_pairs(std::string_view message, json& data) {
  std::string key;
  std::string value;
  auto flush = [&] {
    if (!key.empty() && !data.contains(key)) data[key] = value;
    key.clear();
    value.clear();
  };
  while (!message.empty()) {
    std::size_t end = message.find("; ");
    std::string_view segment = message.substr(0, end);
    std::size_t eq = segment.find(" = ");
    std::string_view words = eq == std::string_view::npos ? "" : segment.substr(0, eq);
    std::size_t space = words.find_last_of(" .");
    std::string_view name = space == std::string_view::npos ? words : words.substr(space + 1);
    bool is_key = !name.empty() && key != "PossibleCause" &&
                  name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") ==
                      std::string_view::npos;
    if (is_key) {
      flush();
      key = name;
      value = segment.substr(eq + 3);
    } else if (!key.empty()) {
      value += "; ";
      value += segment;
    }
    if (end == std::string_view::npos) break;
    message.remove_prefix(end + 2);
  }
  flush();
}

// resolve_time picks the event time (docs/windows-mapping.md, "Time"): Sysmon UtcTime, then
// Winlogbeat @timestamp, then NXLog EventTime shifted by the zone offset that @timestamp −
// EventReceivedTime reveals, then any zoned time, then a local time read as UTC.
void resolve_time(const json& object, bool nested, WindowsRecord& record) {
  auto text_at = [&](std::string_view path) -> std::optional<wv::ParsedTime> {
    std::string text = first_text(object, {path});
    return text.empty() ? std::nullopt : wv::parse_time(text);
  };
  auto set = [&](wv::UtcMillis t, bool local) {
    record.time_utc = udm::format_rfc3339(t.time_since_epoch().count());
    record.time_is_local = local;
  };
  if (const json* utc = member(record.data, "UtcTime")) {
    if (auto t = wv::parse_time(utc->get<std::string>())) {
      // The local time of the same moment, when the record has one without a zone, tells the
      // host's UTC offset (learned by LocalTimeZones, applied to the host's zone-less records).
      for (std::string_view path : {"TimeCreated", "EventTime"}) {
        if (auto local = text_at(path); local && !local->zoned) {
          record.local_time = udm::format_rfc3339(local->t.time_since_epoch().count());
          break;
        }
      }
      return set(t->t, false);
    }
  }
  auto timestamp = text_at("@timestamp");
  if (nested && timestamp && timestamp->zoned) return set(timestamp->t, false);
  auto event_time = text_at("EventTime");
  if (event_time && event_time->zoned) return set(event_time->t, false);
  auto received = text_at("EventReceivedTime");
  if (event_time && received && !received->zoned && timestamp && timestamp->zoned) {
    // local − UTC, rounded to a quarter hour (all real zone offsets are multiples of 15 min).
    if (auto offset = wv::quarter_hour_offset(received->t - timestamp->t, kMaxShipDelay))
      return set(event_time->t - *offset, false);
  }
  if (timestamp && timestamp->zoned) return set(timestamp->t, false);
  for (std::string_view path :
       {"TimeCreated", "TimeCreated.SystemTime", "winlog.time_created", "TimeGenerated"}) {
    if (auto t = text_at(path); t && t->zoned) return set(t->t, false);
  }
  for (std::string_view path : {"EventTime", "TimeCreated", "TimeCreated.SystemTime",
                                "TimeGenerated", "@timestamp", "EventReceivedTime"}) {
    if (auto t = text_at(path)) return set(t->t, true);
  }
}

}  // namespace

std::optional<WindowsRecord> parse_windows_record(const json& object, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<WindowsRecord> {
    if (why != nullptr) *why = std::move(message);
    return std::nullopt;
  };
  if (!object.is_object()) return fail("not a Windows event: the record is not a JSON object");
  std::optional<int> id = read_event_id(object);
  if (!id)
    return fail(
        "not a Windows event: no numeric EventID / winlog.event_id (0-65535) in the record");

  WindowsRecord record;
  record.event_id = *id;
  const json* winlog = member(object, "winlog");
  bool nested = winlog != nullptr && winlog->is_object();
  record.channel = first_text(object, {"winlog.channel", "Channel", "channel", "log_name"});
  record.provider =
      first_text(object, {"winlog.provider_name", "SourceName", "ProviderName", "Provider.Name",
                          "Provider", "source_name", "event.provider"});
  if (record.channel.empty() && record.provider.empty())
    return fail("not a Windows event: event id " + std::to_string(*id) +
                " has no Channel / winlog.channel and no provider (SourceName / ProviderName)");
  // A flat `host` string is the collector that shipped the record (Logstash), not the logging
  // host; only the Winlogbeat `host` object names the logging host.
  record.computer = first_text(object, {"winlog.computer_name", "Hostname", "Computer",
                                        "computer_name", "ComputerName", "host.name"});

  // Event data: Winlogbeat keeps it under winlog.event_data / user_data; flat exports put it at
  // the top level (sometimes as an EventData / UserData object).
  copy_scalars(object, record.data, false);
  for (std::string_view path : {"EventData", "UserData", "event_data", "user_data",
                                "winlog.event_data", "winlog.user_data"}) {
    if (const json* part = path_member(object, path)) copy_scalars(*part, record.data, true);
  }
  if (nested) {
    std::string pid = first_text(object, {"winlog.process.pid"});
    if (!pid.empty()) record.data["ExecutionProcessID"] = pid;
  }
  if (wv::lower(record.channel).starts_with("microsoft-windows-wmi-activity") ||
      wv::lower(record.provider) == "microsoft-windows-wmi-activity") {
    std::string message = first_text(object, {"Message", "message"});
    if (!message.empty()) add_message_pairs(message, record.data);
  }
  resolve_time(object, nested, record);
  return record;
}

}  // namespace sim
