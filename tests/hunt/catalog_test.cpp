// catalog_test.cpp — parse_catalog refuses every malformed detection by id and reason.
#include <catch2/catch.hpp>

#include "support/hunt_fixture.hpp"
#include "tools/hunt/catalog.hpp"

using hunt::parse_catalog;
using mcp::Json;

namespace {

// with_change returns the test catalog with one field of the first detection replaced.
Json with_change(const std::string& key, Json value) {
  Json catalog = test::test_catalog_json();
  if (value.is_null()) {
    catalog["detections"][0].erase(key);
  } else {
    catalog["detections"][0][key] = std::move(value);
  }
  return catalog;
}

std::string error_of(const Json& catalog) {
  auto parsed = parse_catalog(catalog);
  REQUIRE_FALSE(parsed);
  return parsed.error().message;
}

}  // namespace

TEST_CASE("a valid catalog parses with every query parsed and techniques primary first",
          "[hunt][engine][catalog]") {
  auto catalog = parse_catalog(test::test_catalog_json());
  REQUIRE(catalog);
  REQUIRE(catalog->size() == 4);
  const auto& first = catalog->front();
  CHECK(first.id == "psexec_service_install");
  CHECK(first.techniques == std::vector<std::string>{"T1569.002", "T1021.002"});
  CHECK(first.runbook_query.find("CONTAINS") != std::string::npos);
  CHECK((*catalog)[1].techniques == std::vector<std::string>{"T1021.002"});
  CHECK(udm::matches(first.parsed, test::service_install("SRV01", 5)));
}

TEST_CASE("a catalog query that is not valid UDM Search is refused with the id and the parse error",
          "[hunt][engine][catalog]") {
  auto message = error_of(with_change(
      "query", "metadata.event_type = \"SERVICE_CREATION\" AND target.application CONTAINS \"x\""));
  CHECK(message.find("psexec_service_install") != std::string::npos);
  CHECK(message.find("query") != std::string::npos);
  CHECK(message.find("at byte") != std::string::npos);
}

TEST_CASE("catalog problems are named by detection and field", "[hunt][engine][catalog]") {
  struct Case {
    const char* key;
    Json value;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"family", "lateral", "field family"},
      {"role", "scored", "field role"},
      {"technique", "1047", "field technique"},
      {"techniques", Json::array({"T1047"}), "field techniques"},
      {"weight", 101, "field weight"},
      {"weight", "high", "field weight"},
      {"title", nullptr, "field title"},
      {"query", "target.application = \"PSEXESVC\"", "metadata.event_type"},
      {"id", "Bad-Id", "snake_case"},
  };
  for (const auto& c : cases) {
    INFO(c.key);
    CHECK(error_of(with_change(c.key, c.value)).find(c.expected) != std::string::npos);
  }
}

TEST_CASE("duplicate ids, a wrong version and an empty catalog are refused",
          "[hunt][engine][catalog]") {
  Json duplicate = test::test_catalog_json();
  duplicate["detections"].push_back(duplicate["detections"][0]);
  CHECK(error_of(duplicate).find("not unique") != std::string::npos);
  Json version = test::test_catalog_json();
  version["version"] = 2;
  CHECK(error_of(version).find("version") != std::string::npos);
  CHECK(error_of(Json{{"version", 1}, {"detections", Json::array()}}).find("detections") !=
        std::string::npos);
  CHECK(error_of(Json::array()).find("object") != std::string::npos);
}

TEST_CASE("catalog_to_json round-trips through parse_catalog", "[hunt][engine][catalog]") {
  auto again = parse_catalog(hunt::catalog_to_json(test::test_catalog()));
  REQUIRE(again);
  CHECK(again->size() == 4);
  CHECK((*again)[0].runbook_query == test::test_catalog()[0].runbook_query);
}
