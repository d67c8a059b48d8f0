// fastmcp.cpp — FastMCP-compatible schemas and result encodings.
#include "sim/server/fastmcp.hpp"

#include <cctype>

namespace sim::fastmcp {

namespace {

// title is pydantic's field title: "hours_back" → "Hours Back".
std::string title(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == '_') {
      out += ' ';
      start = true;
    } else {
      out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      start = false;
    }
  }
  return out;
}

Json type_schema(Kind kind) {
  switch (kind) {
    case Kind::kString:
      return {{"type", "string"}};
    case Kind::kInteger:
      return {{"type", "integer"}};
    case Kind::kBoolean:
      return {{"type", "boolean"}};
    case Kind::kStringList:
      return {{"type", "array"}, {"items", {{"type", "string"}}}};
  }
  return Json::object();
}

}  // namespace

Json input_schema(const std::string& tool, const std::vector<Param>& params) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& p : params) {
    Json s = Json::object();
    Json base = type_schema(p.kind);
    if (!p.enum_values.empty()) base["enum"] = p.enum_values;
    if (p.nullable) {
      s["anyOf"] = Json::array({base, {{"type", "null"}}});
    } else {
      s = base;
    }
    if (!p.required) s["default"] = p.default_value;
    if (!p.description.empty()) s["description"] = p.description;
    s["title"] = title(p.name);
    properties[p.name] = std::move(s);
    if (p.required) required.push_back(p.name);
  }
  Json schema = {{"properties", properties}, {"title", tool + "Arguments"}, {"type", "object"}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

Json dict_output_schema() {
  return {{"type", "object"},
          {"properties", {{"result", {{"type", "object"}, {"additionalProperties", true}}}}},
          {"required", {"result"}}};
}

Json str_output_schema(const std::string& tool) {
  return {{"properties", {{"result", {{"title", "Result"}, {"type", "string"}}}}},
          {"required", {"result"}},
          {"title", tool + "Output"},
          {"type", "object"}};
}

mcp::ToolResult dict_result(const Json& value) {
  mcp::ToolResult r = mcp::ToolResult::text(value.dump(2));
  r.structured = {{"result", value}};
  return r;
}

mcp::ToolResult str_result(const std::string& text) {
  mcp::ToolResult r = mcp::ToolResult::text(text);
  r.structured = {{"result", text}};
  return r;
}

mcp::ToolResult bare_dict_result(const Json& value) {
  return mcp::ToolResult::text(value.dump(2));
}

std::optional<std::string> opt_string(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<long long> opt_integer(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<long long>();
}

std::string string_or(const Json& args, const char* name, const std::string& fallback) {
  return opt_string(args, name).value_or(fallback);
}

long long integer_or(const Json& args, const char* name, long long fallback) {
  return opt_integer(args, name).value_or(fallback);
}

mcp::Tool make_tool(const std::string& name, const std::string& description, Json input,
                    Json output) {
  mcp::Tool tool;
  tool.name = name;
  tool.description = description;
  tool.input_schema = std::move(input);
  tool.output_schema = std::move(output);
  return tool;
}

}  // namespace sim::fastmcp
