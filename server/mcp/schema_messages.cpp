// schema_messages.cpp — the words of JsonSchema's failures (schema_messages.hpp).
#include "mcp/schema_messages.hpp"

#include <cctype>

namespace mcp::schema_messages {

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

}  // namespace

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

std::string describe(const std::string& words, const std::vector<std::string>& context,
                     const Json& schema, const Json& document) {
  const Json* node = schema_at(schema, context);
  const Json* value = at_path(document, context);
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

}  // namespace mcp::schema_messages
