// args.cpp — parse_hunt_args (args.hpp).
#include "tools/hunt/args.hpp"

#include <algorithm>
#include <cmath>

#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/scope_hosts.hpp"
#include "udm/query.hpp"

namespace hunt {
namespace {

mcp::Error bad(const std::string& argument, const std::string& why) {
  return mcp::Error{kInvalidArgument, argument + ": " + why};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

const std::vector<std::string>& known_arguments() {
  static const std::vector<std::string> names = {
      "time_frame_hours",     "start_time", "end_time",    "target_scope_query",
      "hunt_hypothesis",      "case_id",    "techniques",  "admin_sources",
      "max_events_per_query", "dry_run",    "wait_seconds"};
  return names;
}

// integer_in reads an optional integer argument within [low, high].
mcp::Result<int> integer_in(const Json& args, const char* name, int low, int high, int fallback) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return fallback;
  const std::string range = " from " + std::to_string(low) + " to " + std::to_string(high);
  bool integral = it->is_number_integer() ||
                  (it->is_number_float() && std::floor(it->get<double>()) == it->get<double>());
  if (!integral) return bad(name, "must be an integer" + range + " (got " + it->dump() + ")");
  const double value = it->get<double>();
  if (value < low || value > high) {
    return bad(name, "must be an integer" + range + " (got " + it->dump() + ")");
  }
  return static_cast<int>(value);
}

mcp::Result<std::string> text(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::string();
  if (!it->is_string()) return bad(name, "must be a string");
  return it->get<std::string>();
}

mcp::Result<std::vector<std::string>> texts(const Json& args, const char* name) {
  std::vector<std::string> out;
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return out;
  if (!it->is_array()) return bad(name, "must be an array of strings");
  for (const auto& item : *it) {
    if (!item.is_string())
      return bad(name, "must be an array of strings (got " + item.dump() + ")");
    std::string value = trimmed(item.get<std::string>());
    if (value.empty()) return bad(name, "must not contain empty strings");
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(std::move(value));
  }
  return out;
}

mcp::Status parse_scope(const Json& args, HuntArgs& out) {
  auto scope = text(args, "target_scope_query");
  if (!scope) return scope.error();
  const std::string fragment = trimmed(*scope);
  if (fragment.empty()) return mcp::Ok{};
  auto parsed = udm::parse(fragment);
  if (!parsed) {
    return bad("target_scope_query", "not a valid UDM Search expression " +
                                         parsed.error().describe() +
                                         ". Give field comparisons joined by AND/OR/NOT, e.g. "
                                         "principal.hostname = \"server1\"");
  }
  if (auto widened = widen_scope_hosts(parsed.value())) {
    out.target_scope_query = std::move(widened->text);
    out.scope = std::move(widened->query);
    out.scope_note = "host names in the scope match the short name or any FQDN, in any case: ";
    for (std::size_t i = 0; i < widened->widened.size(); ++i) {
      out.scope_note += (i ? "; " : "") + widened->widened[i];
    }
    return mcp::Ok{};
  }
  out.target_scope_query = udm::to_string(parsed.value());
  out.scope = std::move(parsed).value();
  return mcp::Ok{};
}

mcp::Status parse_time_range(const Json& args, const HuntSettings& settings, HuntArgs& out) {
  auto start = text(args, "start_time");
  auto end = text(args, "end_time");
  if (!start) return start.error();
  if (!end) return end.error();
  if (start->empty() && end->empty()) return mcp::Ok{};
  if (start->empty()) return bad("end_time", "needs start_time as well");
  auto from = parse_time(*start);
  if (!from) return bad("start_time", "must be RFC 3339, e.g. 2025-05-01T00:00:00Z");
  std::optional<std::int64_t> to = hunt_now(settings);
  if (!end->empty()) to = parse_time(*end);
  if (!to) return bad("end_time", "must be RFC 3339, e.g. 2025-05-04T00:00:00Z");
  if (*to <= *from) return bad("end_time", "must be after start_time");
  const std::int64_t hours = (*to - *from + 3599) / 3600;
  if (hours > kMaxTimeFrameHours) {
    return bad("start_time",
               "the range must not exceed " + std::to_string(kMaxTimeFrameHours) + " hours");
  }
  out.start_time = format_time(*from);
  out.end_time = format_time(*to);
  out.time_frame_hours = static_cast<int>(hours);
  return mcp::Ok{};
}

}  // namespace

mcp::Result<HuntArgs> parse_hunt_args(const Json& arguments, const HuntSettings& settings) {
  if (!arguments.is_object()) return bad("arguments", "must be a JSON object");
  for (const auto& [key, value] : arguments.items()) {
    const auto& known = known_arguments();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return bad(key, "is not an argument of lateral_movement_hunt (valid: " + joined(known) + ")");
    }
  }
  HuntArgs out;
  auto hours = integer_in(arguments, "time_frame_hours", 1, kMaxTimeFrameHours, 72);
  if (!hours) return hours.error();
  out.time_frame_hours = *hours;
  if (auto range = parse_time_range(arguments, settings, out); !range) return range.error();
  if (auto scope = parse_scope(arguments, out); !scope) return scope.error();

  auto hypothesis = text(arguments, "hunt_hypothesis");
  if (!hypothesis) return hypothesis.error();
  if (hypothesis->size() > kMaxHypothesisBytes) {
    return bad("hunt_hypothesis",
               "must be at most " + std::to_string(kMaxHypothesisBytes) + " bytes");
  }
  out.hunt_hypothesis = trimmed(*hypothesis);
  auto case_id = text(arguments, "case_id");
  if (!case_id) return case_id.error();
  out.case_id = trimmed(*case_id);

  auto techniques = texts(arguments, "techniques");
  if (!techniques) return techniques.error();
  const auto& families = all_families();
  for (const auto& t : *techniques) {
    if (std::find(families.begin(), families.end(), t) == families.end()) {
      return bad("techniques",
                 "unknown technique family '" + t + "' (valid: " + joined(families) + ")");
    }
  }
  // Keep the catalog's family order whatever order the caller used.
  for (const auto& f : families) {
    if (techniques->empty() ||
        std::find(techniques->begin(), techniques->end(), f) != techniques->end()) {
      out.techniques.push_back(f);
    }
  }

  auto admin = texts(arguments, "admin_sources");
  if (!admin) return admin.error();
  out.admin_sources = settings.admin_sources;
  for (auto& a : *admin) {
    if (std::find(out.admin_sources.begin(), out.admin_sources.end(), a) ==
        out.admin_sources.end()) {
      out.admin_sources.push_back(std::move(a));
    }
  }

  const int default_max = std::clamp(settings.max_events_per_query, 1, kMaxEventsPerQueryLimit);
  auto max_events =
      integer_in(arguments, "max_events_per_query", 1, kMaxEventsPerQueryLimit, default_max);
  if (!max_events) return max_events.error();
  out.max_events_per_query = *max_events;

  if (auto it = arguments.find("dry_run"); it != arguments.end() && !it->is_null()) {
    if (!it->is_boolean()) return bad("dry_run", "must be true or false");
    out.dry_run = it->get<bool>();
  }
  out.wait_seconds = kDefaultWaitSeconds;
  if (auto it = arguments.find("wait_seconds"); it != arguments.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > kMaxWaitSeconds) {
      return bad("wait_seconds", "must be a number from 0 to 3600 (got " + it->dump() + ")");
    }
    out.wait_seconds = it->get<double>();
  }
  return out;
}

}  // namespace hunt
