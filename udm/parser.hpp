// parser.hpp — the recursive-descent parser behind udm::parse (internal to udm/).
//
//   query     := or END
//   or        := and (OR and)*
//   and       := unary ([AND] unary)*          juxtaposition is an implied AND
//   unary     := NOT unary | primary
//   primary   := '(' or ')' | condition
//   condition := [any|all] path op value [nocase]
//              | strings.contains '(' path ',' string ')'
//   path      := ident ('.' ident)* ['[' string ']']
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "udm/lexer.hpp"
#include "udm/query.hpp"

namespace udm {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text) {}

  // run parses the whole text. It throws ParseFailure, which parse() turns into a ParseError.
  NodePtr run();

 private:
  // Boolean structure (parser.cpp).
  NodePtr parse_or(std::size_t depth);
  NodePtr parse_and(std::size_t depth);
  NodePtr parse_unary(std::size_t depth);
  NodePtr parse_primary(std::size_t depth);
  bool starts_condition() const;
  void count_operator(std::size_t position);

  // Conditions (condition.cpp).
  NodePtr parse_condition();
  NodePtr parse_contains(const Token& name);
  FieldPath parse_field_path(const Token& word);
  Literal parse_value(const FieldPath& field, const Token& op);
  void check_comparison(const Comparison& comparison, const Token& op, const Token& value);
  void check_enum_field(const FieldPath& field, const Comparison* comparison,
                        const Token& value_token);
  void compile_regex(Literal& literal, const Token& token);
  [[noreturn]] void refuse_operator_word(const Token& word, const FieldPath& field);
  [[noreturn]] void expected_condition();

  // Tokens.
  void advance();
  Token peek() const;
  bool at_keyword(std::string_view keyword) const;
  [[noreturn]] void fail(std::size_t position, std::string message, std::string hint = {}) const;

  std::string_view text_;
  Lexer lexer_;
  Token current_;
  std::string previous_;  // the text of the last consumed token, for messages
  // Logical operators counted per open parenthesis group; [0] is the top level.
  std::vector<std::size_t> group_operators_{0};
};

// ParseFailure carries a ParseError out of the recursive descent; it never leaves udm::parse.
struct ParseFailure {
  ParseError error;
};

}  // namespace udm
