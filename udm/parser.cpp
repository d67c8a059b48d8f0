// parser.cpp — udm::parse and the boolean structure of a query: OR, AND (explicit and implied),
// NOT and parentheses, with Chronicle's limit on operators per parenthesis group.
#include "udm/parser.hpp"

#include <memory>
#include <utility>

#include "udm/ascii.hpp"

namespace udm {

std::string ParseError::describe() const {
  std::string out = "at byte " + std::to_string(position) + ": " + message;
  if (!hint.empty()) out += " (" + hint + ")";
  return out;
}

ParseResult parse(std::string_view text) {
  try {
    Parser parser(text);
    return Query(parser.run());
  } catch (const ParseFailure& failure) {
    return failure.error;
  }
}

void Parser::fail(std::size_t position, std::string message, std::string hint) const {
  throw ParseFailure{ParseError{position, std::move(message), std::move(hint)}};
}

void Parser::advance() {
  previous_ = std::string(current_.text);
  current_ = lexer_.next();
  if (current_.kind == TokenKind::kError) {
    fail(current_.position, std::move(current_.value), std::move(current_.hint));
  }
}

Token Parser::peek() const {
  Lexer copy = lexer_;
  return copy.next();
}

bool Parser::at_keyword(std::string_view keyword) const {
  return current_.kind == TokenKind::kWord && ascii_iequals(current_.text, keyword);
}

NodePtr Parser::run() {
  if (text_.size() > kMaxQueryBytes) {
    fail(kMaxQueryBytes,
         "the query is " + std::to_string(text_.size()) + " bytes, longer than the limit of " +
             std::to_string(kMaxQueryBytes),
         "split it into several searches");
  }
  advance();
  if (current_.kind == TokenKind::kEnd) {
    fail(0, "empty query",
         "write at least one condition, e.g. metadata.event_type = \"PROCESS_LAUNCH\"");
  }
  NodePtr root = parse_or(0);
  switch (current_.kind) {
    case TokenKind::kEnd:
      return root;
    case TokenKind::kRParen:
      fail(current_.position, "unbalanced parentheses: this ) has no matching (",
           "remove it or add the ( it closes");
    default:
      fail(current_.position, "unexpected " + describe_token(current_) + " after a condition",
           "join conditions with AND or OR; a value containing spaces needs double quotes");
  }
}

void Parser::count_operator(std::size_t position) {
  if (group_operators_.size() < 2) return;  // the limit is per parenthesised group
  if (++group_operators_.back() > kMaxLogicalOperatorsPerGroup) {
    fail(position,
         "more than " + std::to_string(kMaxLogicalOperatorsPerGroup) +
             " logical operators (AND, OR, NOT) inside one pair of parentheses",
         "UDM Search allows at most " + std::to_string(kMaxLogicalOperatorsPerGroup) +
             " per group; split the list into several parenthesised groups or searches");
  }
}

namespace {

// junction builds an AND/OR node from operands, merging operands that are the same junction so
// the tree stays flat (a AND (b AND c) is a AND b AND c).
NodePtr junction(bool is_and, std::vector<NodePtr> operands) {
  if (operands.size() == 1) return std::move(operands.front());
  Junction node{is_and, {}};
  for (NodePtr& operand : operands) {
    const auto* inner = std::get_if<Junction>(&operand->value);
    if (inner != nullptr && inner->is_and == is_and) {
      node.operands.insert(node.operands.end(), inner->operands.begin(), inner->operands.end());
    } else {
      node.operands.push_back(std::move(operand));
    }
  }
  return std::make_shared<const Node>(Node{std::move(node)});
}

}  // namespace

NodePtr Parser::parse_or(std::size_t depth) {
  std::vector<NodePtr> operands;
  operands.push_back(parse_and(depth));
  while (at_keyword("OR")) {
    count_operator(current_.position);
    advance();
    operands.push_back(parse_and(depth));
  }
  return junction(false, std::move(operands));
}

bool Parser::starts_condition() const {
  if (current_.kind == TokenKind::kLParen) return true;
  return current_.kind == TokenKind::kWord && !at_keyword("AND") && !at_keyword("OR");
}

NodePtr Parser::parse_and(std::size_t depth) {
  std::vector<NodePtr> operands;
  operands.push_back(parse_unary(depth));
  while (true) {
    if (at_keyword("AND")) {
      count_operator(current_.position);
      advance();
    } else if (starts_condition()) {
      count_operator(current_.position);  // implied AND
    } else {
      break;
    }
    operands.push_back(parse_unary(depth));
  }
  return junction(true, std::move(operands));
}

NodePtr Parser::parse_unary(std::size_t depth) {
  if (depth > kMaxNestingDepth) {
    fail(current_.position,
         "the query nests parentheses and NOTs more than " + std::to_string(kMaxNestingDepth) +
             " levels deep",
         "flatten the query");
  }
  if (!at_keyword("NOT")) return parse_primary(depth);
  count_operator(current_.position);
  advance();
  NodePtr operand = parse_unary(depth + 1);
  return std::make_shared<const Node>(Node{Not{std::move(operand)}});
}

NodePtr Parser::parse_primary(std::size_t depth) {
  if (current_.kind != TokenKind::kLParen) return parse_condition();
  const std::size_t open = current_.position;
  advance();
  if (current_.kind == TokenKind::kRParen) {
    fail(open, "empty parentheses", "put a condition between ( and ), or remove them");
  }
  group_operators_.push_back(0);
  NodePtr inner = parse_or(depth + 1);
  group_operators_.pop_back();
  if (current_.kind == TokenKind::kEnd) {
    fail(open, "unbalanced parentheses: this ( is never closed", "add the ) that closes it");
  }
  if (current_.kind != TokenKind::kRParen) {
    fail(current_.position, "expected ) or AND/OR but found " + describe_token(current_),
         "a value containing spaces needs double quotes");
  }
  advance();
  return inner;
}

void Parser::expected_condition() {
  const std::string found = describe_token(current_);
  switch (current_.kind) {
    case TokenKind::kEnd:
      fail(current_.position,
           "the query ends after " + previous_ + " where a condition must follow",
           "remove the trailing " + previous_ + " or add a condition after it");
    case TokenKind::kRParen:
      fail(current_.position, "expected a condition before )",
           "remove the operator before ) or add a condition");
    case TokenKind::kWord:  // AND or OR where a condition should start
      fail(current_.position, "expected a condition but found " + found,
           "AND, OR and NOT go between conditions, as in a = \"x\" AND b = \"y\"");
    default:
      fail(current_.position, "expected a field but found " + found,
           "conditions are written field operator value, e.g. principal.hostname = \"win-server\"; "
           "UDM Search has no free-text terms");
  }
}

}  // namespace udm
