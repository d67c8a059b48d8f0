#pragma once
// JsonSchema: a compiled JSON Schema (draft 7 keywords, which is what our
// schemas/ files use) that validates documents and names the failing field.
// Backed by valijson, a well-kept header-only validator packaged by Debian.

#include <memory>
#include <optional>
#include <string>

#include "mcp/result.hpp"

namespace mcp {

class JsonSchema {
 public:
  // compile parses `schema`; an Error explains what is wrong with it.
  static Result<JsonSchema> compile(const Json& schema);

  // validate returns nullopt when `document` conforms, otherwise one line
  // naming the most specific failing field, e.g. "time_frame_hours: expected
  // integer, got string \"72\"" (a wrong type) or valijson's own words for
  // any other failure ("time_frame_hours: Expected number greater than or
  // equal to 1").
  std::optional<std::string> validate(const Json& document) const;

  const Json& source() const { return source_; }

 private:
  // check validates `document` with valijson; messages quote the values of `sent`, which is
  // `document` before integral floats became integers.
  std::optional<std::string> check(const Json& document, const Json& sent) const;

  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
  Json source_;
};

}  // namespace mcp
