// profiles.cpp — canned SecOps tools for lmhunt_fake_server: secops-mcp, gti-mcp, secops-soar
// and remote-server names, encoded the way those servers encode results
// (../shared/reference/downstream-servers.md §3), with answers that depend on the arguments.
#include <map>
#include <mutex>
#include <vector>

#include "fake_server.hpp"

namespace fake {
namespace {

using mcp::Json;
using mcp::Result;
using mcp::ToolResult;

State* g_state = nullptr;

// dict_result: FastMCP's Dict / str encoding (text block + structuredContent.result).
ToolResult dict_result(const Json& value) {
  ToolResult r = ToolResult::text(value.is_string() ? value.get<std::string>() : value.dump(2));
  if (!g_state->flags.no_structured) r.structured = {{"result", value}};
  return r;
}

// soar_result: secops-soar's bare-dict encoding (one text block, no structuredContent).
ToolResult soar_result(const Json& value) {
  return ToolResult::text(value.dump());
}

ToolResult list_result(const Json& items) {
  ToolResult r;
  for (const auto& item : items) r.add_text(item.dump(2));
  if (!g_state->flags.no_structured) r.structured = {{"result", items}};
  return r;
}

Json events_for(const std::string& query, std::size_t max) {
  Json all = Json::array();
  for (int i = 5; i >= 1; --i) {  // newest first, as a search may answer
    const std::string host = "WKS0" + std::to_string(i);
    if (query.find("NOMATCH") != std::string::npos) break;
    if (query.find("hostname = \"WKS0") != std::string::npos &&
        query.find("\"" + host + "\"") == std::string::npos)
      continue;
    all.push_back({{"name", "projects/p/events/" + std::to_string(i)},
                   {"udm",
                    {{"metadata",
                      {{"event_type", "PROCESS_LAUNCH"},
                       {"event_timestamp", "2026-05-01T10:0" + std::to_string(i) + ":00Z"}}},
                     {"principal", {{"hostname", host}}}}}});
  }
  Json page = Json::array();
  for (std::size_t i = 0; i < all.size() && i < max; ++i) page.push_back(all[i]);
  return {
      {"events", page}, {"total_events", page.size()}, {"more_data_available", all.size() > max}};
}

std::size_t max_from(const Json& args, const char* key) {
  return args.contains(key) ? args[key].get<std::size_t>() : 10000;  // the real default
}

// ---- SOAR state ------------------------------------------------------------------------------

struct Case {
  std::string id, name, status, priority = "PriorityMedium";
  std::vector<std::string> comments;
};

std::mutex g_cases_mu;
std::map<std::string, Case> g_cases = [] {
  std::map<std::string, Case> cases;
  for (int i = 101; i <= 105; ++i) {
    const std::string id = std::to_string(i);
    cases[id] = {id,
                 "Case " + id + " lateral movement on WKS0" + std::to_string(i - 100),
                 i % 2 ? "Opened" : "Closed",
                 "PriorityMedium",
                 {}};
  }
  return cases;
}();
bool g_post_once_done = false;

Json case_json(const Case& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.name},
          {"priority", c.priority},
          {"status", c.status}};
}

Json comments_json(const Case& c) {
  Json out = Json::array();
  for (const auto& text : c.comments) out.push_back({{"comment", text}, {"creator", "lmhunt"}});
  return out;
}

Result<ToolResult> list_cases(const Json& args, bool remote) {
  std::lock_guard lock(g_cases_mu);
  Json all = Json::array();
  for (const auto& [id, c] : g_cases) all.push_back(case_json(c));
  const auto& format = g_state->flags.cases_format;
  if (format == "array" && !remote) return soar_result(all);
  const std::string token = args.value(remote ? "page_token" : "next_page_token", std::string());
  const std::size_t start = token.empty() ? 0 : std::stoul(token.substr(1));
  Json page = Json::array();
  for (std::size_t i = start; i < all.size() && i < start + 2; ++i) page.push_back(all[i]);
  Json out{{"cases", page}};
  std::string next = start + 2 < all.size() ? "p" + std::to_string(start + 2) : "";
  if (g_state->flags.page_token_loop) next = "p2";
  if (!next.empty()) out[format == "camel" || remote ? "nextPageToken" : "next_page_token"] = next;
  return remote ? dict_result(out) : soar_result(out);
}

