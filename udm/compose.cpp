// compose.cpp — building queries from queries, and reading what an index can use.
#include <memory>
#include <utility>
#include <variant>

#include "udm/query.hpp"

namespace udm {
namespace {

// is_canonical_integer reports whether text is how a JSON integer prints (no sign on zero, no
// leading zeros), so that an index keyed on the text of scalars finds numbers equal to it.
bool is_canonical_integer(std::string_view text) {
  std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  if (digits.size() > 1 && digits.front() == '0') return false;
  return !(text.starts_with('-') && digits == "0");
}

// indexable_equality returns the Equality that node states, if it is `[any] f = "v"`.
std::optional<Equality> indexable_equality(const Node& node) {
  const auto* comparison = std::get_if<Comparison>(&node.value);
  if (comparison == nullptr || comparison->op != ComparisonOp::kEq ||
      comparison->quantifier == Quantifier::kAll) {
    return std::nullopt;
  }
  const Literal& literal = comparison->value;
  const bool string =
      literal.kind == Literal::Kind::kString || literal.kind == Literal::Kind::kRawString;
  if (!string || literal.nocase || literal.text.empty()) return std::nullopt;
  if (literal.text_is_number && !is_canonical_integer(literal.text)) return std::nullopt;
  // .seconds / .nanos may be read out of RFC 3339 text, which an index would not hold.
  const std::string& last = comparison->field.segments.back().name;
  if (!comparison->field.map_key && (last == "seconds" || last == "nanos")) return std::nullopt;
  return Equality{comparison->field.text, literal.text};
}

}  // namespace

Query conjoin(const Query& a, const Query& b) {
  std::vector<NodePtr> operands;
  for (const Query* query : {&a, &b}) {
    const auto* junction = std::get_if<Junction>(&query->root().value);
    if (junction != nullptr && junction->is_and) {
      operands.insert(operands.end(), junction->operands.begin(), junction->operands.end());
    } else {
      operands.push_back(query->root_);
    }
  }
  return Query(std::make_shared<const Node>(Node{Junction{true, std::move(operands)}}));
}

std::vector<Equality> required_equalities(const Query& query) {
  std::vector<Equality> equalities;
  const Node& root = query.root();
  const auto* junction = std::get_if<Junction>(&root.value);
  if (junction == nullptr || !junction->is_and) {
    if (auto equality = indexable_equality(root)) equalities.push_back(std::move(*equality));
    return equalities;
  }
  for (const NodePtr& operand : junction->operands) {
    if (auto equality = indexable_equality(*operand)) equalities.push_back(std::move(*equality));
  }
  return equalities;
}

}  // namespace udm
