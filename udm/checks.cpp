// checks.cpp — what makes a condition valid beyond its shape: field paths, enumerated fields,
// operator/value types and RE2 syntax; and the strings.contains function form.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "udm/fields.hpp"
#include "udm/parser.hpp"

namespace udm {
namespace {

constexpr std::string_view kContainsFunction = "strings.contains";
// kMaxEnumValuesInHint bounds how many matching enum values a hint spells out.
constexpr std::size_t kMaxEnumValuesInHint = 6;

bool has_upper(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; });
}

// starts_with_dot_all reports whether pattern opens with a flag group that sets s, as in (?s) or
// (?is); Chronicle then matches the whole value instead of its first line.
bool starts_with_dot_all(std::string_view pattern) {
  if (!pattern.starts_with("(?")) return false;
  for (std::size_t i = 2; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == 's') return true;
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return false;
}

std::string regex_error_hint(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadPerlOp:
      return "RE2 has no lookahead, lookbehind or backreferences";
    case RE2::ErrorBadEscape:
      return "inside /.../ write a literal backslash as \\\\ and a slash as \\/";
    case RE2::ErrorMissingParen:
    case RE2::ErrorUnexpectedParen:
    case RE2::ErrorMissingBracket:
      return "balance ( ) and [ ], or escape literal ones as \\( \\) \\[";
    case RE2::ErrorRepeatArgument:
    case RE2::ErrorRepeatOp:
      return "escape a literal * + ? as \\* \\+ \\?; 'anything' is .*";
    default:
      return "";
  }
}

// or_of_equalities writes `(field = "A" OR field = "B")` for the given values.
std::string or_of_equalities(const std::string& field, const std::vector<std::string_view>& values,
                             std::size_t total) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += " OR ";
    out += field + " = \"" + std::string(values[i]) + "\"";
  }
  out += ")";
  if (total > values.size()) out += " ... (" + std::to_string(total) + " values match)";
  return out;
}

// enum_regex_hint lists the enum values the refused regex would have matched, as an OR.
std::string enum_regex_hint(const EnumField& field, const std::string& path,
                            const Literal& literal) {
  std::vector<std::string_view> shown;
  std::size_t total = 0;
  if (literal.regex != nullptr && literal.regex->ok()) {
    for (std::string_view value : field.values) {
      if (!RE2::PartialMatch(value, *literal.regex)) continue;
      if (shown.size() < kMaxEnumValuesInHint) shown.push_back(value);
      ++total;
    }
  }
  if (shown.empty())
    return "compare with an OR of values, e.g. " + or_of_equalities(path, {"A", "B"}, 0);
  return "compare with an OR of values: " + or_of_equalities(path, shown, total);
}

}  // namespace

FieldPath Parser::parse_field_path(const Token& word) {
  const std::string_view text = word.text;
  FieldPath path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    const std::string_view segment =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const std::size_t position = word.position + start;
    if (segment.empty()) {
      fail(position, "the field path " + std::string(text) + " has an empty part",
           "field paths are dotted names such as principal.process.file.full_path");
    }
    if (std::isdigit(static_cast<unsigned char>(segment[0]))) {
      fail(position, "the field name part " + std::string(segment) + " starts with a digit",
           "field paths are dotted names such as principal.process.file.full_path");
    }
    path.segments.push_back(PathSegment{std::string(segment), camel_case(segment)});
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }

  const auto nouns = top_level_nouns();
  // Only a path whose first part is a UDM noun once lower-cased is a field in the wrong case
  // (Principal.Hostname); anything else (a bare WKS-07) is not a field path at all, below.
  const bool udm_noun =
      std::find(nouns.begin(), nouns.end(), snake_case(path.segments.front().name)) != nouns.end();
  if (has_upper(text) && udm_noun) {
    std::string snake;
    for (const PathSegment& segment : path.segments) {
      if (!snake.empty()) snake += '.';
      snake += snake_case(segment.name);
    }
    fail(word.position, "UDM Search field names are lower-case snake_case: " + std::string(text),
         "write " + snake);
  }
  const std::string& noun = path.segments.front().name;
  if (std::find(nouns.begin(), nouns.end(), noun) == nouns.end()) {
    std::string hint =
        "UDM fields start with a noun such as principal, target, src, metadata or "
        "network, e.g. principal.hostname";
    if (noun == "udm" && path.segments.size() > 1) {  // a bare "udm" has no prefix to drop
      hint = "drop the udm. prefix: " + std::string(text.substr(4));
    } else if (path.segments.size() > 1) {
      hint = "did you mean " + std::string(closest(noun, nouns)) +
             std::string(text.substr(noun.size())) + "?";
    }
    fail(word.position, std::string(text) + " is not a UDM field path", hint);
  }
  if (path.segments.size() == 1) {
    fail(word.position, noun + " is a UDM noun, not a field",
         "name a field inside it, e.g. " + noun +
             (noun == "metadata" ? ".event_type" : ".hostname"));
  }
  path.text = std::string(text);

  if (current_.kind == TokenKind::kLBracket) {
    advance();
    if (current_.kind != TokenKind::kString && current_.kind != TokenKind::kRawString) {
      fail(current_.position, "expected a quoted key inside [ ] after " + path.text,
           "write " + path.text + "[\"key\"]");
    }
    path.map_key = current_.value;
    advance();
    if (current_.kind != TokenKind::kRBracket) {
      fail(current_.position, "expected ] after the map key of " + path.text,
           "write " + path.text + "[\"key\"]");
    }
    advance();
    path.text += '[';
    path.text += quote_string(*path.map_key);
    path.text += ']';
  }
  return path;
}

