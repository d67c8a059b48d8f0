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
  // naming the first failing field, e.g. "time_frame_hours: 0 is less than
  // the minimum 1".
  std::optional<std::string> validate(const Json& document) const;

  const Json& source() const { return source_; }

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
  Json source_;
};

}  // namespace mcp
