#include "tools/udm/validate_udm_query.hpp"

#include <optional>

#include "mcp/tool.hpp"
#include "tools/schemas.hpp"
#include "udm/query.hpp"

namespace tools {
namespace {

struct Input {
  std::string query;
  std::optional<mcp::Json> event;
};

void from_json(const mcp::Json& j, Input& in) {
  j.at("query").get_to(in.query);
  if (j.contains("event")) in.event = j["event"];
}

struct Output {
  bool valid = false;
  std::string canonical_query;
  std::optional<udm::ParseError> error;
  std::optional<bool> matches_event;
};

void to_json(mcp::Json& j, const Output& out) {
  j = {{"valid", out.valid}};
  if (out.valid) j["canonical_query"] = out.canonical_query;
  if (out.error) {
    j["error"] = {{"position", out.error->position},
                  {"message", out.error->message},
                  {"hint", out.error->hint}};
  }
  if (out.matches_event) j["matches_event"] = *out.matches_event;
}

std::string tool_text(const Output& out) {
  if (!out.valid) {
    std::string text = "Invalid UDM Search query at byte " + std::to_string(out.error->position) +
                       ": " + out.error->message;
    if (!out.error->hint.empty()) text += "\nHint: " + out.error->hint;
    return text;
  }
  std::string text = "Valid UDM Search query.\nCanonical form: " + out.canonical_query;
  if (out.matches_event) {
    text += *out.matches_event ? "\nThe given event matches." : "\nThe given event does not match.";
  }
  return text;
}

}  // namespace

mcp::Status add_validate_udm_query(mcp::Server& server) {
  mcp::Tool tool;
  tool.name = "validate_udm_query";
  tool.title = "Validate a UDM Search query";
  tool.description =
      "Checks a Google SecOps UDM Search query without running it: returns its canonical form, or "
      "the byte position and reason it is invalid with a hint (for example CONTAINS is not a UDM "
      "operator: use field = /substring/ nocase). Optionally tests it against one UDM event.";
  auto input = load_schema("validate_udm_query.input.json");
  auto output = load_schema("validate_udm_query.output.json");
  if (!input) return input.error();
  if (!output) return output.error();
  tool.input_schema = std::move(input.value());
  tool.output_schema = std::move(output.value());
  tool.annotations = {{"title", tool.title},
                      {"readOnlyHint", true},
                      {"idempotentHint", true},
                      {"openWorldHint", false}};
  tool.run_inline = true;  // parsing a query is microseconds and never blocks
  mcp::TypedToolHandler<Input, Output> handler = [](const Input& in, mcp::ToolContext&) {
    Output out;
    auto parsed = udm::parse(in.query);
    if (!parsed) {
      out.error = parsed.error();
      return mcp::Result<Output>(std::move(out));
    }
    out.valid = true;
    out.canonical_query = udm::to_string(parsed.value());
    if (in.event) out.matches_event = udm::matches(parsed.value(), *in.event);
    return mcp::Result<Output>(std::move(out));
  };
  return mcp::add_tool(server, std::move(tool), std::move(handler));
}

}  // namespace tools