void Parser::check_enum_field(const FieldPath& field, const Comparison* comparison,
                              const Token& value_token) {
  const EnumField* enum_field = field.map_key ? nullptr : find_enum_field(field.text);
  if (enum_field == nullptr) return;
  const std::string& path = field.text;
  if (comparison == nullptr) {
    fail(value_token.position, path + " is an enumerated field; strings.contains cannot search it",
         "compare with an OR of values, e.g. (" + path + " = \"A\" OR " + path + " = \"B\")");
  }
  const Literal& literal = comparison->value;
  switch (literal.kind) {
    case Literal::Kind::kRegex:
      fail(value_token.position,
           path + " is an enumerated field; regular expressions do not work on it",
           enum_regex_hint(*enum_field, path, literal));
    case Literal::Kind::kNumber:
    case Literal::Kind::kBool:
      fail(value_token.position,
           path + " is an enumerated field; compare it with a quoted value name",
           "e.g. " + path + " = \"" +
               std::string(enum_field->values.size() > 1 ? enum_field->values[1] : "NAME") + "\"");
    default:
      break;
  }
  if (literal.nocase) {
    fail(value_token.position, "nocase does not apply to the enumerated field " + path,
         "enum values are exact upper-case names; remove nocase");
  }
  const auto& values = enum_field->values;
  if (!values.empty() && std::find(values.begin(), values.end(), literal.text) == values.end()) {
    fail(value_token.position, "unknown " + path + " value " + quote_string(literal.text),
         "did you mean \"" + std::string(closest(literal.text, values)) + "\"?");
  }
}

void Parser::check_comparison(const Comparison& comparison, const Token& op,
                              const Token& value_token) {
  const Literal& literal = comparison.value;
  const bool ordering = comparison.op != ComparisonOp::kEq && comparison.op != ComparisonOp::kNe;
  if (literal.kind == Literal::Kind::kRegex && ordering) {
    fail(op.position, "a regular expression can only be used with = or !=",
         "= means the value matches, != that it does not");
  }
  check_enum_field(comparison.field, &comparison, value_token);
  if (ordering && literal.kind != Literal::Kind::kNumber) {
    std::string hint = "use = or != to compare text";
    if (literal.text_is_number) {
      hint = "write the number without quotes: " + comparison.field.text + " " +
             std::string(op.text) + " " + literal.text;
    }
    fail(value_token.position,
         std::string(op.text) + " compares numbers, but " + describe_token(value_token) +
             " is not a number",
         hint);
  }
}

void Parser::compile_regex(Literal& literal, const Token& token) {
  if (token.value.empty()) {
    fail(token.position, "empty regular expression",
         "to require a non-empty value write field != \"\"");
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!literal.nocase);
  auto regex = std::make_shared<const RE2>(token.value, options);
  if (!regex->ok()) {
    fail(token.position,
         "invalid regular expression /" + std::string(token.text) + "/: " + regex->error(),
         regex_error_hint(regex->error_code()));
  }
  literal.regex = std::move(regex);
  literal.regex_dot_all = starts_with_dot_all(token.value);
}

NodePtr Parser::parse_contains(const Token& name) {
  if (name.text != kContainsFunction) {
    if (name.text == "re.regex") {
      fail(name.position, "re.regex is not available in UDM Search", "write field = /pattern/");
    }
    fail(name.position, "unknown function " + std::string(name.text),
         "UDM Search functions supported here: strings.contains(field, \"text\")");
  }
  advance();  // (
  if (current_.kind != TokenKind::kWord) {
    fail(current_.position, "strings.contains expects a field as its first argument",
         "write strings.contains(target.process.command_line, \"text\")");
  }
  const Token path_token = current_;
  advance();
  FieldPath field = parse_field_path(path_token);
  if (current_.kind != TokenKind::kComma) {
    fail(current_.position, "expected , after the field in strings.contains",
         "write strings.contains(" + field.text + ", \"text\")");
  }
  advance();
  if (current_.kind != TokenKind::kString && current_.kind != TokenKind::kRawString) {
    fail(current_.position, "strings.contains expects a quoted string as its second argument",
         "write strings.contains(" + field.text + ", \"text\")");
  }
  const Token value_token = current_;
  advance();
  if (current_.kind != TokenKind::kRParen) {
    fail(current_.position, "expected ) to close strings.contains(",
         "write strings.contains(" + field.text + ", \"text\")");
  }
  check_enum_field(field, nullptr, value_token);
  advance();
  if (current_.kind == TokenKind::kOperator) {
    fail(current_.position, "strings.contains(...) is a condition on its own and is not compared",
         "write NOT strings.contains(...) to negate it");
  }
  Contains contains{std::move(field), value_token.value, value_token.kind == TokenKind::kRawString};
  return std::make_shared<const Node>(Node{std::move(contains)});
}

}  // namespace udm
