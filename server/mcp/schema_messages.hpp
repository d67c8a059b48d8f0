#pragma once
// schema_messages: the words of JsonSchema's failures (schema.cpp). valijson names a failing
// value by a context path (["<root>", "[hours]"]) and says what failed in its own words; a
// client (often a model) needs the field, what the schema expects and what it sent.

#include <string>
#include <vector>

#include "mcp/result.hpp"  // Json

namespace mcp::schema_messages {

// field_path turns valijson's context ["<root>", "[a]", "[0]"] into "a[0]" ("" for the root).
std::string field_path(const std::vector<std::string>& context);

// describe is the message for valijson's failure `words` at `context`. For a wrong type ("72"
// for 72), a value outside an enum, and an unknown property, it says what `schema` expects and
// what `document` holds there; any other failure keeps valijson's words, with its bounds' "%f"
// zeros dropped.
std::string describe(const std::string& words, const std::vector<std::string>& context,
                     const Json& schema, const Json& document);

}  // namespace mcp::schema_messages
