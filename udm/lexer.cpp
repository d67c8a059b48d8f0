// lexer.cpp — tokens of UDM Search. Operators other languages use (==, &&, ||, <>, !) come back as
// error tokens whose hint names the UDM Search spelling.
#include "udm/lexer.hpp"

#include <cctype>
#include <utility>

namespace udm {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c) || c == '.';
}
// Characters of an unquoted value such as 10.0.0.1, WIN-01 or fe80::1, for a helpful error.
bool is_bare_value_char(char c) {
  return is_word_char(c) || c == '-' || c == ':';
}

}  // namespace

Token Lexer::make(TokenKind kind, std::size_t start, std::size_t end) {
  Token token;
  token.kind = kind;
  token.position = start;
  token.text = text_.substr(start, end - start);
  pos_ = end;
  return token;
}

Token Lexer::error(std::size_t position, std::string message, std::string hint) {
  Token token;
  token.kind = TokenKind::kError;
  token.position = position;
  token.text = text_.substr(position, 1);
  token.value = std::move(message);
  token.hint = std::move(hint);
  pos_ = text_.size();  // stop: the parser reports the first error only
  return token;
}

Token Lexer::next() {
  while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  if (pos_ >= text_.size()) return make(TokenKind::kEnd, text_.size(), text_.size());

  const std::size_t start = pos_;
  const char c = text_[start];
  switch (c) {
    case '(':
      return make(TokenKind::kLParen, start, start + 1);
    case ')':
      return make(TokenKind::kRParen, start, start + 1);
    case '[':
      return make(TokenKind::kLBracket, start, start + 1);
    case ']':
      return make(TokenKind::kRBracket, start, start + 1);
    case ',':
      return make(TokenKind::kComma, start, start + 1);
    case '"':
      return lex_string(start);
    case '`':
      return lex_raw_string(start);
    case '/':
      return lex_regex(start);
    case '\'':
      return error(start, "single quotes do not delimit strings in UDM Search",
                   "use double quotes (\"...\") or backticks (`...`) around text values");
    default:
      break;
  }
  if (is_digit(c) || (c == '-' && start + 1 < text_.size() && is_digit(text_[start + 1]))) {
    return lex_number_or_bare_value(start);
  }
  if (is_word_start(c)) return lex_word(start);
  return lex_operator(start);
}

Token Lexer::lex_string(std::size_t start) {
  std::string value;
  std::size_t i = start + 1;
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == '"') {
      Token token = make(TokenKind::kString, start, i + 1);
      token.value = std::move(value);
      return token;
    }
    if (c == '\\') {
      if (i + 1 >= text_.size()) break;
      switch (text_[i + 1]) {
        case '"':
          value.push_back('"');
          break;
        case '\\':
          value.push_back('\\');
          break;
        case 'n':
          value.push_back('\n');
          break;
        case 't':
          value.push_back('\t');
          break;
        default:
          return error(
              i, "unknown escape sequence \\" + std::string(1, text_[i + 1]) + " in string",
              "inside \"...\" write a backslash as \\\\ (e.g. \"C:\\\\Windows\"), or use a "
              "backtick string such as `C:\\Windows` which has no escapes");
      }
      i += 2;
      continue;
    }
    value.push_back(c);
    ++i;
  }
  return error(start, "unterminated string: this \" is never closed",
               "close the string with \"; write a quote inside it as \\\"");
}

Token Lexer::lex_raw_string(std::size_t start) {
  const std::size_t close = text_.find('`', start + 1);
  if (close == std::string_view::npos) {
    return error(start, "unterminated backtick string: this ` is never closed",
                 "close the string with `");
  }
  Token token = make(TokenKind::kRawString, start, close + 1);
  token.value = std::string(text_.substr(start + 1, close - start - 1));
  return token;
}

