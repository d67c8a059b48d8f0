// ast.hpp — the syntax tree of a parsed UDM Search query.
//
// Nodes are immutable once built and shared through shared_ptr<const Node>, so a Query is cheap to
// copy, conjoin() shares subtrees instead of copying them, and one tree can be evaluated from many
// threads at once (RE2 matching is thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace re2 {
class RE2;
}

namespace udm {

// PathSegment is one dotted part of a field path. camel_name is the lowerCamelCase spelling
// (`full_path` → `fullPath`) that Chronicle's JSON exports use; it equals name when the segment
// has no underscore. Both are computed at parse time so evaluation never builds strings.
struct PathSegment {
  std::string name;
  std::string camel_name;
};

// FieldPath is a pre-split UDM field path such as `principal.process.file.full_path` or, with a
// map key, `additional.fields["Initiated"]` (the key applies to the last segment).
struct FieldPath {
  std::vector<PathSegment> segments;
  std::optional<std::string> map_key;
  std::string text;  // canonical spelling, e.g. additional.fields["Initiated"]
};

// Number is an integer or a decimal. Integers compare exactly; anything else compares as double.
struct Number {
  bool is_integer = true;
  std::int64_t integer = 0;
  double real = 0.0;

  double as_double() const { return is_integer ? static_cast<double>(integer) : real; }
};

enum class ComparisonOp { kEq, kNe, kLt, kLe, kGt, kGe };

// Quantifier is the optional `any` / `all` before a condition on a repeated field.
enum class Quantifier { kDefault, kAny, kAll };

// Literal is the right-hand side of a comparison.
struct Literal {
  enum class Kind { kString, kRawString, kNumber, kBool, kRegex };

  Kind kind = Kind::kString;
  // kString / kRawString: the decoded value. kNumber: the number as written.
  // kRegex: the text between the slashes exactly as written (printing reuses it).
  std::string text;
  Number number;                // kNumber; for strings, the number the text reads as, if any
  bool text_is_number = false;  // kString / kRawString: text reads as a number
  bool boolean = false;         // kBool
  bool nocase = false;          // `nocase` followed the string or regex
  std::shared_ptr<const re2::RE2> regex;  // kRegex: compiled once at parse time
  bool regex_dot_all = false;             // kRegex: pattern starts with an (?s) flag group
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

// Comparison is `[any|all] field op value [nocase]`.
struct Comparison {
  Quantifier quantifier = Quantifier::kDefault;
  FieldPath field;
  ComparisonOp op = ComparisonOp::kEq;
  Literal value;
};

// Contains is the function form `strings.contains(field, "substring")` (case-sensitive).
struct Contains {
  FieldPath field;
  std::string substring;
  bool raw = false;  // the argument was written as a backtick string
};

struct Not {
  NodePtr operand;
};

// Junction is an n-ary AND or OR; operands has at least two elements and no operand is a
// Junction of the same kind (the parser and conjoin() flatten them).
struct Junction {
  bool is_and = true;
  std::vector<NodePtr> operands;
};

struct Node {
  std::variant<Comparison, Contains, Not, Junction> value;
};

}  // namespace udm
