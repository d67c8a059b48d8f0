// json_codec gives exactly what nlohmann::json gives: the same values from the
// same text (or the same refusal), the same text from the same value.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "mcp/json_codec.hpp"
#include "mcp/jsonrpc.hpp"
#include "support/json_parity.hpp"

namespace {

using mcp::Json;

// Texts where simdjson and nlohmann could part ways.
const std::vector<std::string> kTricky = {
    // numbers: signed/unsigned, -0, the edges of 64 bits, out of range, forms
    "0",
    "-0",
    "[0,-0]",
    R"({"a":-0,"b":0})",
    "-0.0",
    "1",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "1e400",
    "-1e400",
    "1e-400",
    "1E2",
    "1.5e+3",
    "0.1",
    "2.2250738585072011e-308",
    "4.9e-324",
    "123456789012345678901234567890",
    "01",
    "1.",
    ".5",
    "+1",
    "-",
    "1e",
    "NaN",
    "Infinity",
    // strings: escapes, surrogates, control characters, UTF-8
    R"("\u0000")",
    R"("\ud83d\ude00")",
    R"("\ud800")",
    R"("\udc00")",
    R"("\ud800\u0041")",
    R"("\/\b\f\n\r\t\"\\")",
    R"("\x")",
    R"("\u12")",
    "\"a\x01\"",
    "\"a\x7f\"",
    "\"\xc3\xa9\"",
    "\"\xc0\x80\"",
    "\"\xed\xa0\x80\"",
    "\"\xf4\x90\x80\x80\"",
    "\"\xff\"",
    "\"\xe2\x82\"",
    // structure: repeated keys, order, nesting, whitespace, trailing bytes, BOM, NUL
    R"({"b":1,"a":2,"b":3})",
    R"({"":null})",
    "[]",
    "{}",
    "[[]]",
    " \t\r\n[1] \n",
    "[1] x",
    "[1,]",
    "{\"a\":1,}",
    "",
    " ",
    "\xef\xbb\xbf[1]",
    std::string("1\0x", 3),
    std::string("[1]\0", 4),
    "true",
    "false",
    "null",
    "nul",
    "[true,false,null]",
    std::string(100, '[') + std::string(100, ']'),
    std::string(63, '[') + std::string(63, ']'),
    std::string(64, '[') + std::string(64, ']'),
    std::string(65, '[') + std::string(65, ']'),
    // a real request
    R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}})",
};

// random_value writes a random JSON text of up to `depth` levels.
std::string random_value(std::mt19937& rng, int depth) {
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  static const std::vector<std::string> kAtoms = {"0",
                                                  "-0",
                                                  "1",
                                                  "-1",
                                                  "1.0",
                                                  "-0.0",
                                                  "1e5",
                                                  "2.5E-3",
                                                  "18446744073709551615",
                                                  "18446744073709551616",
                                                  "-9223372036854775809",
                                                  "true",
                                                  "false",
                                                  "null"};
  static const std::vector<std::string> kPieces = {"a",
                                                   "Z",
                                                   " ",
                                                   "\\\"",
                                                   "\\\\",
                                                   "\\/",
                                                   "\\n",
                                                   "\\t",
                                                   "\\u0000",
                                                   "\\u001f",
                                                   "\\u00e9",
                                                   "\\ud83d\\ude00",
                                                   "\xc3\xa9",
                                                   "\xe2\x82\xac",
                                                   "\xf0\x9f\x98\x80",
                                                   "-0",
                                                   "\x7f"};
  const int kind = depth <= 0 ? pick(2) : pick(4);
  if (kind == 0) return kAtoms[static_cast<std::size_t>(pick(static_cast<int>(kAtoms.size())))];
  if (kind == 1) {
    std::string s = "\"";
    for (int k = pick(6); k > 0; --k) {
      s += kPieces[static_cast<std::size_t>(pick(static_cast<int>(kPieces.size())))];
    }
    return s + "\"";
  }
  const bool object = kind == 2;
  std::string s = object ? "{" : "[";
  for (int k = pick(5); k > 0; --k) {
    if (s.size() > 1) s += ",";
    if (object) s += "\"" + std::string(1, static_cast<char>('a' + pick(4))) + "\":";
    s += random_value(rng, depth - 1);
  }
  return s + (object ? "}" : "]");
}

}  // namespace

TEST_CASE("json_codec reads and writes the tricky texts as nlohmann does", "[json_codec]") {
  for (const auto& text : kTricky) {
    INFO("text: " << text);
    CHECK(test::parity_problem(text).empty());
  }
}

TEST_CASE("json_codec agrees with nlohmann on random texts and their damaged copies",
          "[json_codec]") {
  std::mt19937 rng(20261127);  // fixed: a failure replays
  for (int n = 0; n < 3000; ++n) {
    std::string text = random_value(rng, 4);
    if (n % 2 == 1 && !text.empty()) {  // damage one byte
      text[rng() % text.size()] = static_cast<char>(rng() % 256);
    }
    INFO("text: " << text);
    REQUIRE(test::parity_problem(text).empty());
  }
}

TEST_CASE("json_codec keeps the types nlohmann gives numbers", "[json_codec]") {
  const auto value = mcp::json_codec::parse(R"([0,-0,5,-5,18446744073709551615,1.0])");
  CHECK(value[0].is_number_unsigned());
  CHECK(value[1].is_number_integer());
  CHECK_FALSE(value[1].is_number_unsigned());
  CHECK(value[2].is_number_unsigned());
  CHECK(value[3].get<std::int64_t>() == -5);
  CHECK(value[4].get<std::uint64_t>() == 18446744073709551615ULL);
  CHECK(value[5].is_number_float());
  CHECK(mcp::json_codec::parse(R"({"k":1,"k":2})") == Json{{"k", 2}});
  CHECK(mcp::json_codec::parse("[1,").is_discarded());
}

TEST_CASE("json_codec writes strings as nlohmann does, invalid UTF-8 replaced", "[json_codec]") {
  CHECK(mcp::json_codec::dump(Json("a\"b\\c\n\x01\x7f")) == R"("a\"b\\c\n\u0001)"
                                                            "\x7f\"");
  CHECK(mcp::json_codec::dump(Json("caf\xc3\xa9")) == "\"caf\xc3\xa9\"");
  CHECK(mcp::json_codec::dump(Json("bad \xff byte")) == "\"bad \xef\xbf\xbd byte\"");
  CHECK(mcp::json_codec::dump(Json{{"b", 1.5}, {"a", {nullptr, true, -2}}}) ==
        R"({"a":[null,true,-2],"b":1.5})");
}

TEST_CASE("texts too large or too deep for the fast path are still read", "[json_codec]") {
  std::string big = R"({"text":")" + std::string(40000, 'x') + R"("})";
  CHECK(mcp::json_codec::parse(big)["text"].get<std::string>().size() == 40000);
  std::string deep = std::string(500, '[') + std::string(500, ']');
  CHECK(test::parity_problem(deep).empty());
  // decode and encode, the message path, go through json_codec.
  auto decoded = mcp::jsonrpc::decode(R"({"jsonrpc":"2.0","id":-0,"method":"ping"})");
  REQUIRE(std::holds_alternative<mcp::jsonrpc::Message>(decoded));
  CHECK(mcp::jsonrpc::encode(std::get<mcp::jsonrpc::Message>(decoded).id) == "0");
}
