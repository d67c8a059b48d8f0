// printer.cpp — the canonical text of a query.
//
// Canonical form: upper-case AND/OR/NOT, explicit AND, one space around operators, lower-case
// any/all/nocase/true/false, strings in the quoting style they were written in, regexes exactly as
// written, and parentheses only where the tree needs them (an OR inside an AND or NOT; an AND
// inside a NOT).
#include <string>
#include <utility>
#include <variant>

#include "udm/lexer.hpp"
#include "udm/query.hpp"

namespace udm {
namespace {

std::string_view op_text(ComparisonOp op) {
  switch (op) {
    case ComparisonOp::kEq:
      return "=";
    case ComparisonOp::kNe:
      return "!=";
    case ComparisonOp::kLt:
      return "<";
    case ComparisonOp::kLe:
      return "<=";
    case ComparisonOp::kGt:
      return ">";
    case ComparisonOp::kGe:
      return ">=";
  }
  return "=";
}

void print_literal(const Literal& literal, std::string& out) {
  switch (literal.kind) {
    case Literal::Kind::kString:
      out += quote_string(literal.text);
      break;
    case Literal::Kind::kRawString:
      out += '`' + literal.text + '`';
      break;
    case Literal::Kind::kRegex:
      out += '/' + literal.text + '/';
      break;
    case Literal::Kind::kNumber:
    case Literal::Kind::kBool:
      out += literal.text;
      break;
  }
  if (literal.nocase) out += " nocase";
}

bool is_junction(const Node& node, bool is_and) {
  const auto* junction = std::get_if<Junction>(&node.value);
  return junction != nullptr && junction->is_and == is_and;
}

void print_node(const Node& node, std::string& out);

void print_operand(const Node& node, bool parenthesise, std::string& out) {
  if (parenthesise) out += '(';
  print_node(node, out);
  if (parenthesise) out += ')';
}

void print_node(const Node& node, std::string& out) {
  if (const auto* comparison = std::get_if<Comparison>(&node.value)) {
    if (comparison->quantifier == Quantifier::kAny) out += "any ";
    if (comparison->quantifier == Quantifier::kAll) out += "all ";
    out += comparison->field.text;
    out += ' ';
    out += op_text(comparison->op);
    out += ' ';
    print_literal(comparison->value, out);
  } else if (const auto* contains = std::get_if<Contains>(&node.value)) {
    out += "strings.contains(" + contains->field.text + ", ";
    out += contains->raw ? '`' + contains->substring + '`' : quote_string(contains->substring);
    out += ')';
  } else if (const auto* negation = std::get_if<Not>(&node.value)) {
    out += "NOT ";
    print_operand(*negation->operand, std::holds_alternative<Junction>(negation->operand->value),
                  out);
  } else if (const auto* junction = std::get_if<Junction>(&node.value)) {
    const std::string_view separator = junction->is_and ? " AND " : " OR ";
    bool first = true;
    for (const NodePtr& operand : junction->operands) {
      if (!first) out += separator;
      first = false;
      // Only an OR inside an AND needs parentheses; AND and NOT bind tighter than OR.
      print_operand(*operand, junction->is_and && is_junction(*operand, false), out);
    }
  }
}

}  // namespace

std::string to_string(const Query& query) {
  std::string out;
  print_node(query.root(), out);
  return out;
}

}  // namespace udm
