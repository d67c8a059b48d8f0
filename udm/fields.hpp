// fields.hpp — what the grammar knows about UDM fields: the top-level nouns, the enumerated
// fields (no regex, and for some a closed set of values) and the camelCase spelling of a segment.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace udm {

// EnumField describes an enumerated UDM field. values is empty when lmhunt does not check the
// values of that field (only that no regex is used on it).
struct EnumField {
  std::string_view path;  // "<noun>." at the start stands for any entity noun (principal, ...)
  std::span<const std::string_view> values;
};

// find_enum_field returns the enumerated field with this canonical path, or nullptr.
const EnumField* find_enum_field(std::string_view path);

// top_level_nouns lists the first segments a UDM event field path may start with.
std::span<const std::string_view> top_level_nouns();

// closest returns the candidate nearest to word by case-insensitive edit distance ("" if none).
std::string_view closest(std::string_view word, std::span<const std::string_view> candidates);

// camel_case turns a snake_case segment into lowerCamelCase: `command_line` → `commandLine`.
std::string camel_case(std::string_view snake);

// snake_case turns a camelCase segment into snake_case: `commandLine` → `command_line`.
std::string snake_case(std::string_view camel);

}  // namespace udm