Result<ToolResult> post_comment(const Json& args, mcp::ToolContext& ctx, bool remote) {
  std::unique_lock lock(g_cases_mu);
  auto it = g_cases.find(args.value("case_id", ""));
  if (it == g_cases.end()) return ToolResult{};  // secops-soar's silent failure
  const bool first = !g_post_once_done;
  g_post_once_done = true;
  if (first && g_state->flags.post_lose_once) return ToolResult{};
  it->second.comments.push_back(args.value("comment", ""));
  Json answer{{"id", it->second.comments.size()}, {"comment", args.value("comment", "")}};
  lock.unlock();
  if (first && g_state->flags.post_hang_once) {
    wait_until_cancelled(ctx);
    return ToolResult::text("cancelled");
  }
  return remote ? dict_result(answer) : soar_result(answer);
}

Result<ToolResult> set_priority(const std::string& id, const std::string& priority, bool remote) {
  std::lock_guard lock(g_cases_mu);
  auto it = g_cases.find(id);
  if (it == g_cases.end() || priority.rfind("Priority", 0) != 0) return ToolResult{};
  it->second.priority = priority;
  return remote ? dict_result(case_json(it->second)) : soar_result(case_json(it->second));
}

// ---- registration ----------------------------------------------------------------------------

struct Def {
  std::string name;
  Json properties;  // inputSchema properties; empty → {"type":"object"} only
  std::vector<std::string> required;
  std::function<Result<ToolResult>(const Json&, mcp::ToolContext&)> answer;
};

void add(mcp::Server& server, State& s, Def def) {
  for (const auto& hidden : s.flags.hidden_tools)
    if (hidden == def.name) return;
  mcp::Tool tool;
  tool.name = def.name;
  tool.description = "fake " + s.flags.profile + " tool";
  tool.input_schema = {{"type", "object"}};
  if (!def.properties.empty()) tool.input_schema["properties"] = def.properties;
  if (!def.required.empty()) tool.input_schema["required"] = def.required;
  Canned canned = def.answer;
  (void)server.add_tool(tool,
                        [&s, name = def.name, canned](const Json& args, mcp::ToolContext& ctx) {
                          return run_tool(s, name, args, ctx, canned);
                        });
}

std::string str(const Json& args, const char* key) {
  return args.value(key, std::string());
}

void add_secops(mcp::Server& server, State& s) {
  add(server, s, {"search_udm", {}, {}, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
                    if (g_state->flags.in_band_error)
                      return dict_result(
                          {{"error", "Error parsing date format: bad"}, {"events", Json::array()}});
                    return dict_result(events_for(str(a, "query"), max_from(a, "max_events")));
                  }});
  add(server, s,
      {"search_security_events",
       {},
       {},
       [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         if (g_state->flags.in_band_error)
           return dict_result({{"udm_query", nullptr},
                               {"events",
                                {{"error", "Error translating query: model busy"},
                                 {"events", Json::array()},
                                 {"total_events", 0}}}});
         const std::string q = "principal.hostname = \"" + str(a, "text") + "\"";
         return dict_result(
             {{"udm_query", q}, {"events", events_for(q, max_from(a, "max_events"))}});
       }});
  add(server, s,
      {"lookup_entity", {}, {}, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         const std::string v = str(a, "entity_value");
         if (v.find("unknown") != std::string::npos)
           return dict_result("No information found for entity: " + v);
         if (v.find("broken") != std::string::npos)
           return dict_result("Error looking up entity: backend said no");
         return dict_result(
             "Entity Summary for " + v + ":\n\nPrimary Entity:\n" +
             "Entity Type: ASSET\nhours_back: " + std::to_string(a.value("hours_back", 24)));
       }});
  add(server, s,
      {"get_threat_intel", {}, {}, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         const std::string q = str(a, "query");
         if (q.find("fail") != std::string::npos)
           return dict_result("Error retrieving threat intelligence: quota");
         return dict_result("Answer about: " + q);
       }});
  add(server, s,
      {"get_ioc_matches", {}, {}, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         return dict_result(
             "Found 1 IoC matches:\n\nIoC 1:\nType: IP\nValue: 203.0.113.66\n"
             "max_matches: " +
             std::to_string(a.value("max_matches", 20)));
       }});
}

