#pragma once
// bench/echo_tool.hpp: the benchmark's one trivial tool, `echo` {text} → a text
// block with the same text, as lmhunt_bench_server and lmhunt_bench_ceiling
// --answer core register it on an mcp::Server.
#include <string>
#include <utility>

#include "mcp/server.hpp"

namespace bench {

inline mcp::Status add_echo_tool(mcp::Server& server) {
  mcp::Tool tool;
  tool.name = "echo";
  tool.description = "Returns its text argument unchanged.";
  tool.input_schema = {
      {"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}, {"required", {"text"}}};
  tool.annotations = {{"readOnlyHint", true}};
  tool.run_inline = true;  // like the TS SDK, which runs every handler on its event loop
  return server.add_tool(
      std::move(tool),
      [](const mcp::Json& arguments, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
        return mcp::ToolResult::text(arguments.at("text").get<std::string>());
      });
}

}  // namespace bench
