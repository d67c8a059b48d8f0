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
#include "udm/event_tree.hpp"
#include "udm/number.hpp"
#include "udm/query.hpp"
#include "udm/timestamp.hpp"

namespace udm {
namespace {

// Scalar is one value read from an event, without copying strings.
struct Scalar {
  enum class Kind { kAbsent, kString, kNumber, kBool };
  Kind kind = Kind::kAbsent;
  std::string_view text;
  Number number;
  bool boolean = false;
};

using detail::Kind;

// The walk below is written once over a Tree (udm/event_tree.hpp): JsonTree for nlohmann::json,
// ViewTree for any EventView. Both instantiations therefore follow the same rules.

template <typename Tree>
typename Tree::Node find_key(const Tree& tree, typename Tree::Node object,
                             const PathSegment& segment) {
  auto found = tree.find(object, segment.name);
  if (found == Tree::null() && segment.camel_name != segment.name)
    found = tree.find(object, segment.camel_name);
  return found;
}

// emit passes node to visitor if it is a scalar. Returns true when the visitor asks to stop.
template <typename Tree, typename Visitor>
bool emit(const Tree& tree, typename Tree::Node node, Visitor& visitor) {
  Scalar scalar;
  switch (tree.kind(node)) {
    case Kind::kString:
      scalar.kind = Scalar::Kind::kString;
      scalar.text = tree.string(node);
      break;
    case Kind::kInteger:
      scalar.kind = Scalar::Kind::kNumber;
      scalar.number.integer = tree.integer(node);
      break;
    case Kind::kUnsigned: {
      const std::uint64_t value = tree.unsigned_integer(node);
      scalar.kind = Scalar::Kind::kNumber;
      if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        scalar.number.integer = static_cast<std::int64_t>(value);
      } else {
        scalar.number.is_integer = false;
        scalar.number.real = static_cast<double>(value);
      }
      break;
    }
    case Kind::kFloat:
      scalar.kind = Scalar::Kind::kNumber;
      scalar.number.is_integer = false;
      scalar.number.real = tree.real(node);
      break;
    case Kind::kBoolean:
      scalar.kind = Scalar::Kind::kBool;
      scalar.boolean = tree.boolean(node);
      break;
    default:
      return false;  // objects and nulls hold no comparable value
  }
  return visitor(scalar);
}

// visit_value passes the scalars of a map entry's value: a plain scalar, a list, or a
// google.protobuf.Value object ({"string_value": ...} / {"stringValue": ...} / list_value).
template <typename Tree, typename Visitor>
bool visit_value(const Tree& tree, typename Tree::Node value, Visitor& visitor) {
  const Kind kind = tree.kind(value);
  if (kind == Kind::kArray) {
    return tree.any_child(value, [&](auto element) { return visit_value(tree, element, visitor); });
  }
  if (kind != Kind::kObject) return emit(tree, value, visitor);
  for (const char* key :
       {"string_value", "stringValue", "number_value", "numberValue", "bool_value", "boolValue"}) {
    auto found = tree.find(value, key);
    if (found != Tree::null()) return emit(tree, found, visitor);
  }
  for (const char* key : {"list_value", "listValue"}) {
    auto found = tree.find(value, key);
    if (found != Tree::null() && tree.kind(found) == Kind::kObject) {
      auto values = tree.find(found, "values");
      if (values != Tree::null()) return visit_value(tree, values, visitor);
    }
  }
  return false;
}

// visit_map passes the values stored under key in a UDM map field, which JSON writes either as a
// list of {"key": k, "value": v} entries or as an object {k: v}.
template <typename Tree, typename Visitor>
bool visit_map(const Tree& tree, typename Tree::Node map, const std::string& key,
               Visitor& visitor) {
  const Kind kind = tree.kind(map);
  if (kind == Kind::kObject) {
    auto found = tree.find(map, key);
    return found != Tree::null() && visit_value(tree, found, visitor);
  }
  if (kind != Kind::kArray) return false;
  return tree.any_child(map, [&](auto entry) {
    if (tree.kind(entry) != Kind::kObject) return false;
    auto entry_key = tree.find(entry, "key");
    if (entry_key == Tree::null() || tree.kind(entry_key) != Kind::kString ||
        tree.string(entry_key) != key) {
      return false;
    }
    auto value = tree.find(entry, "value");
    return value != Tree::null() && visit_value(tree, value, visitor);
  });
}

// visit passes every scalar that path reaches from node, from segment index on, descending into
// every element of every array on the way. Returns true when the visitor asks to stop.
template <typename Tree, typename Visitor>
bool visit(const Tree& tree, typename Tree::Node node, const FieldPath& path, std::size_t index,
           Visitor& visitor) {
  const Kind kind = tree.kind(node);
  if (kind == Kind::kArray) {
    return tree.any_child(node,
                          [&](auto element) { return visit(tree, element, path, index, visitor); });
  }
  const auto& segments = path.segments;
  if (index == segments.size()) return emit(tree, node, visitor);
  if (kind == Kind::kString && index + 1 == segments.size() && !path.map_key) {
    // A Timestamp exported as RFC 3339 text, read as .seconds / .nanos.
    const std::string& name = segments[index].name;
    if (name != "seconds" && name != "nanos") return false;
    const auto timestamp = parse_rfc3339(tree.string(node));
    if (!timestamp) return false;
    Scalar scalar;
    scalar.kind = Scalar::Kind::kNumber;
    scalar.number.integer = name == "seconds" ? timestamp->seconds : timestamp->nanos;
    return visitor(scalar);
  }
  if (kind != Kind::kObject) return false;
  auto child = find_key(tree, node, segments[index]);
  if (child == Tree::null()) return false;
  if (index + 1 == segments.size() && path.map_key)
    return visit_map(tree, child, *path.map_key, visitor);
  return visit(tree, child, path, index + 1, visitor);
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
template <typename Tree, typename Predicate>
bool exists(const Tree& tree, typename Tree::Node event, const FieldPath& path,
            Predicate predicate) {
  bool seen = false;
  auto visitor = [&](const Scalar& scalar) {
    seen = true;
    return predicate(scalar);
  };
  if (visit(tree, event, path, 0, visitor)) return true;
  return !seen && predicate(Scalar{});
}

template <typename Tree>
bool evaluate_comparison(const Comparison& comparison, const Tree& tree,
                         typename Tree::Node event) {
  const Literal& literal = comparison.value;
  auto holds = [&](ComparisonOp op) {
    return [&literal, op](const Scalar& scalar) { return compare(scalar, op, literal); };
  };
  switch (comparison.quantifier) {
    case Quantifier::kAll:  // no value fails
      return !exists(tree, event, comparison.field, [&](const Scalar& scalar) {
        return !compare(scalar, comparison.op, literal);
      });
    case Quantifier::kAny:
      return exists(tree, event, comparison.field, holds(comparison.op));
    case Quantifier::kDefault:
      break;
  }
  if (comparison.op == ComparisonOp::kNe) {  // no value equals
    return !exists(tree, event, comparison.field, holds(ComparisonOp::kEq));
  }
  return exists(tree, event, comparison.field, holds(comparison.op));
}

template <typename Tree>
bool evaluate(const Node& node, const Tree& tree, typename Tree::Node event) {
  if (const auto* comparison = std::get_if<Comparison>(&node.value)) {
    return evaluate_comparison(*comparison, tree, event);
  }
  if (const auto* contains = std::get_if<Contains>(&node.value)) {
    char buffer[64];
    return exists(tree, event, contains->field, [&](const Scalar& scalar) {
      return scalar_text(scalar, buffer).find(contains->substring) != std::string_view::npos;
    });
  }
  if (const auto* negation = std::get_if<Not>(&node.value)) {
    return !evaluate(*negation->operand, tree, event);
  }
  const auto& junction = std::get<Junction>(node.value);
  auto operand_matches = [&](const NodePtr& operand) { return evaluate(*operand, tree, event); };
  return junction.is_and
             ? std::all_of(junction.operands.begin(), junction.operands.end(), operand_matches)
             : std::any_of(junction.operands.begin(), junction.operands.end(), operand_matches);
}

// evaluate_event unwraps a search-result wrapper ({"udm": {...}} without metadata) and evaluates.
template <typename Tree>
bool evaluate_event(const Query& query, const Tree& tree) {
  auto root = tree.root();
  if (tree.kind(root) == Kind::kObject && tree.find(root, "metadata") == Tree::null()) {
    auto udm = tree.find(root, "udm");
    if (udm != Tree::null() && tree.kind(udm) == Kind::kObject) root = udm;
  }
  return evaluate(query.root(), tree, root);
}

}  // namespace

bool matches(const Query& query, const nlohmann::json& event) {
  return evaluate_event(query, detail::JsonTree(event));
}

bool matches(const Query& query, const EventView& event) {
  return evaluate_event(query, detail::ViewTree(event));
}

}  // namespace udm
