// Inputs fuzz_udm_query (tests/fuzz/, docs/fuzzing.md) found that broke the parser's contract:
// errors are values, so every one must come back as a ParseError, never an exception.
#include <catch2/catch.hpp>
#include <string>

#include "udm/query.hpp"

TEST_CASE("a bare udm field path is refused with an error, not an out_of_range exception",
          "[udm][fuzz]") {
  // Found by fuzz_udm_query: the "drop the udm. prefix" hint read past the end of "udm".
  for (const std::string query : {"udm = \"x\"", "  udm   a.ev_ntetype = \"PRO\"", "UDM = 1"}) {
    INFO(query);
    udm::ParseResult result = udm::parse(query);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message, Catch::Contains("is not a UDM field path") ||
                                           Catch::Contains("lower-case snake_case"));
  }
  const udm::ParseResult prefixed = udm::parse(R"(udm.principal.hostname = "x")");
  REQUIRE_FALSE(prefixed.ok());
  CHECK(prefixed.error().hint == "drop the udm. prefix: principal.hostname");
}
