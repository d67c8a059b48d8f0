#pragma once
// Plain MCP value types shared by Server and Client (server/*.mdx, schema.ts).

#include <string>
#include <string_view>
#include <vector>

#include "mcp/result.hpp"

namespace mcp {

// The protocol versions this implementation speaks, newest first.
inline const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                    "2024-11-05"};
  return versions;
}
inline constexpr std::string_view kLatestProtocolVersion = "2025-11-25";

// negotiate_protocol_version: echo a supported version; otherwise the newest
// supported version not newer than the requested one (never answer newer than
// the client can take), the oldest when the request predates all of ours, and
// the latest for anything that is not a date-like version.
std::string negotiate_protocol_version(const std::string& requested);
bool is_supported_protocol_version(std::string_view version);

struct Implementation {
  std::string name;
  std::string version;
  std::string title;
  Json to_json() const;
};

// LogLevel follows RFC 5424 as MCP logging does.
enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };
std::string_view to_string(LogLevel level);
bool parse_log_level(std::string_view text, LogLevel& level);

// Tool is a tool's definition as tools/list shows it.
struct Tool {
  std::string name;
  std::string title;
  std::string description;
  Json input_schema = Json{{"type", "object"}};
  Json output_schema;  // null when the tool declares none
  Json annotations;    // e.g. {"readOnlyHint": true}; null for none
  Json execution;      // e.g. {"taskSupport": "optional"}; null for the default
  // run_inline: the handler is quick and never blocks (no downstream calls,
  // no sampling or elicitation), so it runs on the receiving thread instead
  // of the pool. Not part of the wire form.
  bool run_inline = false;
  Json to_json() const;
};

// ToolResult is what tools/call returns (content blocks, optional
// structuredContent, isError).
struct ToolResult {
  Json content = Json::array();
  Json structured;  // object, or null when absent
  bool is_error = false;

  static ToolResult text(std::string text);
  static ToolResult error(std::string text);
  ToolResult& add_text(std::string text);
  Json to_json() const&;
  Json to_json() &&;  // moves the content out: no copy of a large structuredContent
};

struct Resource {
  std::string uri;
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  Json to_json() const;
};

struct ResourceTemplate {
  std::string uri_template;  // RFC 6570 level 1, e.g. "lmhunt://hunts/{id}"
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  Json to_json() const;
};

struct PromptArgument {
  std::string name;
  std::string description;
  bool required = false;
};

struct Prompt {
  std::string name;
  std::string title;
  std::string description;
  std::vector<PromptArgument> arguments;
  Json to_json() const;
};

// text_content builds a {"type":"text"} content block.
Json text_content(std::string text);

}  // namespace mcp
