#include "mcp/schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "mcp/schema_messages.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace mcp {

namespace {

// integral is true for a float with a zero fractional part that fits an integer: JSON Schema
// (draft 6 on) counts 24.0 as an "integer", and an agent that computed its hours sends 24.0.
bool integral(const Json& value) {
  if (!value.is_number_float()) return false;
  const double v = value.get<double>();
  return std::trunc(v) == v && std::abs(v) < 9.0e15;  // exact in a double, fits int64
}

// with_integral_floats_as_integers returns a copy of `document` in which every integral float is
// an integer, or nullopt when it has none. valijson's strict types refuse 24.0 for "integer";
// it checks this copy instead (its non-strict mode would also take "24", which is not valid).
std::optional<Json> with_integral_floats_as_integers(const Json& document) {
  struct Walk {
    static bool has(const Json& node) {
      if (integral(node)) return true;
      if (!node.is_structured()) return false;
      return std::any_of(node.begin(), node.end(), [](const Json& child) { return has(child); });
    }
    static void convert(Json& node) {
      if (integral(node)) {
        node = static_cast<std::int64_t>(node.get<double>());
      } else if (node.is_structured()) {
        for (auto& child : node) convert(child);
      }
    }
  };
  if (!Walk::has(document)) return std::nullopt;
  Json copy = document;
  Walk::convert(copy);
  return copy;
}

// FlatObjectShape is a schema of the most common shape for tool arguments,
// {"type":"object","properties":{name: {"type": T}},"required":[...],
// "additionalProperties": bool}, with annotation keywords only besides. It
// answers "valid" without valijson (which walks its constraint tree through
// std::function callbacks: ≈ 3.8 k instructions for a one-field object, most
// of a trivial tool call's validation cost). It only ever accepts: a document
// it cannot vouch for goes to valijson, which has the last word and the error
// message. Checked against the JSON Schema test suite in schema_test.cpp.
class FlatObjectShape {
 public:
  // of is the shape of `schema`, or nullopt when it uses anything else.
  static std::optional<FlatObjectShape> of(const Json& schema);
  // accepts is true only for a document that certainly conforms.
  bool accepts(const Json& document) const;

 private:
  enum TypeBit : unsigned {
    kNull = 1U << 0U,
    kBoolean = 1U << 1U,
    kObject = 1U << 2U,
    kArray = 1U << 3U,
    kNumber = 1U << 4U,
    kInteger = 1U << 5U,
    kString = 1U << 6U,
    kAny = (1U << 7U) - 1U,
  };
  struct Property {
    std::string name;
    unsigned types = kAny;
  };
  static std::optional<unsigned> types_of(const Json& schema);
  static bool has_type(const Json& value, unsigned types);

