// number.hpp — reading and comparing the numbers of UDM Search (shared by parser and evaluator).
#pragma once

#include <charconv>
#include <optional>
#include <string_view>

#include "udm/ast.hpp"

namespace udm {

// parse_number reads all of text as `-?[0-9]+(\.[0-9]+)?`. Integers that do not fit in int64 are
// kept as doubles. Anything else (spaces, exponents, hex, "inf") is not a number.
inline std::optional<Number> parse_number(std::string_view text) {
  std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
  const std::size_t digits_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == digits_start) return std::nullopt;
  bool fraction = false;
  if (i < text.size() && text[i] == '.') {
    const std::size_t fraction_start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == fraction_start) return std::nullopt;
    fraction = true;
  }
  if (i != text.size()) return std::nullopt;

  const char* first = text.data();
  const char* last = text.data() + text.size();
  Number number;
  if (!fraction) {
    auto [end, error] = std::from_chars(first, last, number.integer);
    if (error == std::errc() && end == last) return number;
  }
  number.is_integer = false;
  auto [end, error] = std::from_chars(first, last, number.real);
  if (error != std::errc() || end != last) return std::nullopt;
  return number;
}

// compare_numbers returns <0, 0 or >0 as a is less than, equal to or greater than b.
inline int compare_numbers(const Number& a, const Number& b) {
  if (a.is_integer && b.is_integer) return (a.integer > b.integer) - (a.integer < b.integer);
  const double x = a.as_double();
  const double y = b.as_double();
  return (x > y) - (x < y);
}

}  // namespace udm
