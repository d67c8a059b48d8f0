// secops_text_tools.cpp — secops-mcp's text-returning tools (downstream-servers.md §4.4):
// lookup_entity (from the event store), get_threat_intel (sim/threat_knowledge),
// get_ioc_matches (IOC store × event store) and get_security_alerts (the case store's alerts,
// JSON-encoded as the real tool does).
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "sim/server/entity_summary.hpp"
#include "sim/server/fastmcp.hpp"
#include "sim/server/sim_tools.hpp"
#include "sim/server/time_window.hpp"
#include "sim/threat_knowledge.hpp"
#include "udm/query.hpp"

namespace sim {

namespace {

using fastmcp::Json;
using fastmcp::Kind;
using fastmcp::Param;

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// seen reports whether any event in range mentions value in an entity field, or (for domains and
// URLs) in the DNS question or URL fields.
bool seen(const EventStore& store, IocType type, const std::string& value, const TimeRange& range) {
  if (!store.events_for_entity(value, range, 1).events.empty()) return true;
  std::string query;
  if (type == IocType::kDomain) {
    query = "network.dns.questions.name = " + quote(value) +
            " nocase OR target.hostname = " + quote(value) + " nocase";
  } else if (type == IocType::kUrl) {
    query = "target.url = " + quote(value);
  }
  if (query.empty()) return false;
  auto parsed = udm::parse(query);
  return parsed && !store.search(parsed.value(), range, 1).events.empty();
}

// indicator returns the artifactIndicator key and value under which Chronicle reports a match.
std::pair<std::string, std::string> indicator(const EventStore& store, const Json& ioc,
                                              const TimeRange& range) {
  const std::string type = ioc.value("type", "");
  const std::string id = ioc.value("id", "");
  if (type == "ip_address") return {"destinationIpAddress", id};
  if (type == "domain") return {"domainName", id};
  if (type == "url") return {"url", ioc.value("attributes", Json::object()).value("url", id)};
  const Json attributes = ioc.value("attributes", Json::object());
  for (const auto& [field, key] : std::vector<std::pair<const char*, const char*>>{
           {"sha256", "hashSha256"}, {"md5", "hashMd5"}, {"sha1", "hashSha1"}}) {
    const std::string value = attributes.value(field, std::string());
    if (!value.empty() && seen(store, IocType::kFile, value, range)) return {key, value};
  }
  return {"hashSha256", id};
}

std::string ioc_matches(const SimContext& ctx, const Json& args) {
  const TimeRange range = hours_back_window(args, ctx.clock.now());
  const auto max = static_cast<std::size_t>(
      std::max<long long>(0, fastmcp::integer_or(args, "max_matches", 20)));
  std::vector<std::string> blocks;
  if (ctx.iocs != nullptr) {
    for (const Json& ioc : ctx.iocs->all()) {
      if (blocks.size() >= max) break;
      if (!is_flagged(ioc)) continue;
      const std::string type = ioc.value("type", "");
      const IocType t = type == "ip_address" ? IocType::kIp
                        : type == "domain"   ? IocType::kDomain
                        : type == "url"      ? IocType::kUrl
                                             : IocType::kFile;
      auto [key, value] = indicator(*ctx.events, ioc, range);
      if (!seen(*ctx.events, t, value, range)) continue;
      std::string sources;
      const Json attributes = ioc.value("attributes", Json::object());
      if (attributes.contains("sources") && attributes["sources"].is_array()) {
        for (const auto& s : attributes["sources"]) {
          if (s.is_string()) sources += (sources.empty() ? "" : ", ") + s.get<std::string>();
        }
      }
      if (sources.empty()) sources = "Local IOC file";
      blocks.push_back("IoC " + std::to_string(blocks.size() + 1) + ":\nType: " + key +
                       "\nValue: " + value + "\nSources: " + sources + "\n\n");
    }
  }
  if (blocks.empty()) return "No IoC matches found for the specified time range.";
  std::string out = "Found " + std::to_string(blocks.size()) + " IoC matches:\n\n";
  for (const auto& b : blocks) out += b;
  return out;
}

// StatusFilter is the one form of status_filter lmhunt-sim understands:
// feedback_summary.status (=|!=) "VALUE" (or empty: no filter).
struct StatusFilter {
  bool any = true;
  bool equal = false;
  std::string value;
  bool keeps(const std::string& status) const {
    if (any) return true;
    const bool same = std::equal(status.begin(), status.end(), value.begin(), value.end(),
                                 [](char a, char b) { return std::toupper(a) == std::toupper(b); });
    return equal == same;
  }
};

std::optional<StatusFilter> parse_status_filter(const std::string& text) {
  StatusFilter f;
  if (text.find_first_not_of(" \t") == std::string::npos) return f;
  static const std::regex kForm(
      R"(^\s*feedback_summary\.status\s*(!=|=)\s*["']([A-Za-z_]+)["']\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, kForm)) return std::nullopt;
  f.any = false;
  f.equal = m[1].str() == "=";
  f.value = m[2].str();
  return f;
}

