#include "mcp/types.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace mcp {

bool is_supported_protocol_version(std::string_view version) {
  const auto& all = supported_protocol_versions();
  return std::find(all.begin(), all.end(), version) != all.end();
}

std::string negotiate_protocol_version(const std::string& requested) {
  if (is_supported_protocol_version(requested)) return requested;
  static const std::regex date_like(R"(\d{4}-\d{2}-\d{2})");
  const auto& all = supported_protocol_versions();  // newest first
  if (!std::regex_match(requested, date_like)) return all.front();
  for (const auto& v : all) {
    if (v <= requested) return v;  // ISO dates compare as strings
  }
  return all.back();
}

Json Implementation::to_json() const {
  Json j = {{"name", name}, {"version", version}};
  if (!title.empty()) j["title"] = title;
  return j;
}

namespace {
constexpr std::array<std::string_view, 8> kLevelNames = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
}

std::string_view to_string(LogLevel level) {
  return kLevelNames.at(static_cast<int>(level));
}

bool parse_log_level(std::string_view text, LogLevel& level) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == text) {
      level = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

Json Tool::to_json() const {
  Json j = {{"name", name}, {"description", description}, {"inputSchema", input_schema}};
  if (!title.empty()) j["title"] = title;
  if (!output_schema.is_null()) j["outputSchema"] = output_schema;
  if (!annotations.is_null()) j["annotations"] = annotations;
  if (!execution.is_null()) j["execution"] = execution;
  return j;
}

Json text_content(std::string text) {
  // Emplaced, not an initializer list, which copies each member (see jsonrpc::envelope).
  Json block(Json::value_t::object);
  auto& members = block.get_ref<Json::object_t&>();
  members.emplace("type", "text");
  members.emplace("text", std::move(text));
  return block;
}

ToolResult ToolResult::text(std::string text) {
  ToolResult r;
  r.content.push_back(text_content(std::move(text)));
  return r;
}

ToolResult ToolResult::error(std::string text) {
  ToolResult r = ToolResult::text(std::move(text));
  r.is_error = true;
  return r;
}

ToolResult& ToolResult::add_text(std::string text) {
  content.push_back(text_content(std::move(text)));
  return *this;
}

Json ToolResult::to_json() const& {
  return ToolResult(*this).to_json();
}

Json ToolResult::to_json() && {
  Json j = Json::object();
  j["content"] = std::move(content);
  if (!structured.is_null()) j["structuredContent"] = std::move(structured);
  if (is_error) j["isError"] = true;
  return j;
}

namespace {
void put_if(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
}  // namespace

Json Resource::to_json() const {
  Json j = {{"uri", uri}, {"name", name}};
  put_if(j, "title", title);
  put_if(j, "description", description);
  put_if(j, "mimeType", mime_type);
  return j;
}

Json ResourceTemplate::to_json() const {
  Json j = {{"uriTemplate", uri_template}, {"name", name}};
  put_if(j, "title", title);
  put_if(j, "description", description);
  put_if(j, "mimeType", mime_type);
  return j;
}

Json Prompt::to_json() const {
  Json j = {{"name", name}};
  put_if(j, "title", title);
  put_if(j, "description", description);
  if (!arguments.empty()) {
    Json args = Json::array();
    for (const auto& a : arguments) {
      Json arg = {{"name", a.name}, {"required", a.required}};
      put_if(arg, "description", a.description);
      args.push_back(std::move(arg));
    }
    j["arguments"] = std::move(args);
  }
  return j;
}

}  // namespace mcp
