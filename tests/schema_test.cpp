// JsonSchema (server/mcp/schema.cpp) against the official JSON Schema test
// suite (Debian's json-schema-test-suite, draft 7), and its fast path for flat
// object schemas against valijson's own answers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "mcp/schema.hpp"

using mcp::Json;
using mcp::JsonSchema;

namespace {

const std::filesystem::path kSuite = LMHUNT_JSON_SCHEMA_SUITE;

struct SuiteCase {
  std::string where;  // file: group: test
  Json schema;
  Json data;
  bool valid;
};

// suite_cases reads every case of the draft-7 suite's required keywords
// (not optional/, not refRemote.json, which needs a server for its remotes).
std::vector<SuiteCase> suite_cases() {
  std::vector<SuiteCase> cases;
  for (const auto& entry : std::filesystem::directory_iterator(kSuite)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "refRemote.json") {
      continue;
    }
    std::ifstream in(entry.path());
    const Json groups = Json::parse(in);
    for (const auto& group : groups) {
      for (const auto& test : group["tests"]) {
        cases.push_back({entry.path().filename().string() + ": " +
                             group["description"].get<std::string>() + ": " +
                             test["description"].get<std::string>(),
                         group["schema"], test["data"], test["valid"].get<bool>()});
      }
    }
  }
  return cases;
}

bool conforms(const JsonSchema& schema, const Json& document) {
  return !schema.validate(document).has_value();
}

// uses_ref is true for a schema with a "$ref": moved under a property, "#"
// no longer names it; and in draft 7 a keyword beside "$ref" is ignored.
bool uses_ref(const Json& schema) {
  return schema.dump().find("\"$ref\"") != std::string::npos;
}

}  // namespace

TEST_CASE("JSON Schema suite: every case of draft 7 as the suite expects", "[schema][suite]") {
  const auto cases = suite_cases();
  REQUIRE(cases.size() > 300);  // the suite is installed and was read
  int checked = 0;
  for (const auto& c : cases) {
    auto schema = JsonSchema::compile(c.schema);
    if (!schema.ok()) continue;  // boolean schemas: tools' schemas must be objects
    INFO(c.where << "\nschema " << c.schema.dump() << "\ndata " << c.data.dump());
    CHECK(conforms(schema.value(), c.data) == c.valid);
    ++checked;
  }
  CHECK(checked > 300);
}

// Every suite schema becomes the schema of one property of a flat object
// ({"type":"object","properties":{"x": S},"required":["x"]}), which is the
// shape the fast path takes when S is a type-only schema: {"x": data} must
// conform exactly when data conforms to S.
TEST_CASE("JSON Schema suite: each case as a property of a flat object", "[schema][suite]") {
  for (const auto& c : suite_cases()) {
    if (!c.schema.is_object() || uses_ref(c.schema)) continue;
    Json wrapper = {{"type", "object"}, {"properties", {{"x", c.schema}}}, {"required", {"x"}}};
    auto schema = JsonSchema::compile(wrapper);
    if (!schema.ok()) continue;
    INFO(c.where << "\nschema " << wrapper.dump() << "\ndata " << c.data.dump());
    CHECK(conforms(schema.value(), {{"x", c.data}}) == c.valid);
  }
}

// Each suite schema with "type": "object" added (when it had no type): an
// object conforms as the suite says, anything else does not.
TEST_CASE("JSON Schema suite: each case with the object type added", "[schema][suite]") {
  for (const auto& c : suite_cases()) {
    if (!c.schema.is_object() || c.schema.contains("type") || uses_ref(c.schema)) continue;
    Json typed = c.schema;
    typed["type"] = "object";
    auto schema = JsonSchema::compile(typed);
    if (!schema.ok()) continue;
    INFO(c.where << "\nschema " << typed.dump() << "\ndata " << c.data.dump());
    CHECK(conforms(schema.value(), c.data) == (c.data.is_object() && c.valid));
  }
}