std::string security_alerts(const SimContext& ctx, const Json& args) {
  const std::string filter_text = fastmcp::string_or(args, "status_filter", kDefaultStatusFilter);
  auto filter = parse_status_filter(filter_text);
  if (!filter) {
    return "Error retrieving security alerts: unsupported status_filter '" + filter_text +
           "' (lmhunt-sim understands feedback_summary.status = \"X\" or != \"X\")";
  }
  const TimeRange range = hours_back_window(args, ctx.clock.now());
  const auto max =
      static_cast<std::size_t>(std::max<long long>(0, fastmcp::integer_or(args, "max_alerts", 10)));
  std::vector<Json> chosen;
  if (ctx.cases != nullptr) {
    auto alerts = ctx.cases->all_alerts();
    if (!alerts) return "Error retrieving security alerts: " + alerts.error().message;
    for (const Json& a : alerts.value()) {
      if (chosen.size() >= max) break;
      auto when = alert_time(a);
      if (!when || *when < *range.start || *when > *range.end) continue;
      if (filter->keeps(alert_field(a, {"status"}, "OPEN"))) chosen.push_back(a);
    }
  }
  if (chosen.empty()) return "No security alerts found for the specified time range.";
  std::string out = "Found " + std::to_string(chosen.size()) + " security alerts:\n\n";
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const Json& a = chosen[i];
    out += "Alert " + std::to_string(i + 1) + ":\n";
    if (a.contains("id")) {
      out +=
          "Alert ID: " + (a["id"].is_string() ? a["id"].get<std::string>() : a["id"].dump()) + "\n";
    }
    out += "Rule: " + alert_field(a, {"ruleName", "name"}, "Unknown Rule") + "\n";
    out += "Created: " + alert_field(a, {"createdTime", "creationTime", "createTime"}, "Unknown") +
           "\n";
    out += "Status: " + alert_field(a, {"status"}, "Unknown") + "\n";
    out += "Verdict: " + alert_field(a, {"verdict"}, "Unknown") + "\n";
    out += "Severity: " + alert_field(a, {"severityDisplay", "severity"}, "Unknown") + "\n";
    if (a.contains("caseName")) out += "Associated Case: " + a.value("caseName", "") + "\n";
    out += "\n";
  }
  // The real tool returns json.dumps(text): a quoted, escaped JSON string (ensure_ascii).
  return Json(out).dump(-1, ' ', true);
}

Param pcr(const char* name) {
  return Param{name, Kind::kString, false, true};
}

Param integer(const char* name, long long fallback, const char* description) {
  Param p{name, Kind::kInteger};
  p.default_value = fallback;
  p.description = description;
  return p;
}

}  // namespace

mcp::Status add_secops_text_tools(mcp::Server& server, const SimContext& ctx, Faults& faults) {
  if (ctx.events == nullptr) return mcp::Error{-32603, "secops-mcp tools need an event store"};
  Param status{"status_filter", Kind::kString};
  status.default_value = kDefaultStatusFilter;
  status.description = "Query string to filter alerts by status.";
  struct Def {
    const char* name;
    const char* description;
    std::vector<Param> params;
    std::function<std::string(const Json&)> run;
  };
  const std::vector<Def> defs = {
      {"lookup_entity",
       "Look up an entity (IP, hostname, user, hash) in Chronicle SIEM: type, first/last seen, "
       "related entities, associated alerts and event counts within hours_back.",
       {{"entity_value", Kind::kString, true},
        pcr("project_id"),
        pcr("customer_id"),
        integer("hours_back", 24, "How many hours of data to consider."),
        pcr("region")},
       [&ctx](const Json& args) { return summarize_entity(ctx, args); }},
      {"get_threat_intel",
       "Get an answer to a security or threat-intelligence question (MITRE ATT&CK techniques, "
       "tools, detection ideas).",
       {{"query", Kind::kString, true}, pcr("project_id"), pcr("customer_id"), pcr("region")},
       [](const Json& args) {
         return answer_threat_question(fastmcp::string_or(args, "query", ""));
       }},
      {"get_ioc_matches",
       "Get Indicators of Compromise (IoCs) from threat intelligence feeds that matched events in "
       "Chronicle within hours_back.",
       {pcr("project_id"), pcr("customer_id"),
        integer("hours_back", 24, "How many hours back to look for IoC matches."),
        integer("max_matches", 20, "Maximum number of IoC matches to return."), pcr("region")},
       [&ctx](const Json& args) { return ioc_matches(ctx, args); }},
      {"get_security_alerts",
       "Get security alerts directly from Chronicle SIEM (returned as a JSON-encoded string).",
       {pcr("project_id"), pcr("customer_id"),
        integer("hours_back", 24, "How many hours to look back for alerts."),
        integer("max_alerts", 10, "Maximum number of alerts to return."), status, pcr("region")},
       [&ctx](const Json& args) { return security_alerts(ctx, args); }},
  };
  for (const auto& d : defs) {
    auto tool = fastmcp::make_tool(d.name, d.description, fastmcp::input_schema(d.name, d.params),
                                   fastmcp::str_output_schema(d.name));
    auto run = d.run;
    auto handler = [run](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
      return fastmcp::str_result(run(args));
    };
    if (auto added = server.add_tool(std::move(tool), faults.wrap(d.name, false, handler));
        !added) {
      return added;
    }
  }
  return mcp::Ok{};
}

}  // namespace sim
