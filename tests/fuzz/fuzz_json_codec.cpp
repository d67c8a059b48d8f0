// fuzz_json_codec: mcp::json_codec against nlohmann::json, byte for byte. For any input, parsing
// must give the same value of the same types (or refuse it, as nlohmann does), writing that value
// must give nlohmann's text, and the input taken as a string must be written as nlohmann writes it
// (escapes, UTF-8, invalid UTF-8 replaced). See tests/support/json_parity.hpp.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "support/json_parity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string problem = test::parity_problem(text);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_json_codec invariant broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