namespace {

// random_value is a small random JSON value of any type.
Json random_value(std::mt19937& rng, int depth = 0) {
  switch (std::uniform_int_distribution<int>(0, depth > 1 ? 5 : 7)(rng)) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<int>(rng() % 200) - 100;
    case 3:
      return (rng() % 2 == 0) ? 2.0 : 0.5;
    case 4:
      return std::to_string(rng() % 10);
    case 5:
      return static_cast<unsigned>(rng() % 100);
    case 6:
      return Json::array({random_value(rng, depth + 1)});
    default:
      return Json{{"a", random_value(rng, depth + 1)}};
  }
}

}  // namespace

// The fast path only ever says "valid": whatever it accepts, valijson alone
// (reached through a schema the fast path does not take) must accept too.
TEST_CASE("flat object schemas answer as the same schema through valijson", "[schema]") {
  const char* types[] = {"string", "integer", "number", "boolean", "object", "array", "null"};
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    Json flat = {{"type", "object"}, {"properties", Json::object()}};
    const std::vector<std::string> names = {"a", "b", "c"};
    for (const auto& name : names) {
      if (rng() % 4 == 0) continue;
      flat["properties"][name] = Json::object();
      if (rng() % 5 != 0) flat["properties"][name]["type"] = types[rng() % 7];
      if (rng() % 3 == 0) flat["properties"][name]["description"] = "field " + name;
    }
    if (rng() % 2 == 0) flat["required"] = Json::array({names[rng() % 3]});
    if (rng() % 2 == 0) flat["additionalProperties"] = rng() % 2 == 0;
    // The same constraints, plus a keyword that never fails ("minProperties":
    // 0), which keeps the schema off the fast path and on valijson alone.
    Json slow = flat;
    slow["minProperties"] = 0;
    auto fast_schema = JsonSchema::compile(flat);
    auto slow_schema = JsonSchema::compile(slow);
    REQUIRE(fast_schema.ok());
    REQUIRE(slow_schema.ok());
    for (int k = 0; k < 20; ++k) {
      Json document = Json::object();
      for (const auto& name : {"a", "b", "c", "d"}) {
        if (rng() % 3 != 0) document[name] = random_value(rng);
      }
      if (k == 0) document = random_value(rng);  // not always an object
      INFO("schema " << flat.dump() << "\ndocument " << document.dump());
      const auto fast = fast_schema.value().validate(document);
      const auto slow_answer = slow_schema.value().validate(document);
      CHECK(fast.has_value() == slow_answer.has_value());
      if (fast && slow_answer) CHECK(*fast == *slow_answer);  // same message too
    }
  }
}

// valijson is built to throw (VALIJSON_USE_EXCEPTIONS): a schema it cannot
// use is an error from compile, where it used to abort() the process.
TEST_CASE("a schema valijson cannot use is an error, not an abort", "[schema]") {
  auto remote = JsonSchema::compile(Json{{"$ref", "http://example.com/other.json"}});
  REQUIRE_FALSE(remote.ok());
  CHECK_THAT(remote.error().message, Catch::Contains("invalid JSON Schema"));
  CHECK_FALSE(JsonSchema::compile(Json{{"required", 5}}).ok());
}

