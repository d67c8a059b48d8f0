// lexer.hpp — splits UDM Search text into tokens, one at a time, for the parser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "udm/ast.hpp"

namespace udm {

enum class TokenKind {
  kEnd,
  kWord,       // identifier or dotted path, keyword, true/false: [A-Za-z_][A-Za-z0-9_.]*
  kString,     // "..." with \" \\ \n \t escapes; value holds the decoded text
  kRawString,  // `...` without escapes
  kNumber,     // -?[0-9]+(\.[0-9]+)?
  kRegex,      // /.../; text is what lies between the slashes, value the pattern given to RE2
  kOperator,   // = != < <= > >=
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kError,  // value holds the message, hint the hint
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t position = 0;  // byte offset of the first character
  std::string_view text;     // the source characters of the token
  std::string value;
  std::string hint;  // kError only
  ComparisonOp op = ComparisonOp::kEq;
};

// Lexer is a cursor over the query text. Copying it is cheap, which is how the parser looks ahead.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // next returns the next token; after the end it keeps returning kEnd.
  Token next();

 private:
  Token lex_string(std::size_t start);
  Token lex_raw_string(std::size_t start);
  Token lex_regex(std::size_t start);
  Token lex_number_or_bare_value(std::size_t start);
  Token lex_word(std::size_t start);
  Token lex_operator(std::size_t start);
  Token make(TokenKind kind, std::size_t start, std::size_t end);
  Token error(std::size_t position, std::string message, std::string hint = {});

  std::string_view text_;
  std::size_t pos_ = 0;
};

// bare_value_at returns the run of letters, digits and _ . - : starting at position: how far an
// unquoted value such as 10.0.0.1 or WIN-01 reaches, for errors asking to quote it.
std::string_view bare_value_at(std::string_view text, std::size_t position);

// quote_string writes value as a double-quoted UDM Search string (the inverse of lexing one).
std::string quote_string(std::string_view value);

// describe_token names a token for error messages: `AND`, `"x"`, `end of query`.
std::string describe_token(const Token& token);

}  // namespace udm
