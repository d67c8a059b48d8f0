// soar_tools.cpp — secops-soar's case tools over the SQLite case store (downstream-servers.md §6).
// Like the real server they return bare dicts (one JSON text block, no structuredContent). Where
// the real server would fail silently (content: []) on an HTTP error, lmhunt-sim answers an
// {"error": ...} dict instead, unless --empty-soar asks for the silent failure.
#include <string>
#include <vector>

#include "sim/server/fastmcp.hpp"
#include "sim/server/sim_tools.hpp"

namespace sim {

namespace {

using fastmcp::Json;
using fastmcp::Kind;
using fastmcp::Param;

const std::vector<std::string> kPriorityEnum = {"PriorityUnspecified", "PriorityInfo",
                                                "PriorityLow",         "PriorityMedium",
                                                "PriorityHigh",        "PriorityCritical"};
constexpr const char* kCommentAuthor = "mcp-api";

mcp::ToolResult reply(const mcp::Result<Json>& r) {
  if (!r) return fastmcp::bare_dict_result({{"error", r.error().message}});
  return fastmcp::bare_dict_result(r.value());
}

Param case_id_param() {
  Param p{"case_id", Kind::kString, true};
  p.description = "The ID of the case.";
  return p;
}

Param page_token_param() {
  Param p{"next_page_token", Kind::kString, false, true};
  p.description = "The nextPageToken to fetch the next page of results.";
  return p;
}

struct SoarTool {
  std::string name;
  std::string description;
  std::vector<Param> params;
  mcp::ToolHandler handler;
};

std::vector<SoarTool> soar_tools(const SimContext& ctx) {
  CaseStore& cases = *ctx.cases;
  auto now = [&ctx] { return format_time(ctx.clock.now()); };
  Param comment{"comment", Kind::kString, true};
  comment.description = "The comment we wish to add to the case.";
  Param priority{"case_priority", Kind::kString, true};
  priority.description = "The new priority of the case.";
  priority.enum_values = kPriorityEnum;
  Param name{"name", Kind::kString, false, true};
  name.description = "The name or title of the case.";
  Param title{"title", Kind::kString, false, true};
  title.description = "Alias of name (lmhunt-sim accepts either).";
  Param new_priority{"priority", Kind::kString, false, true};
  new_priority.description = "The priority of the case.";
  new_priority.enum_values = kPriorityEnum;
  Param description{"description", Kind::kString, false, true};
  description.description =
      "A description for the case providing context about the security incident.";
  Param environment{"environment", Kind::kString, false, true};
  environment.description = "The environment for the case.";

  return {
      {"list_cases",
       "List cases available in the Security Orchestration, Automation, and Response (SOAR) "
       "platform. Returns the raw API response: {\"cases\": [...], \"nextPageToken\": ...}; pass "
       "next_page_token to fetch the next page. There are no filters.",
       {page_token_param()},
       [&cases](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
         return reply(cases.list_cases(fastmcp::opt_string(args, "next_page_token")));
       }},
      {"get_case_full_details",
       "Retrieve comprehensive details for a specific case by aggregating its core information, "
       "associated alerts, and comments.",
       {case_id_param()},
       [&cases](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
         const std::string id = fastmcp::string_or(args, "case_id", "");
         auto details = cases.get_case(id);
         if (!details) return reply(details);
         auto alerts = cases.case_alerts(id);
         auto comments = cases.case_comments(id);
         if (!alerts) return reply(alerts);
         if (!comments) return reply(comments);
         // "case_details:" with its trailing colon, exactly as secops-soar 0.1.1 spells it.
         return fastmcp::bare_dict_result({{"case_details:", details.value()},
                                           {"case_alerts", alerts.value()},
                                           {"case_comments", comments.value()}});
       }},
      {"post_case_comment",
       "Post a comment to a specific case within the SOAR platform.",
       {case_id_param(), comment},
       [&cases, now](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
         return reply(cases.add_comment(fastmcp::string_or(args, "case_id", ""),
                                        fastmcp::string_or(args, "comment", ""), kCommentAuthor,
                                        now()));
       }},
      {"change_case_priority",
       "Change the priority of a specific case in the SOAR platform.",
       {case_id_param(), priority},
       [&cases, now](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
         return reply(cases.set_priority(fastmcp::string_or(args, "case_id", ""),
                                         fastmcp::string_or(args, "case_priority", ""), now()));
       }},
      {"create_case",
       "Create a new manual case in the SOAR platform. Returns the created case (with its id). "
       "Give the case a name (or title), optionally a priority, description and environment.",
       {name, new_priority, description, environment, title},
       [&cases, now](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
         std::string case_name = fastmcp::string_or(args, "name", "");
         if (case_name.empty()) case_name = fastmcp::string_or(args, "title", "");
         if (case_name.empty()) {
           return mcp::ToolResult::error(
               "Error executing tool create_case: a case needs a name (or title)");
         }
         return reply(cases.create_case(case_name, fastmcp::string_or(args, "description", ""),
                                        fastmcp::string_or(args, "priority", ""),
                                        fastmcp::string_or(args, "environment", ""), now()));
       }},
  };
}

}  // namespace

mcp::Status add_soar_tools(mcp::Server& server, const SimContext& ctx, Faults& faults) {
  if (ctx.cases == nullptr) return mcp::Error{-32603, "secops-soar tools need a case store"};
  for (auto& t : soar_tools(ctx)) {
    auto tool = fastmcp::make_tool(t.name, t.description, fastmcp::input_schema(t.name, t.params));
    if (auto added = server.add_tool(std::move(tool), faults.wrap(t.name, true, t.handler));
        !added) {
      return added;
    }
  }
  return mcp::Ok{};
}

}  // namespace sim
