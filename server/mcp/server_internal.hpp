#pragma once
// Registry entries shared by server.cpp and server_methods.cpp.

#include <optional>

#include "mcp/server.hpp"

namespace mcp {

struct Server::ToolEntry {
  Tool tool;
  JsonSchema input;
  std::optional<JsonSchema> output;
  ToolHandler handler;
};

struct Server::ResourceEntry {
  Resource resource;
  ResourceReader reader;
};

struct Server::TemplateEntry {
  ResourceTemplate resource_template;
  TemplateReader reader;
};

struct Server::PromptEntry {
  Prompt prompt;
  PromptHandler handler;
};

// match_uri_template matches `uri` against an RFC 6570 level-1 template
// ("test://template/{id}/data"); a variable matches one or more characters
// other than '/'.
bool match_uri_template(const std::string& uri_template, const std::string& uri,
                        std::map<std::string, std::string>& variables);

// invalid_params builds the -32602 Error.
inline Error invalid_params(std::string message) {
  return Error{-32602, std::move(message), nullptr};
}

}  // namespace mcp
