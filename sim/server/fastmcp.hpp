// fastmcp.hpp — how Python FastMCP 1.x (which the real SecOps servers use) shows a tool on the
// wire, so lmhunt-sim's tools look the same: input schemas generated from Python signatures, and
// the result encodings of each return annotation (downstream-servers.md §3).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mcp/types.hpp"

namespace sim::fastmcp {

using mcp::Json;

enum class Kind { kString, kInteger, kBoolean, kStringList };

// Param is one Python parameter. required: no default. nullable: Optional[...] (= None default
// unless default_value is set).
struct Param {
  Param(std::string param_name, Kind param_kind = Kind::kString, bool is_required = false,
        bool is_nullable = false)
      : name(std::move(param_name)),
        kind(param_kind),
        required(is_required),
        nullable(is_nullable) {}

  std::string name;
  Kind kind = Kind::kString;
  bool required = false;
  bool nullable = false;
  Json default_value = nullptr;
  std::string description;
  std::vector<std::string> enum_values;
};

// input_schema builds the schema pydantic generates for `<tool>Arguments`.
Json input_schema(const std::string& tool, const std::vector<Param>& params);
// dict_output_schema: a `-> Dict[str, Any]` tool's outputSchema (result wrapped under "result").
Json dict_output_schema();
// str_output_schema: a `-> str` tool's outputSchema.
Json str_output_schema(const std::string& tool);

// dict_result: one text block (JSON, indent 2) and structuredContent {"result": value}.
mcp::ToolResult dict_result(const Json& value);
// str_result: one text block with the string and structuredContent {"result": text}.
mcp::ToolResult str_result(const std::string& text);
// bare_dict_result: one text block (JSON, indent 2), no structuredContent (unannotated tools).
mcp::ToolResult bare_dict_result(const Json& value);

// Argument readers for arguments that passed the input schema (null counts as absent).
std::optional<std::string> opt_string(const Json& args, const char* name);
std::optional<long long> opt_integer(const Json& args, const char* name);
std::string string_or(const Json& args, const char* name, const std::string& fallback);
long long integer_or(const Json& args, const char* name, long long fallback);

// make_tool builds a Tool with the given schemas (output_schema null for none).
mcp::Tool make_tool(const std::string& name, const std::string& description, Json input,
                    Json output = nullptr);

}  // namespace sim::fastmcp
