#pragma once
// json_parity: checks that mcp::json_codec gives exactly what nlohmann::json
// gives for the same text (shared by tests/json_codec_test.cpp and the
// fuzz_json_codec target).
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "mcp/json_codec.hpp"

namespace test {

// identical: same types all the way down (an unsigned 1 is not a signed 1),
// same values, floats bit for bit, keys in the same order.
inline bool identical(const mcp::Json& a, const mcp::Json& b) {
  using T = mcp::Json::value_t;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case T::object: {
      if (a.size() != b.size()) return false;
      for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
        if (x.key() != y.key() || !identical(*x, *y)) return false;
      }
      return true;
    }
    case T::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t k = 0; k < a.size(); ++k) {
        if (!identical(a[k], b[k])) return false;
      }
      return true;
    }
    case T::number_float: {
      // Bit for bit: -0.0 and 0.0 compare equal as values.
      return std::bit_cast<std::uint64_t>(a.get<double>()) ==
             std::bit_cast<std::uint64_t>(b.get<double>());
    }
    case T::discarded:
      return true;
    default:
      return a == b;
  }
}

inline std::string nlohmann_dump(const mcp::Json& value) {
  return value.dump(-1, ' ', false, mcp::Json::error_handler_t::replace);
}

// parity_problem: "" when json_codec parses `text` to the value nlohmann
// parses it to (or both refuse it), and writes that value, and `text` as a
// string, as nlohmann writes them; otherwise what differs.
inline std::string parity_problem(std::string_view text) {
  const auto expected = mcp::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto got = mcp::json_codec::parse(text);
  if (expected.is_discarded() != got.is_discarded()) {
    return expected.is_discarded() ? "json_codec accepts what nlohmann refuses"
                                   : "json_codec refuses what nlohmann accepts";
  }
  if (!identical(expected, got)) {
    return "parsed differently: nlohmann " + nlohmann_dump(expected) + ", json_codec " +
           nlohmann_dump(got);
  }
  if (!expected.is_discarded() && mcp::json_codec::dump(expected) != nlohmann_dump(expected)) {
    return "written differently: " + mcp::json_codec::dump(expected);
  }
  // Any bytes as a string value: escapes, non-ASCII, invalid UTF-8.
  const mcp::Json raw = std::string(text);
  if (mcp::json_codec::dump(raw) != nlohmann_dump(raw)) {
    return "a string written differently: " + mcp::json_codec::dump(raw);
  }
  return "";
}

}  // namespace test