void add_gti(mcp::Server& server, State& s) {
  const std::pair<const char*, const char*> reports[] = {{"get_ip_address_report", "ip_address"},
                                                         {"get_domain_report", "domain"},
                                                         {"get_file_report", "hash"},
                                                         {"get_url_report", "url"}};
  for (const auto& [tool, key] : reports) {
    add(server, s,
        {tool,
         {},
         {},
         [key = std::string(key)](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
           const std::string v = str(a, key.c_str());
           if (g_state->flags.in_band_error)
             return dict_result({{"error", "An unexpected internal error occurred."}});
           if (v.empty() || v.find("unknown") != std::string::npos)
             return dict_result({{"error", "VirusTotal API Error: NotFoundError - not found"},
                                 {"details", "The requested " + key + " '" + v +
                                                 "' could not be found or there was an issue with "
                                                 "the API request."}});
           return dict_result({{"type", key},
                               {"id", v},
                               {"attributes",
                                {{"last_analysis_stats", {{"malicious", 3}, {"harmless", 60}}},
                                 {"reputation", -12}}}});
         }});
  }
  add(server, s,
      {"search_iocs", {}, {}, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         return list_result(
             Json::array({{{"id", str(a, "query") + "-1"}}, {{"id", str(a, "query") + "-2"}}}));
       }});
}

void add_soar(mcp::Server& server, State& s) {
  add(server, s, {"list_cases", {}, {}, [](const Json& a, mcp::ToolContext&) {
                    return list_cases(a, false);
                  }});
  add(server, s,
      {"get_case_full_details", {}, {}, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         std::lock_guard lock(g_cases_mu);
         auto it = g_cases.find(str(a, "case_id"));
         if (it == g_cases.end()) return ToolResult{};
         return soar_result({{"case_details:", case_json(it->second)},
                             {"case_alerts", Json::array({{{"id", "alert-1"}}})},
                             {"case_comments", comments_json(it->second)}});
       }});
  add(server, s, {"post_case_comment", {}, {}, [](const Json& a, mcp::ToolContext& ctx) {
                    return post_comment(a, ctx, false);
                  }});
  add(server, s, {"change_case_priority", {}, {}, [](const Json& a, mcp::ToolContext&) {
                    return set_priority(str(a, "case_id"), str(a, "case_priority"), false);
                  }});
}