Token Lexer::lex_regex(std::size_t start) {
  // Inside /.../ a backslash always takes the next character with it; only \/ is rewritten (to a
  // plain slash) before the pattern reaches RE2.
  std::string pattern;
  std::size_t i = start + 1;
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == '/') {
      Token token = make(TokenKind::kRegex, start, i + 1);
      token.value = std::move(pattern);
      token.text = text_.substr(start + 1, i - start - 1);
      return token;
    }
    if (c == '\\' && i + 1 < text_.size()) {
      if (text_[i + 1] != '/') pattern.push_back('\\');
      pattern.push_back(text_[i + 1]);
      i += 2;
      continue;
    }
    pattern.push_back(c);
    ++i;
  }
  return error(start, "unterminated regular expression: this / is never closed",
               "close the regular expression with /; write a slash inside it as \\/");
}

Token Lexer::lex_number_or_bare_value(std::size_t start) {
  std::size_t i = start + (text_[start] == '-' ? 1 : 0);
  while (i < text_.size() && is_digit(text_[i])) ++i;
  if (i + 1 < text_.size() && text_[i] == '.' && is_digit(text_[i + 1])) {
    i += 2;
    while (i < text_.size() && is_digit(text_[i])) ++i;
  }
  if (i < text_.size() && is_bare_value_char(text_[i])) {
    const std::string bare(bare_value_at(text_, start));
    return error(start, "unquoted value " + bare,
                 "quote text values such as IP addresses: \"" + bare + "\"");
  }
  return make(TokenKind::kNumber, start, i);
}

Token Lexer::lex_word(std::size_t start) {
  std::size_t i = start;
  while (i < text_.size() && is_word_char(text_[i])) ++i;
  return make(TokenKind::kWord, start, i);
}

Token Lexer::lex_operator(std::size_t start) {
  const char c = text_[start];
  const char d = start + 1 < text_.size() ? text_[start + 1] : '\0';
  auto op = [&](ComparisonOp value, std::size_t length) {
    Token token = make(TokenKind::kOperator, start, start + length);
    token.op = value;
    return token;
  };
  switch (c) {
    case '=':
      if (d == '=') return error(start, "== is not a UDM Search operator", "use = for equality");
      return op(ComparisonOp::kEq, 1);
    case '!':
      if (d == '=') return op(ComparisonOp::kNe, 2);
      return error(start, "! is not a UDM Search operator",
                   "use NOT before a condition to negate it, or != for not-equal");
    case '<':
      if (d == '=') return op(ComparisonOp::kLe, 2);
      if (d == '>') return error(start, "<> is not a UDM Search operator", "use != for not-equal");
      return op(ComparisonOp::kLt, 1);
    case '>':
      if (d == '=') return op(ComparisonOp::kGe, 2);
      return op(ComparisonOp::kGt, 1);
    case '&':
      return error(start, std::string(d == '&' ? "&&" : "&") + " is not a UDM Search operator",
                   "use AND to require both conditions");
    case '|':
      return error(start, std::string(d == '|' ? "||" : "|") + " is not a UDM Search operator",
                   "use OR to accept either condition");
    case ':':
      return error(start, ": is not a UDM Search operator",
                   "write conditions as field = \"value\"");
    default:
      break;
  }
  const auto byte = static_cast<unsigned char>(c);
  std::string shown = (byte >= 0x20 && byte < 0x7f) ? std::string(1, c) : "byte 0x";
  if (shown == "byte 0x") {
    constexpr char kHex[] = "0123456789abcdef";
    shown += kHex[byte >> 4];
    shown += kHex[byte & 0xf];
  }
  return error(start, "unexpected character " + shown, "");
}

std::string_view bare_value_at(std::string_view text, std::size_t position) {
  std::size_t end = position;
  while (end < text.size() && is_bare_value_char(text[end])) ++end;
  return text.substr(position, end - position);
}

std::string quote_string(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string describe_token(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "the end of the query";
    case TokenKind::kString:
    case TokenKind::kRawString:
      return "the string " + std::string(token.text);
    case TokenKind::kNumber:
      return "the number " + std::string(token.text);
    case TokenKind::kRegex:
      return "the regular expression /" + std::string(token.text) + "/";
    default: {
      std::string quoted = "'";
      quoted += token.text;
      quoted += '\'';
      return quoted;
    }
  }
}

}  // namespace udm
