// udm/timestamp: RFC 3339 reading and the one formatter shared by UDM, the hunt, the downstream
// client and lmhunt-sim.
#include <catch2/catch.hpp>

#include "udm/timestamp.hpp"

TEST_CASE("format_rfc3339 prints UTC with or without milliseconds", "[udm][time]") {
  CHECK(udm::format_rfc3339(0) == "1970-01-01T00:00:00.000Z");
  CHECK(udm::format_rfc3339(1714564800500) == "2024-05-01T12:00:00.500Z");
  CHECK(udm::format_rfc3339(1714564800500, false) == "2024-05-01T12:00:00Z");  // dropped
  CHECK(udm::format_rfc3339(951782400000) == "2000-02-29T00:00:00.000Z");      // leap day
  CHECK(udm::format_rfc3339(-1) == "1969-12-31T23:59:59.999Z");                // before 1970
  CHECK(udm::format_rfc3339(253402300799999) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("format_rfc3339 and parse_rfc3339 round-trip", "[udm][time]") {
  for (std::int64_t ms : {std::int64_t{0}, std::int64_t{1}, std::int64_t{86399999},
                          std::int64_t{1714564800123}, std::int64_t{-86400000}}) {
    auto parsed = udm::parse_rfc3339(udm::format_rfc3339(ms));
    REQUIRE(parsed);
    CHECK(parsed->seconds * 1000 + parsed->nanos / 1000000 == ms);
  }
  auto offset = udm::parse_rfc3339("2024-05-01T14:00:00.25+02:00");
  REQUIRE(offset);
  CHECK(udm::format_rfc3339(offset->seconds * 1000 + offset->nanos / 1000000) ==
        "2024-05-01T12:00:00.250Z");
  CHECK_FALSE(udm::parse_rfc3339("2024-05-01 12:00"));
}
