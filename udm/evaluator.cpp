// evaluator.cpp — udm::matches: a parsed query over one UDM event in JSON.
//
// Semantics where Chronicle's documentation leaves room (see also udm/README.md):
// - A path that crosses arrays reaches every element; `field op value` holds when ANY reached
//   value satisfies it, except `!=`, which holds when NO reached value equals the literal (so
//   `principal.ip != "10.0.0.1"` excludes events that mention 10.0.0.1 at all). The explicit
//   `any field != v` asks for some value that differs; `all field op v` for every value.
// - An absent field (or null, or an empty list) reads as one empty value: it equals "" and no
//   other string, matches a regex only if the regex matches "", and is neither equal to, less nor
//   greater than any number or boolean. So `field = "x"` is false and `field != "x"` true.
// - Numbers compare numerically, also against JSON strings that read as numbers ("445"), and a
//   quoted numeric literal ("445") equals the JSON number 445. Strings compare exactly unless
//   nocase (ASCII case folding).
// - Regexes are unanchored RE2 searches over the first line of the value unless the pattern
//   starts with an (?s) flag group, like Chronicle.
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include "udm/ascii.hpp"
#include "udm/number.hpp"
#include "udm/query.hpp"
#include "udm/timestamp.hpp"

namespace udm {
namespace {

using nlohmann::json;

// Scalar is one value read from an event, without copying strings.
struct Scalar {
  enum class Kind { kAbsent, kString, kNumber, kBool };
  Kind kind = Kind::kAbsent;
  std::string_view text;
  Number number;
  bool boolean = false;
};

const json* find_key(const json& object, const PathSegment& segment) {
  auto it = object.find(segment.name);
  if (it == object.end() && segment.camel_name != segment.name)
    it = object.find(segment.camel_name);
  return it == object.end() ? nullptr : &*it;
}

// emit passes j to visitor if it is a scalar. Returns true when the visitor asks to stop.
template <typename Visitor>
bool emit(const json& j, Visitor& visitor) {
  Scalar scalar;
  switch (j.type()) {
    case json::value_t::string:
      scalar.kind = Scalar::Kind::kString;
      scalar.text = j.get_ref<const std::string&>();
      break;
    case json::value_t::number_integer:
      scalar.kind = Scalar::Kind::kNumber;
      scalar.number.integer = j.get<std::int64_t>();
      break;
    case json::value_t::number_unsigned: {
      const auto value = j.get<std::uint64_t>();
      scalar.kind = Scalar::Kind::kNumber;
      if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        scalar.number.integer = static_cast<std::int64_t>(value);
      } else {
        scalar.number.is_integer = false;
        scalar.number.real = static_cast<double>(value);
      }
      break;
    }
    case json::value_t::number_float:
      scalar.kind = Scalar::Kind::kNumber;
      scalar.number.is_integer = false;
      scalar.number.real = j.get<double>();
      break;
    case json::value_t::boolean:
      scalar.kind = Scalar::Kind::kBool;
      scalar.boolean = j.get<bool>();
      break;
    default:
      return false;  // objects and nulls hold no comparable value
  }
  return visitor(scalar);
}

// visit_value passes the scalars of a map entry's value: a plain scalar, a list, or a
// google.protobuf.Value object ({"string_value": ...} / {"stringValue": ...} / list_value).
template <typename Visitor>
bool visit_value(const json& value, Visitor& visitor) {
  if (value.is_array()) {
    return std::any_of(value.begin(), value.end(),
                       [&](const json& element) { return visit_value(element, visitor); });
  }
  if (!value.is_object()) return emit(value, visitor);
  for (const char* key :
       {"string_value", "stringValue", "number_value", "numberValue", "bool_value", "boolValue"}) {
    auto it = value.find(key);
    if (it != value.end()) return emit(*it, visitor);
  }
  for (const char* key : {"list_value", "listValue"}) {
    auto it = value.find(key);
    if (it != value.end() && it->is_object()) {
      auto values = it->find("values");
      if (values != it->end()) return visit_value(*values, visitor);
    }
  }
  return false;
}

// visit_map passes the values stored under key in a UDM map field, which JSON writes either as a
// list of {"key": k, "value": v} entries or as an object {k: v}.
template <typename Visitor>
bool visit_map(const json& map, const std::string& key, Visitor& visitor) {
  if (map.is_object()) {
    auto it = map.find(key);
    return it != map.end() && visit_value(*it, visitor);
  }
  if (!map.is_array()) return false;
  for (const json& entry : map) {
    if (!entry.is_object()) continue;
    auto entry_key = entry.find("key");
    if (entry_key == entry.end() || !entry_key->is_string() ||
        entry_key->get_ref<const std::string&>() != key) {
      continue;
    }
    auto value = entry.find("value");
    if (value != entry.end() && visit_value(*value, visitor)) return true;
  }
  return false;
}

// visit passes every scalar that path reaches from node, from segment index on, descending into
// every element of every array on the way. Returns true when the visitor asks to stop.
template <typename Visitor>
bool visit(const json& node, const FieldPath& path, std::size_t index, Visitor& visitor) {
  if (node.is_array()) {
    return std::any_of(node.begin(), node.end(),
                       [&](const json& element) { return visit(element, path, index, visitor); });
  }
  const auto& segments = path.segments;
  if (index == segments.size()) return emit(node, visitor);
  if (node.is_string() && index + 1 == segments.size() && !path.map_key) {
    // A Timestamp exported as RFC 3339 text, read as .seconds / .nanos.
    const std::string& name = segments[index].name;
    if (name != "seconds" && name != "nanos") return false;
    const auto timestamp = parse_rfc3339(node.get_ref<const std::string&>());
    if (!timestamp) return false;
    Scalar scalar;
    scalar.kind = Scalar::Kind::kNumber;
    scalar.number.integer = name == "seconds" ? timestamp->seconds : timestamp->nanos;
    return visitor(scalar);
  }
  if (!node.is_object()) return false;
  const json* child = find_key(node, segments[index]);
  if (child == nullptr) return false;
  if (index + 1 == segments.size() && path.map_key)
    return visit_map(*child, *path.map_key, visitor);
  return visit(*child, path, index + 1, visitor);
}

bool text_equals(std::string_view value, const Literal& literal) {
  return literal.nocase ? ascii_iequals(value, literal.text) : value == literal.text;
}

// scalar_text writes scalar as text into buffer (numbers, booleans) or returns its string.
std::string_view scalar_text(const Scalar& scalar, char (&buffer)[64]) {
  switch (scalar.kind) {
    case Scalar::Kind::kString:
      return scalar.text;
    case Scalar::Kind::kBool:
      return scalar.boolean ? "true" : "false";
    case Scalar::Kind::kNumber: {
      auto result = scalar.number.is_integer
                        ? std::to_chars(buffer, buffer + sizeof buffer, scalar.number.integer)
                        : std::to_chars(buffer, buffer + sizeof buffer, scalar.number.real);
      return {buffer, static_cast<std::size_t>(result.ptr - buffer)};
    }
    case Scalar::Kind::kAbsent:
      break;
  }
  return {};
}

// ordered applies op to a three-way comparison result.
bool ordered(int cmp, ComparisonOp op) {
  switch (op) {
    case ComparisonOp::kEq:
      return cmp == 0;
    case ComparisonOp::kNe:
      return cmp != 0;
    case ComparisonOp::kLt:
      return cmp < 0;
    case ComparisonOp::kLe:
      return cmp <= 0;
    case ComparisonOp::kGt:
      return cmp > 0;
    case ComparisonOp::kGe:
      return cmp >= 0;
  }
  return false;
}

// compare decides `scalar op literal` for one value.
bool compare(const Scalar& scalar, ComparisonOp op, const Literal& literal) {
  char buffer[64];
  switch (literal.kind) {
    case Literal::Kind::kRegex: {
      std::string_view text = scalar_text(scalar, buffer);
      if (!literal.regex_dot_all) text = text.substr(0, text.find('\n'));
      return RE2::PartialMatch(text, *literal.regex) == (op == ComparisonOp::kEq);
    }
    case Literal::Kind::kString:
    case Literal::Kind::kRawString: {
      bool equal = false;
      if (scalar.kind == Scalar::Kind::kNumber) {
        equal = literal.text_is_number && compare_numbers(scalar.number, literal.number) == 0;
      } else {
        equal = text_equals(scalar_text(scalar, buffer), literal);
      }
      return equal == (op == ComparisonOp::kEq);
    }
    case Literal::Kind::kNumber: {
      std::optional<Number> number;
      if (scalar.kind == Scalar::Kind::kNumber) number = scalar.number;
      if (scalar.kind == Scalar::Kind::kString) number = parse_number(scalar.text);
      if (!number) return op == ComparisonOp::kNe;  // incomparable: only "not equal" holds
      return ordered(compare_numbers(*number, literal.number), op);
    }
    case Literal::Kind::kBool: {
      bool equal = false;
      if (scalar.kind == Scalar::Kind::kBool) equal = scalar.boolean == literal.boolean;
      if (scalar.kind == Scalar::Kind::kString) equal = ascii_iequals(scalar.text, literal.text);
      return equal == (op == ComparisonOp::kEq);
    }
  }
  return false;
}

// exists reports whether some value at path satisfies predicate; an absent field counts as one
// absent value.
template <typename Predicate>
bool exists(const json& event, const FieldPath& path, Predicate predicate) {
  bool seen = false;
  auto visitor = [&](const Scalar& scalar) {
    seen = true;
    return predicate(scalar);
  };
  if (visit(event, path, 0, visitor)) return true;
  return !seen && predicate(Scalar{});
}

bool evaluate_comparison(const Comparison& comparison, const json& event) {
  const Literal& literal = comparison.value;
  auto holds = [&](ComparisonOp op) {
    return [&literal, op](const Scalar& scalar) { return compare(scalar, op, literal); };
  };
  switch (comparison.quantifier) {
    case Quantifier::kAll:  // no value fails
      return !exists(event, comparison.field, [&](const Scalar& scalar) {
        return !compare(scalar, comparison.op, literal);
      });
    case Quantifier::kAny:
      return exists(event, comparison.field, holds(comparison.op));
    case Quantifier::kDefault:
      break;
  }
  if (comparison.op == ComparisonOp::kNe) {  // no value equals
    return !exists(event, comparison.field, holds(ComparisonOp::kEq));
  }
  return exists(event, comparison.field, holds(comparison.op));
}

bool evaluate(const Node& node, const json& event) {
  if (const auto* comparison = std::get_if<Comparison>(&node.value)) {
    return evaluate_comparison(*comparison, event);
  }
  if (const auto* contains = std::get_if<Contains>(&node.value)) {
    char buffer[64];
    return exists(event, contains->field, [&](const Scalar& scalar) {
      return scalar_text(scalar, buffer).find(contains->substring) != std::string_view::npos;
    });
  }
  if (const auto* negation = std::get_if<Not>(&node.value)) {
    return !evaluate(*negation->operand, event);
  }
  const auto& junction = std::get<Junction>(node.value);
  auto operand_matches = [&](const NodePtr& operand) { return evaluate(*operand, event); };
  return junction.is_and
             ? std::all_of(junction.operands.begin(), junction.operands.end(), operand_matches)
             : std::any_of(junction.operands.begin(), junction.operands.end(), operand_matches);
}

}  // namespace

bool matches(const Query& query, const nlohmann::json& event) {
  const json* root = &event;
  if (event.is_object() && !event.contains("metadata")) {
    auto udm = event.find("udm");
    if (udm != event.end() && udm->is_object()) root = &*udm;
  }
  return evaluate(query.root(), *root);
}

}  // namespace udm
