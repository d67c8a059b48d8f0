// scope_hosts.cpp — see scope_hosts.hpp. The scope tree is printed again with the host-name
// comparisons replaced and the text parsed anew: udm::Query is only built by the parser (so every
// query passed its checks), and printing with full parentheses keeps the tree's grouping.
#include "tools/hunt/scope_hosts.hpp"

#include <variant>

#include <re2/re2.h>

#include "tools/hunt/hunt_text.hpp"
#include "udm/lexer.hpp"

namespace hunt {

namespace {

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '.') out += '\\';
    out += c;
  }
  return out;
}

bool is_hostname_field(const udm::FieldPath& field) {
  return !field.map_key && !field.segments.empty() && field.segments.back().name == "hostname";
}

std::string op_text(udm::ComparisonOp op) {
  switch (op) {
    case udm::ComparisonOp::kEq:
      return "=";
    case udm::ComparisonOp::kNe:
      return "!=";
    case udm::ComparisonOp::kLt:
      return "<";
    case udm::ComparisonOp::kLe:
      return "<=";
    case udm::ComparisonOp::kGt:
      return ">";
    case udm::ComparisonOp::kGe:
      return ">=";
  }
  return "=";
}

std::string literal_text(const udm::Literal& literal) {
  std::string out;
  switch (literal.kind) {
    case udm::Literal::Kind::kString:
      out = udm::quote_string(literal.text);
      break;
    case udm::Literal::Kind::kRawString:
      out = '`' + literal.text + '`';
      break;
    case udm::Literal::Kind::kRegex:
      out = '/' + literal.text + '/';
      break;
    case udm::Literal::Kind::kNumber:
    case udm::Literal::Kind::kBool:
      out = literal.text;
      break;
  }
  if (literal.nocase) out += " nocase";
  return out;
}

std::string comparison_text(const udm::Comparison& c, const std::string& op,
                            const std::string& value) {
  std::string out;
  if (c.quantifier == udm::Quantifier::kAny) out += "any ";
  if (c.quantifier == udm::Quantifier::kAll) out += "all ";
  return out + c.field.text + " " + op + " " + value;
}

// Printer writes the tree fully parenthesised, rewriting host-name comparisons.
struct Printer {
  std::vector<std::string> widened;

  std::string print(const udm::Node& node) {
    if (const auto* c = std::get_if<udm::Comparison>(&node.value)) return comparison(*c);
    if (const auto* contains = std::get_if<udm::Contains>(&node.value)) {
      return "strings.contains(" + contains->field.text + ", " +
             (contains->raw ? '`' + contains->substring + '`'
                            : udm::quote_string(contains->substring)) +
             ")";
    }
    if (const auto* negation = std::get_if<udm::Not>(&node.value)) {
      return "NOT (" + print(*negation->operand) + ")";
    }
    const auto& junction = std::get<udm::Junction>(node.value);
    std::string out;
    for (const udm::NodePtr& operand : junction.operands) {
      if (!out.empty()) out += junction.is_and ? " AND " : " OR ";
      out += "(" + print(*operand) + ")";
    }
    return out;
  }

  std::string comparison(const udm::Comparison& c) {
    const std::string as_written = comparison_text(c, op_text(c.op), literal_text(c.value));
    const bool string = c.value.kind == udm::Literal::Kind::kString ||
                        c.value.kind == udm::Literal::Kind::kRawString;
    const bool equality = c.op == udm::ComparisonOp::kEq || c.op == udm::ComparisonOp::kNe;
    if (!is_hostname_field(c.field) || !string || !equality) return as_written;
    const auto regex = host_name_regex(c.value.text);
    if (!regex) return as_written;
    std::string rewritten = comparison_text(c, "=", *regex);
    if (c.op == udm::ComparisonOp::kNe) rewritten = "NOT (" + rewritten + ")";
    widened.push_back(as_written + " → " + rewritten);
    return rewritten;
  }
};

}  // namespace

std::optional<std::string> host_name_regex(const std::string& value) {
  // A DNS name or NetBIOS name: labels of letters, digits, '-' and '_' joined by dots.
  static const RE2 kHostName(R"([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)");
  if (!RE2::FullMatch(value, kHostName) || looks_like_ip(value)) return std::nullopt;
  const std::string lower = to_lower(value);
  const auto dot = lower.find('.');
  if (dot == std::string::npos) return "/^" + lower + "(\\..*)?$/ nocase";
  return "/^" + lower.substr(0, dot) + "(" + regex_escape(lower.substr(dot)) + ")?$/ nocase";
}

std::optional<WidenedScope> widen_scope_hosts(const udm::Query& scope) {
  Printer printer;
  const std::string text = printer.print(scope.root());
  if (printer.widened.empty()) return std::nullopt;
  auto parsed = udm::parse(text);
  if (!parsed) return std::nullopt;
  std::string canonical = udm::to_string(parsed.value());
  return WidenedScope{std::move(parsed).value(), std::move(canonical), std::move(printer.widened)};
}

}  // namespace hunt
