#pragma once
// The schemas/ files, compiled into the binary (cmake/embed.cmake) so an
// installed or containerised lmhunt never depends on its source tree.

#include <string_view>

#include "mcp/result.hpp"

namespace schemas {
// embedded returns the named schemas/ file's bytes; empty when unknown.
std::string_view embedded(std::string_view file_name);
}  // namespace schemas

namespace tools {

// load_schema parses the named schemas/ file; an Error names the file.
inline mcp::Result<mcp::Json> load_schema(std::string_view file_name) {
  auto text = schemas::embedded(file_name);
  if (text.empty()) {
    return mcp::Error{-32603, "schema " + std::string(file_name) + " is not embedded"};
  }
  auto json = mcp::Json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    return mcp::Error{-32603, "schema " + std::string(file_name) + " is not valid JSON"};
  }
  return json;
}

}  // namespace tools