TEST_CASE("a wrong type names the field and the type expected and what was sent", "[schema]") {
  const Json schema = Json::parse(R"({
    "type": "object",
    "properties": {
      "hours": {"type": "integer", "minimum": 1},
      "when": {"type": ["string", "null"]},
      "hosts": {"type": "array", "items": {"type": "string"}},
      "nested": {"type": "object", "properties": {"flag": {"type": "boolean"}}},
      "either": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}
    }
  })");
  auto compiled = JsonSchema::compile(schema);
  REQUIRE(compiled.ok());
  const auto& s = compiled.value();
  const std::vector<std::pair<Json, std::string>> rows = {
      {{{"hours", "72"}}, R"(hours: expected integer, got string "72")"},
      {{{"hours", 1.5}}, "hours: expected integer, got number 1.5"},
      {{{"when", 3.0}}, "when: expected string or null, got number 3.0"},
      {{{"hours", std::string(100, 'x')}}, "hours: expected integer, got string"},
      {{{"when", 5}}, "when: expected string or null, got integer 5"},
      {{{"hosts", {"a", 7}}}, "hosts[1]: expected string, got integer 7"},
      {{{"hosts", "a"}}, R"(hosts: expected array, got string "a")"},
      {{{"nested", {{"flag", "yes"}}}}, R"(nested.flag: expected boolean, got string "yes")"},
  };
  for (const auto& [document, message] : rows) {
    INFO(document.dump());
    CHECK(s.validate(document) == message);
  }
  // A value outside an enum, and a property the schema does not know, say what it expects.
  auto closed = JsonSchema::compile(Json::parse(R"({
    "type": "object",
    "properties": {
      "mode": {"type": "string", "enum": ["fast", "full"]},
      "families": {"type": "array", "items": {"type": "string", "enum": ["psexec", "wmi"]}}
    },
    "additionalProperties": false
  })"));
  REQUIRE(closed.ok());
  CHECK(closed.value().validate({{"mode", "quick"}}) ==
        R"(mode: expected one of "fast", "full", got "quick")");
  CHECK(closed.value().validate({{"families", {"wmi", "PsExec"}}}) ==
        R"(families[1]: expected one of "psexec", "wmi", got "PsExec")");
  CHECK(closed.value().validate({{"mode", "full"}, {"hours", 3}, {"zone", "x"}}) ==
        "arguments: unknown property hours, zone (known: families, mode)");
  // Other failures keep valijson's words; so does a type that is not one place
  // in the schema (inside anyOf).
  const auto too_small = s.validate({{"hours", 0}});
  REQUIRE(too_small.has_value());
  CHECK(too_small->rfind("hours: ", 0) == 0);
  CHECK(too_small->find("expected") == std::string::npos);
  CHECK(too_small->find("to 1") != std::string::npos);  // not valijson's "1.000000"
  CHECK(too_small->find(".000000") == std::string::npos);
  const auto either = s.validate({{"either", "x"}});
  REQUIRE(either.has_value());
  CHECK(either->rfind("either", 0) == 0);
}

// JSON Schema (draft 6 on) counts a number with a zero fractional part as an integer; valijson's
// strict types do not, so JsonSchema checks such numbers as integers.
TEST_CASE("a float with a zero fractional part is an integer, as JSON Schema says", "[schema]") {
  auto flat = JsonSchema::compile(
      Json::parse(R"({"type": "object", "properties": {"hours": {"type": "integer"}}})"));
  auto bounded = JsonSchema::compile(Json::parse(R"({
    "type": "object",
    "properties": {
      "hours": {"type": "integer", "minimum": 1},
      "ids": {"type": "array", "items": {"type": "integer", "enum": [1, 2]}},
      "either": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]}
    }
  })"));
  REQUIRE(flat.ok());
  REQUIRE(bounded.ok());
  CHECK_FALSE(flat.value().validate({{"hours", 24.0}}).has_value());
  CHECK_FALSE(flat.value().validate({{"hours", -3.0}}).has_value());
  CHECK(flat.value().validate({{"hours", 24.5}}) == "hours: expected integer, got number 24.5");
  // Beyond any int64 it stays a float, and is refused.
  CHECK(flat.value().validate({{"hours", 1e300}}).has_value());

  const auto& s = bounded.value();
  CHECK_FALSE(s.validate({{"hours", 24.0}, {"ids", {1.0, 2}}, {"either", 2.0}}).has_value());
  CHECK(s.validate({{"ids", {3.0}}}).has_value());  // still checked: not in the enum
  const auto zero = s.validate({{"hours", 0.0}});
  REQUIRE(zero.has_value());
  CHECK_THAT(*zero, Catch::StartsWith("hours: ") && Catch::Contains("to 1"));
}
