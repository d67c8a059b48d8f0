#pragma once
// add_tool<In, Out>: typed tool registration. The schema files in schemas/
// are the source of truth: arguments are validated against tool.input_schema
// before `In` is decoded (nlohmann from_json), and `Out` is encoded (to_json)
// into structuredContent, checked against tool.output_schema, with a text
// block beside it: tool_text(out) when the Out type provides one (found by
// ADL), else the JSON itself.

#include <concepts>
#include <functional>
#include <string>

#include "mcp/server.hpp"

namespace mcp {

template <class T>
concept HasToolText = requires(const T& value) {
  { tool_text(value) } -> std::convertible_to<std::string>;
};

template <class In, class Out>
using TypedToolHandler = std::function<Result<Out>(const In&, ToolContext&)>;

template <class In, class Out>
// NOLINTNEXTLINE(performance-unnecessary-value-param): tool is moved into the Server.
Status add_tool(Server& server, Tool tool, TypedToolHandler<In, Out> handler) {
  auto adapter = [handler = std::move(handler)](const Json& arguments,
                                                ToolContext& ctx) -> Result<ToolResult> {
    In in{};
    try {
      arguments.get_to(in);
    } catch (const Json::exception& e) {
      return ToolResult::error(std::string("Invalid arguments: ") + e.what());
    }
    Result<Out> out = handler(in, ctx);
    if (!out) return out.error();
    ToolResult result;
    result.structured = Json(out.value());
    if constexpr (HasToolText<Out>) {
      result.add_text(tool_text(out.value()));
    } else {
      result.add_text(result.structured.dump(2));
    }
    return result;
  };
  return server.add_tool(std::move(tool), std::move(adapter));
}

}  // namespace mcp
