#include "mcp/schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace mcp {

struct JsonSchema::Compiled {
  valijson::Schema schema;
};

Result<JsonSchema> JsonSchema::compile(const Json& schema) {
  if (!schema.is_object()) return Error{-32602, "a JSON Schema must be an object", nullptr};
  auto compiled = std::make_shared<Compiled>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, compiled->schema);
  } catch (const std::exception& e) {
    return Error{-32602, std::string("invalid JSON Schema: ") + e.what(), nullptr};
  }
  JsonSchema out;
  out.compiled_ = std::move(compiled);
  out.source_ = schema;
  return out;
}

namespace {

// field_path turns valijson's context ["<root>", "[a]", "[0]"] into "a[0]".
std::string field_path(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string name = part;
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
      name = name.substr(1, name.size() - 2);
    }
    const bool index = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
    if (index) {
      path += "[" + name + "]";
    } else {
      if (!path.empty()) path += ".";
      path += name;
    }
  }
  return path;
}

}  // namespace

std::optional<std::string> JsonSchema::validate(const Json& document) const {
  if (!compiled_) return std::nullopt;
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  // Valid arguments are the common case: checked first without collecting
  // results, which costs valijson a context path (a vector of strings) per
  // step. Only a failure is validated again, for its message.
  if (validator.validate(compiled_->schema, adapter, nullptr)) return std::nullopt;
  valijson::ValidationResults results;
  if (validator.validate(compiled_->schema, adapter, &results)) return std::nullopt;
  // valijson reports the outermost failure first ("Failed to validate
  // against schema associated with property"); the most specific error is the
  // one with the deepest path, and among those the first reported.
  valijson::ValidationResults::Error best;
  std::size_t best_depth = 0;
  bool have = false;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    if (!have || e.context.size() > best_depth) {
      best = e;
      best_depth = e.context.size();
      have = true;
    }
  }
  std::string path = field_path(best.context);
  return (path.empty() ? std::string("arguments") : path) + ": " + best.description;
}

}  // namespace mcp