  std::vector<Property> properties_;
  std::vector<std::string> required_;
  bool closed_ = false;  // additionalProperties: false
};

// Keywords that never change whether a document is valid.
bool is_annotation(const std::string& keyword) {
  return keyword == "title" || keyword == "description" || keyword == "default" ||
         keyword == "examples" || keyword == "$comment" || keyword == "readOnly" ||
         keyword == "writeOnly";
}

std::optional<unsigned> FlatObjectShape::types_of(const Json& schema) {
  if (!schema.is_object()) return std::nullopt;
  unsigned types = kAny;
  for (const auto& [keyword, value] : schema.items()) {
    if (is_annotation(keyword)) continue;
    if (keyword != "type" || !value.is_string()) return std::nullopt;
    const auto& name = value.get_ref<const std::string&>();
    static const std::pair<const char*, unsigned> kNames[] = {
        {"null", kNull},     {"boolean", kBoolean}, {"object", kObject}, {"array", kArray},
        {"number", kNumber}, {"integer", kInteger}, {"string", kString}};
    types = 0;
    for (const auto& [type_name, bit] : kNames) {
      if (name == type_name) types = bit;
    }
    if (types == 0) return std::nullopt;
  }
  return types;
}

std::optional<FlatObjectShape> FlatObjectShape::of(const Json& schema) {
  FlatObjectShape shape;
  bool object_type = false;
  for (const auto& [keyword, value] : schema.items()) {
    if (is_annotation(keyword) || keyword == "$schema") continue;
    if (keyword == "type") {
      object_type = value == "object";
      if (!object_type) return std::nullopt;
    } else if (keyword == "properties" && value.is_object()) {
      for (const auto& [name, property] : value.items()) {
        auto types = types_of(property);
        if (!types) return std::nullopt;
        shape.properties_.push_back({name, *types});
      }
    } else if (keyword == "required" && value.is_array()) {
      for (const auto& name : value) {
        if (!name.is_string()) return std::nullopt;
        shape.required_.push_back(name.get<std::string>());
      }
    } else if (keyword == "additionalProperties" && value.is_boolean()) {
      shape.closed_ = !value.get<bool>();
    } else {
      return std::nullopt;
    }
  }
  if (!object_type) return std::nullopt;
  return shape;
}

bool FlatObjectShape::has_type(const Json& value, unsigned types) {
  if (types == kAny) return true;
  switch (value.type()) {
    case Json::value_t::null:
      return (types & kNull) != 0;
    case Json::value_t::boolean:
      return (types & kBoolean) != 0;
    case Json::value_t::object:
      return (types & kObject) != 0;
    case Json::value_t::array:
      return (types & kArray) != 0;
    case Json::value_t::string:
      return (types & kString) != 0;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return (types & (kNumber | kInteger)) != 0;
    case Json::value_t::number_float:
      return (types & kNumber) != 0 || ((types & kInteger) != 0 && integral(value));
    default:
      return false;
  }
}

bool FlatObjectShape::accepts(const Json& document) const {
  if (!document.is_object()) return false;
  for (const auto& name : required_) {
    if (!document.contains(name)) return false;
  }
  for (const auto& member : document.get_ref<const Json::object_t&>()) {
    auto property = std::find_if(properties_.begin(), properties_.end(),
                                 [&](const Property& p) { return p.name == member.first; });
    const bool ok =
        property == properties_.end() ? !closed_ : has_type(member.second, property->types);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

struct JsonSchema::Compiled {
  valijson::Schema schema;
  std::optional<FlatObjectShape> flat;  // set when the schema has that shape
};

Result<JsonSchema> JsonSchema::compile(const Json& schema) {
  if (!schema.is_object()) return Error{-32602, "a JSON Schema must be an object", nullptr};
  auto compiled = std::make_shared<Compiled>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, compiled->schema);
    compiled->flat = FlatObjectShape::of(schema);
  } catch (const std::exception& e) {
    return Error{-32602, std::string("invalid JSON Schema: ") + e.what(), nullptr};
  }
  JsonSchema out;
  out.compiled_ = std::move(compiled);
  out.source_ = schema;
  return out;
}

std::optional<std::string> JsonSchema::validate(const Json& document) const {
  if (!compiled_) return std::nullopt;
  if (compiled_->flat && compiled_->flat->accepts(document)) return std::nullopt;
  if (auto normalized = with_integral_floats_as_integers(document)) {
    return check(*normalized, document);
  }
  return check(document, document);
}

std::optional<std::string> JsonSchema::check(const Json& document, const Json& sent) const {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  // Valid arguments are the common case: checked first without collecting
  // results, which costs valijson a context path (a vector of strings) per
  // step. Only a failure is validated again, for its message.
  valijson::ValidationResults results;
  try {
    if (validator.validate(compiled_->schema, adapter, nullptr)) return std::nullopt;
    if (validator.validate(compiled_->schema, adapter, &results)) return std::nullopt;
  } catch (const std::exception& e) {
    // valijson throws on what it cannot read, such as a string that is not
    // UTF-8 under a length limit: not valid, then.
    return std::string("arguments: cannot be validated: ") + e.what();
  }
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
  std::string path = schema_messages::field_path(best.context);
  return (path.empty() ? std::string("arguments") : path) + ": " +
         schema_messages::describe(best.description, best.context, source_, sent);
}

}  // namespace mcp
