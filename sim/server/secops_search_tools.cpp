// secops_search_tools.cpp — secops-mcp's search_udm and search_security_events over the event
// store (downstream-servers.md §4.2, §4.3). Both return Dict results with in-band errors.
#include <algorithm>
#include <string>

#include "sim/nl_translate.hpp"
#include "sim/server/fastmcp.hpp"
#include "sim/server/sim_tools.hpp"
#include "sim/server/time_window.hpp"
#include "udm/query.hpp"

namespace sim {

namespace {

using fastmcp::Json;
using fastmcp::Kind;
using fastmcp::Param;

// kMaxEvents is Chronicle's cap on one UDM search (the API coerces larger limits to it), and the
// SDK's default when max_events is None.
constexpr long long kMaxEvents = 10000;

Param optional_string(const char* name, const char* description = "") {
  Param p{name, Kind::kString, false, true};
  p.description = description;
  return p;
}

Param hours_back() {
  Param p{"hours_back", Kind::kInteger};
  p.default_value = 24;
  p.description = "How many hours to look back when start_time is not given.";
  return p;
}

// run_search evaluates query over the store and shapes the SDK's result dict.
Json run_search(const EventStore& store, const udm::Query& query, const TimeRange& range,
                long long max_events) {
  const auto limit = static_cast<std::size_t>(std::clamp<long long>(max_events, 1, kMaxEvents));
  SearchResult found = store.search(query, range, limit);
  Json events = Json::array();
  for (const Json* e : found.events) {
    events.push_back({{"name", store.event_name(e)}, {"udm", *e}});
  }
  const auto total = events.size();
  return {{"events", std::move(events)},
          {"total_events", total},
          {"more_data_available", found.more_data_available}};
}

std::string invalid_query(const udm::ParseError& e) {
  return "Chronicle API request failed: invalid UDM query: " + e.describe();
}

mcp::Result<mcp::ToolResult> search_udm(const SimContext& ctx, const Json& args) {
  auto range = time_window(args, ctx.clock.now());
  if (!range)
    return fastmcp::dict_result({{"error", range.error().message}, {"events", Json::array()}});
  auto parsed = udm::parse(fastmcp::string_or(args, "query", ""));
  if (!parsed) {
    return fastmcp::dict_result(
        {{"error", invalid_query(parsed.error())}, {"events", Json::array()}});
  }
  const long long max = fastmcp::integer_or(args, "max_events", kMaxEvents);
  return fastmcp::dict_result(run_search(*ctx.events, parsed.value(), range.value(), max));
}

mcp::Result<mcp::ToolResult> search_security_events(const SimContext& ctx, const Json& args) {
  auto failed = [](const std::string& message) {
    return fastmcp::dict_result(
        {{"udm_query", nullptr},
         {"events", {{"error", message}, {"events", Json::array()}, {"total_events", 0}}}});
  };
  auto range = time_window(args, ctx.clock.now());
  if (!range) return failed(range.error().message);
  auto translated = translate_to_udm(fastmcp::string_or(args, "text", ""));
  if (!translated) return failed(translated.error().message);
  auto parsed = udm::parse(translated.value());
  if (!parsed) return failed(invalid_query(parsed.error()));
  const long long max = fastmcp::integer_or(args, "max_events", 100);
  return fastmcp::dict_result(
      {{"udm_query", translated.value()},
       {"events", run_search(*ctx.events, parsed.value(), range.value(), max)}});
}

}  // namespace

mcp::Status add_secops_search_tools(mcp::Server& server, const SimContext& ctx, Faults& faults) {
  if (ctx.events == nullptr) return mcp::Error{-32603, "secops-mcp tools need an event store"};
  Param max_udm{"max_events", Kind::kInteger, false, true};
  max_udm.description = "Maximum events to return (None = 10000, Chronicle's cap).";
  Param max_nl{"max_events", Kind::kInteger};
  max_nl.default_value = 100;
  max_nl.description = "Maximum events to return.";
  auto pcr = [](const char* name) { return optional_string(name); };

  auto udm_tool = fastmcp::make_tool(
      "search_udm",
      "Search UDM events in Chronicle with a raw UDM Search query (no natural-language "
      "translation). Returns {events: [{name, udm}], total_events, more_data_available}; "
      "total_events is the number returned, check more_data_available for truncation. Errors "
      "come back in an \"error\" key.",
      fastmcp::input_schema("search_udm",
                            {{"query", Kind::kString, true},
                             hours_back(),
                             optional_string("start_time", "ISO 8601 start of the search."),
                             optional_string("end_time", "ISO 8601 end of the search."),
                             max_udm,
                             pcr("project_id"),
                             pcr("customer_id"),
                             pcr("region")}),
      fastmcp::dict_output_schema());
  auto added = server.add_tool(
      std::move(udm_tool),
      faults.wrap("search_udm", false,
                  [&ctx](const Json& args, mcp::ToolContext&) { return search_udm(ctx, args); }));
  if (!added) return added;

  auto nl_tool = fastmcp::make_tool(
      "search_security_events",
      "Search for security events in Chronicle using natural language. The text is translated "
      "into a UDM query (returned as udm_query; null when translation or the search failed) and "
      "run; results are under events.events, errors under events.error. Inspect udm_query and "
      "broaden the request if nothing is found. Use lowercase for email addresses.",
      fastmcp::input_schema("search_security_events",
                            {{"text", Kind::kString, true},
                             pcr("project_id"),
                             pcr("customer_id"),
                             hours_back(),
                             optional_string("start_time", "ISO 8601 start of the search."),
                             optional_string("end_time", "ISO 8601 end of the search."),
                             max_nl,
                             pcr("region")}),
      fastmcp::dict_output_schema());
  return server.add_tool(
      std::move(nl_tool),
      faults.wrap("search_security_events", false, [&ctx](const Json& args, mcp::ToolContext&) {
        return search_security_events(ctx, args);
      }));
}

mcp::Status add_secops_tools(mcp::Server& server, const SimContext& ctx, Faults& faults) {
  if (auto added = add_secops_search_tools(server, ctx, faults); !added) return added;
  return add_secops_text_tools(server, ctx, faults);
}

}  // namespace sim