void add_remote(mcp::Server& server, State& s) {
  const Json pcr{{"project_id", {{"type", "string"}}},
                 {"customer_id", {{"type", "string"}}},
                 {"region", {{"type", "string"}}}};
  const std::vector<std::string> need = {"project_id", "customer_id", "region"};
  auto with = [&](Json props) {
    props.update(pcr);
    return props;
  };
  const Json str_t{{"type", "string"}}, int_t{{"type", "integer"}};
  add(server, s,
      {"udm_search",
       with({{"query", str_t}, {"start_time", str_t}, {"end_time", str_t}, {"limit", int_t}}), need,
       [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         if (!a.contains("start_time") || !a.contains("end_time"))
           return ToolResult::error("Error executing tool udm_search: time range required");
         return dict_result(events_for(str(a, "query"), max_from(a, "limit")));
       }});
  add(server, s,
      {"translate_udm_query", with({{"text", str_t}}), need,
       [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         return dict_result({{"query", "principal.hostname = \"" + str(a, "text") + "\""}});
       }});
  add(server, s,
      {"summarize_entity", with({{"value", str_t}, {"start_time", str_t}, {"end_time", str_t}}),
       need, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         return dict_result({{"summary", "Remote summary for " + str(a, "value")}});
       }});
  add(server, s,
      {"get_ioc_match", with({{"start_time", str_t}, {"end_time", str_t}, {"page_size", int_t}}),
       need, [](const Json&, mcp::ToolContext&) -> Result<ToolResult> {
         return dict_result({{"matches", Json::array()}});
       }});
  add(server, s,
      {"list_cases", with({{"page_token", str_t}}), need,
       [](const Json& a, mcp::ToolContext&) { return list_cases(a, true); }});
  add(server, s,
      {"get_case", with({{"case_id", str_t}}), need,
       [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         std::lock_guard lock(g_cases_mu);
         auto it = g_cases.find(str(a, "case_id"));
         if (it == g_cases.end())
           return ToolResult::error("Error executing tool get_case: 404 NOT_FOUND");
         Json c = case_json(it->second);
         c["displayName"] = c["name"];
         return dict_result(c);
       }});
  add(server, s,
      {"list_case_alerts", with({{"case_id", str_t}}), need,
       [](const Json&, mcp::ToolContext&) -> Result<ToolResult> {
         return dict_result({{"alerts", Json::array({{{"id", "remote-alert-1"}}})}});
       }});
  add(server, s,
      {"list_case_comments", with({{"case_id", str_t}}), need,
       [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         std::lock_guard lock(g_cases_mu);
         auto it = g_cases.find(str(a, "case_id"));
         Json comments = Json::array();
         if (it != g_cases.end())
           for (const auto& t : it->second.comments) comments.push_back({{"comment_text", t}});
         return dict_result({{"comments", comments}});
       }});
  add(server, s,
      {"create_case_comment", with({{"case_id", str_t}, {"comment_text", str_t}}), need,
       [](Json a, mcp::ToolContext& ctx) {
         a["comment"] = a.value("comment_text", "");
         return post_comment(a, ctx, true);
       }});
  add(server, s,
      {"update_case", with({{"case_id", str_t}, {"priority", str_t}}), need,
       [](const Json& a, mcp::ToolContext&) {
         return set_priority(str(a, "case_id"), str(a, "priority"), true);
       }});
  add(server, s,
      {"create_case", with({{"display_name", str_t}, {"description", str_t}, {"priority", str_t}}),
       need, [](const Json& a, mcp::ToolContext&) -> Result<ToolResult> {
         std::lock_guard lock(g_cases_mu);
         const std::string id = std::to_string(101 + g_cases.size());
         Case c{id, str(a, "display_name"), "Opened", str(a, "priority"), {}};
         g_cases[id] = c;
         Json out = case_json(c);
         out["description"] = str(a, "description");
         return dict_result(out);
       }});
}

}  // namespace

std::string server_name(const std::string& profile) {
  if (profile == "gti") return "Google Threat Intelligence MCP server";
  if (profile == "soar") return "SecOps SOAR";
  if (profile == "remote") return "Google SecOps remote MCP server (fake)";
  if (profile == "all") return "lmhunt fake SecOps (all roles)";
  return "Google Security Operations MCP server";
}

void wait_until_cancelled(mcp::ToolContext& ctx) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, ctx.stop_token(), std::chrono::hours(24), [] { return false; });
}

void add_profile_tools(mcp::Server& server, State& s) {
  g_state = &s;
  const auto& p = s.flags.profile;
  if (p == "secops" || p == "all") add_secops(server, s);
  if (p == "gti" || p == "all") add_gti(server, s);
  if (p == "soar" || p == "all") add_soar(server, s);
  if (p == "remote") add_remote(server, s);
}

}  // namespace fake
