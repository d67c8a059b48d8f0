// query.hpp — UDM Search queries: parse, print, compose, evaluate over UDM JSON events.
//
// The grammar is Google SecOps (Chronicle) UDM Search: `field op value` conditions joined by AND,
// OR, NOT (case-insensitive; AND implied between juxtaposed conditions; NOT > AND > OR) and
// parentheses. See udm/README.md for the full grammar and the semantics chosen where Chronicle's
// documentation is silent.
//
// Errors are values: nothing in this header throws except ParseResult::value() / error() when
// asked for the alternative the result does not hold.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "udm/ast.hpp"
#include "udm/event_view.hpp"

namespace udm {

// kMaxQueryBytes bounds the length of a query text (our limit; Chronicle documents none).
inline constexpr std::size_t kMaxQueryBytes = 10'000;
// kMaxLogicalOperatorsPerGroup is Chronicle's documented limit on AND/OR/NOT inside one pair of
// parentheses (udm-search-best-practices).
inline constexpr std::size_t kMaxLogicalOperatorsPerGroup = 169;
// kMaxNestingDepth bounds nested parentheses and NOTs so recursion stays shallow.
inline constexpr std::size_t kMaxNestingDepth = 64;

// ParseError says where (0-based byte offset into the query) and what went wrong, plus a hint
// that shows how to write the intent in valid UDM Search syntax (empty if there is none).
struct ParseError {
  std::size_t position = 0;
  std::string message;
  std::string hint;

  // describe renders "at byte N: message (hint)" for logs and tool results.
  std::string describe() const;
};

class ParseResult;

// Query is a parsed, validated UDM Search query. It is immutable, cheap to copy and move, and safe
// to evaluate from many threads at once. Regular expressions are compiled and field paths split
// when the query is parsed. Only parse() and conjoin() make one, so every Query passed checks.
class Query {
 public:
  const Node& root() const { return *root_; }

 private:
  explicit Query(NodePtr root) : root_(std::move(root)) {}
  friend ParseResult parse(std::string_view text);
  friend Query conjoin(const Query& a, const Query& b);

  NodePtr root_;
};

// ParseResult holds either a Query or the ParseError explaining why the text is not one.
class ParseResult {
 public:
  ParseResult(Query query) : value_(std::move(query)) {}  // NOLINT(google-explicit-constructor)
  ParseResult(ParseError error)
      : value_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<Query>(value_); }
  explicit operator bool() const { return ok(); }

  // value and error throw std::bad_variant_access when the other alternative is held.
  const Query& value() const& { return std::get<Query>(value_); }
  Query value() && { return std::get<Query>(std::move(value_)); }
  const ParseError& error() const { return std::get<ParseError>(value_); }

 private:
  std::variant<Query, ParseError> value_;
};

// parse validates text as a UDM Search query. Invalid syntax, operators UDM Search does not have
// (CONTAINS, IN, LIKE, ==, &&, ||), regexes on enumerated fields, unknown metadata.event_type
// values and RE2 compile errors all come back as a ParseError with the offending byte offset.
ParseResult parse(std::string_view text);

// to_string prints the canonical form of query: keywords upper case, explicit AND, single spaces,
// the fewest parentheses that keep the tree. parse(to_string(q)) yields a query that prints the
// same.
std::string to_string(const Query& query);

// conjoin returns the query `(a) AND (b)` built as a tree, so neither operand can change how the
// other is grouped whatever its text was. Printing adds the parentheses the tree needs. The
// printed text is not re-checked against parse()'s limits (kMaxQueryBytes, and 169 operators per
// group once a top-level OR of an operand gets parentheses); parse it again before sending it
// when the operands are large.
Query conjoin(const Query& a, const Query& b);

// matches reports whether event satisfies query. event is a UDM event object (keys metadata,
// principal, target, ...) or a search result wrapping one under "udm". Keys are looked up in
// snake_case, then lowerCamelCase. Thread-safe; does not allocate for string and number fields.
bool matches(const Query& query, const nlohmann::json& event);

// matches over an EventView (udm/event_view.hpp) follows exactly the same rules as over JSON, so
// a view of an event and the event as JSON always agree. Thread-safe if the view's reads are.
bool matches(const Query& query, const EventView& event);

// Equality is a condition `field = "value"` that every matching event satisfies exactly (a
// case-sensitive string or enum equality).
struct Equality {
  std::string field;  // canonical field path, e.g. metadata.event_type
  std::string value;
};

// required_equalities returns the top-level AND conjuncts of query of the form
// `[any] field = "value"` (no nocase, no regex), for a store to choose an index. Every event that
// matches query has a scalar at that path whose text is exactly value (a JSON number counts as its
// decimal text; values that are empty or spell a number non-canonically are left out).
std::vector<Equality> required_equalities(const Query& query);

}  // namespace udm
