#include "mcp/schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

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

namespace {

// member_name is a context part without valijson's brackets: "[a]" → "a".
std::string member_name(const std::string& part) {
  if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
    return part.substr(1, part.size() - 2);
  }
  return part;
}

// is_index says whether a context part names an array element ("0", "12").
bool is_index(const std::string& name) {
  return !name.empty() && name.size() < 10 &&
         name.find_first_not_of("0123456789") == std::string::npos;
}

// field_path turns valijson's context ["<root>", "[a]", "[0]"] into "a[0]".
std::string field_path(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    const std::string name = member_name(part);
    if (is_index(name)) {
      path += "[" + name + "]";
    } else {
      if (!path.empty()) path += ".";
      path += name;
    }
  }
  return path;
}

// at_path follows valijson's context through `document` (object members and
// array elements); nullptr when the path does not lead to a value.
const Json* at_path(const Json& document, const std::vector<std::string>& context) {
  const Json* node = &document;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    const std::string name = member_name(part);
    if (node->is_object()) {
      auto it = node->find(name);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array() && is_index(name) && std::stoul(name) < node->size()) {
      node = &(*node)[std::stoul(name)];
    } else {
      return nullptr;
    }
  }
  return node;
}

// schema_at is the subschema that applies at the context path, when the path runs only through
// "properties" and "items" (the shapes tool arguments use); nullptr otherwise, e.g. through
// $ref or anyOf.
const Json* schema_at(const Json& schema, const std::vector<std::string>& context) {
  const Json* node = &schema;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    const std::string name = member_name(part);
    const Json* next = nullptr;
    if (is_index(name) && node->contains("items") && node->at("items").is_object()) {
      next = &node->at("items");
    } else if (auto props = node->find("properties");
               props != node->end() && props->is_object() && props->contains(name)) {
      next = &props->at(name);
    }
    if (next == nullptr || !next->is_object()) return nullptr;
    node = next;
  }
  return node;
}

// declared_type is the "type" of `node` ("string", "string or null"); empty when it has none.
std::string declared_type(const Json& node) {
  auto type = node.find("type");
  if (type == node.end()) return {};
  if (type->is_string()) return type->get<std::string>();
  if (!type->is_array()) return {};
  std::string names;
  for (const auto& t : *type) {
    if (t.is_string()) names += (names.empty() ? "" : " or ") + t.get<std::string>();
  }
  return names;
}

// listed joins `items` as "a, b, c": strings bare when `quote` is false, else as JSON.
std::string listed(const Json& items, bool quote) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item.is_string() && !quote ? item.get<std::string>() : item.dump();
  }
  return out;
}

// shown is " <value>" for a short string or number, to quote what was sent; "" otherwise.
std::string shown(const Json& value) {
  if (!value.is_string() && !value.is_number()) return {};
  auto text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() <= 40 ? " " + text : std::string();
}

// json_type is the JSON Schema name of `value`'s type.
const char* json_type(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  return value.is_array() ? "array" : "object";
}

// describe is the message for `error`. valijson's words do not tell a client (often a model)
// what to send instead: for a wrong type ("72" for 72), a value outside an enum, and an unknown
// property, the message says what the schema expects and what was sent. Any other failure keeps
// valijson's words, with its bounds' "%f" zeros dropped.
std::string describe(const valijson::ValidationResults::Error& error, const Json& schema,
                     const Json& document) {
  const std::string& words = error.description;
  const Json* node = schema_at(schema, error.context);
  const Json* value = at_path(document, error.context);
  if (node != nullptr && value != nullptr) {
    if (words.rfind("Value type not permitted by 'type' constraint", 0) == 0) {
      const std::string expected = declared_type(*node);
      if (!expected.empty()) {
        return "expected " + expected + ", got " + json_type(*value) + shown(*value);
      }
    } else if (words.rfind("Failed to match against any enum values", 0) == 0) {
      auto values = node->find("enum");
      if (values != node->end() && values->is_array()) {
        return "expected one of " + listed(*values, true) + ", got" +
               (shown(*value).empty() ? std::string(" ") + json_type(*value) : shown(*value));
      }
    } else if (words.find("could not be validated using 'properties'") != std::string::npos &&
               value->is_object() && !node->contains("patternProperties")) {
      auto props = node->find("properties");
      const bool named = props != node->end() && props->is_object();
      std::string unknown;
      for (const auto& member : value->items()) {
        if (!named || !props->contains(member.key())) {
          unknown += (unknown.empty() ? "" : ", ") + member.key();
        }
      }
      Json known = Json::array();
      if (named) {
        for (const auto& member : props->items()) known.push_back(member.key());
      }
      if (!unknown.empty()) {
        return "unknown property " + unknown +
               (known.empty() ? std::string() : " (known: " + listed(known, false) + ")");
      }
    }
  }
  // valijson prints bounds with %f ("greater than or equal to 1.000000").
  std::string out = words;
  for (auto at = out.find(".000000"); at != std::string::npos; at = out.find(".000000", at)) {
    const bool after_digit = at > 0 && std::isdigit(static_cast<unsigned char>(out[at - 1]));
    const bool digit_follows =
        at + 7 < out.size() && std::isdigit(static_cast<unsigned char>(out[at + 7]));
    if (after_digit && !digit_follows) {
      out.erase(at, 7);
    } else {
      at += 7;
    }
  }
  return out;
}

}  // namespace

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
  std::string path = field_path(best.context);
  return (path.empty() ? std::string("arguments") : path) + ": " + describe(best, source_, sent);
}

}  // namespace mcp
