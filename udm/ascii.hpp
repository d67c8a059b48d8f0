// ascii.hpp — locale-independent ASCII case folding, for keywords and `nocase`.
#pragma once

#include <algorithm>
#include <string_view>

namespace udm {

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// ascii_iequals compares a and b ignoring ASCII case; other bytes must be equal.
inline bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace udm
