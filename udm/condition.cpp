// condition.cpp — one condition: `[any|all] field op value [nocase]` or strings.contains(...),
// with the checks Chronicle applies before running a search (field shape, operator/value types,
// enumerated fields, RE2 syntax) and hints for operators other query languages have.
#include <re2/re2.h>

#include <memory>
#include <utility>

#include "udm/ascii.hpp"
#include "udm/fields.hpp"
#include "udm/number.hpp"
#include "udm/parser.hpp"

namespace udm {
namespace {

// value_source is how a value token is written again in a hint.
std::string value_source(const Token& token) {
  if (token.kind != TokenKind::kRegex) return std::string(token.text);
  std::string source = "/";
  source += token.text;
  source += '/';
  return source;
}

// in_list_hint renders `field IN (a, b)` as `(field = a OR field = b)` when lexer holds a
// well-formed list right after IN; otherwise it uses placeholder values.
std::string in_list_hint(Lexer lexer, const std::string& field) {
  std::string joined;
  Token token = lexer.next();
  if (token.kind == TokenKind::kLParen) {
    for (token = lexer.next();; token = lexer.next()) {
      if (token.kind != TokenKind::kString && token.kind != TokenKind::kRawString &&
          token.kind != TokenKind::kNumber) {
        break;
      }
      if (!joined.empty()) joined += " OR ";
      joined += field + " = " + value_source(token);
      token = lexer.next();
      if (token.kind == TokenKind::kRParen) return "(" + joined + ")";
      if (token.kind != TokenKind::kComma) break;
    }
  }
  return "(" + field + " = \"a\" OR " + field + " = \"b\")";
}

// looks_like_field reports whether an unquoted word reads as a UDM field path (noun.field...).
bool looks_like_field(std::string_view word) {
  const std::size_t dot = word.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view noun = word.substr(0, dot);
  for (std::string_view candidate : top_level_nouns()) {
    if (candidate == noun) return true;
  }
  return false;
}

}  // namespace

void Parser::refuse_operator_word(const Token& word, const FieldPath& field) {
  const std::string& name = field.text;
  Lexer after = lexer_;  // positioned just after `word`
  if (ascii_iequals(word.text, "CONTAINS")) {
    Token value = Lexer(after).next();
    std::string example = "/substring/ nocase";
    if (value.kind == TokenKind::kString || value.kind == TokenKind::kRawString) {
      example = "/" + RE2::QuoteMeta(value.value) + "/ nocase";
    }
    fail(word.position, "CONTAINS is not a UDM Search operator",
         "match a substring with a regular expression: " + name + " = " + example +
             " (or strings.contains(" + name + ", \"...\") for a case-sensitive match)");
  }
  if (ascii_iequals(word.text, "IN")) {
    fail(word.position, "IN is not a UDM Search operator",
         "list the values with OR: " + in_list_hint(after, name));
  }
  if (ascii_iequals(word.text, "NOT") && ascii_iequals(Lexer(after).next().text, "IN")) {
    Lexer list = after;
    list.next();  // IN
    fail(word.position, "NOT IN is not a UDM Search operator",
         "negate an OR of equalities: NOT " + in_list_hint(list, name));
  }
  if (ascii_iequals(word.text, "LIKE") || ascii_iequals(word.text, "MATCHES")) {
    fail(word.position, std::string(word.text) + " is not a UDM Search operator",
         "use a regular expression: " + name + " = /pattern/ nocase (unanchored; ^ and $ anchor)");
  }
  if (ascii_iequals(word.text, "IS")) {
    fail(word.position, "IS is not a UDM Search operator",
         "an absent field reads as empty: " + name + " = \"\" finds it absent, " + name +
             " != \"\" finds it present");
  }
  fail(word.position,
       "expected a comparison operator (=, !=, <, <=, >, >=) after " + name + " but found " +
           describe_token(word),
       "conditions are written " + name + " = \"value\"");
}

NodePtr Parser::parse_condition() {
  if (current_.kind != TokenKind::kWord || at_keyword("AND") || at_keyword("OR")) {
    expected_condition();
  }
  if (at_keyword("nocase")) {
    fail(current_.position, "nocase must directly follow a string or regular expression value",
         "write field = \"value\" nocase");
  }
  for (std::string_view word : {"CONTAINS", "IN", "LIKE", "IS", "MATCHES", "BETWEEN"}) {
    if (at_keyword(word)) {
      fail(current_.position, std::string(current_.text) + " is not a UDM Search keyword",
           "UDM Search has AND, OR, NOT and the operators = != < <= > >=");
    }
  }

  Comparison comparison;
  const Token first = current_;
  if ((at_keyword("any") || at_keyword("all")) && peek().kind == TokenKind::kWord) {
    comparison.quantifier = at_keyword("any") ? Quantifier::kAny : Quantifier::kAll;
    advance();
  }
  const Token path_token = current_;
  advance();
  if (current_.kind == TokenKind::kLParen) {
    if (comparison.quantifier != Quantifier::kDefault) {
      fail(first.position, "any/all cannot qualify a function call",
           "write strings.contains(field, \"x\") without any/all");
    }
    return parse_contains(path_token);
  }
  comparison.field = parse_field_path(path_token);

  if (current_.kind != TokenKind::kOperator) {
    if (current_.kind == TokenKind::kWord) refuse_operator_word(current_, comparison.field);
    if (current_.kind == TokenKind::kEnd) {
      fail(current_.position, comparison.field.text + " has no operator and value",
           "write " + comparison.field.text + " = \"value\"");
    }
    fail(current_.position, "expected a comparison operator (=, !=, <, <=, >, >=) after " +
                                comparison.field.text + " but found " + describe_token(current_));
  }
  const Token op = current_;
  comparison.op = op.op;
  advance();
  const Token value_token = current_;
  comparison.value = parse_value(comparison.field, op);
  check_comparison(comparison, op, value_token);
  return std::make_shared<const Node>(Node{std::move(comparison)});
}

Literal Parser::parse_value(const FieldPath& field, const Token& op) {
  Literal literal;
  const Token token = current_;
  switch (token.kind) {
    case TokenKind::kString:
    case TokenKind::kRawString:
      literal.kind =
          token.kind == TokenKind::kString ? Literal::Kind::kString : Literal::Kind::kRawString;
      literal.text = token.value;
      if (auto number = parse_number(literal.text)) {
        literal.number = *number;
        literal.text_is_number = true;
      }
      break;
    case TokenKind::kNumber:
      literal.kind = Literal::Kind::kNumber;
      literal.text = std::string(token.text);
      literal.number = parse_number(token.text).value_or(Number{});
      break;
    case TokenKind::kRegex:
      literal.kind = Literal::Kind::kRegex;
      literal.text = std::string(token.text);
      break;
    case TokenKind::kWord:
      if (at_keyword("true") || at_keyword("false")) {
        literal.kind = Literal::Kind::kBool;
        literal.boolean = at_keyword("true");
        literal.text = literal.boolean ? "true" : "false";
        break;
      }
      if (at_keyword("AND") || at_keyword("OR") || at_keyword("NOT") || at_keyword("nocase")) {
        fail(token.position,
             "missing value after " + std::string(op.text) + " (found " + describe_token(token) +
                 ")",
             "write " + field.text + " " + std::string(op.text) + " \"value\"");
      }
      if (looks_like_field(token.text)) {
        fail(token.position, "UDM Search compares a field with a literal value, not with a field",
             "quote the value if it is text: \"" + std::string(token.text) + "\"");
      }
      {
        const std::string bare(bare_value_at(text_, token.position));
        fail(token.position, "unquoted value " + bare,
             "quote text values: " + field.text + " " + std::string(op.text) + " \"" + bare + "\"");
      }
    case TokenKind::kEnd:
      fail(token.position, "missing value after " + std::string(op.text),
           "write " + field.text + " " + std::string(op.text) + " \"value\"");
    default:
      fail(token.position,
           "expected a value after " + std::string(op.text) + " but found " + describe_token(token),
           "values are \"strings\", `raw strings`, numbers, true/false or /regular expressions/");
  }
  advance();
  if (at_keyword("nocase")) {
    if (literal.kind == Literal::Kind::kNumber || literal.kind == Literal::Kind::kBool) {
      fail(current_.position, "nocase applies only to strings and regular expressions",
           "remove nocase after " + value_source(token));
    }
    literal.nocase = true;
    advance();
  }
  if (literal.kind == Literal::Kind::kRegex) compile_regex(literal, token);
  return literal;
}

}  // namespace udm
