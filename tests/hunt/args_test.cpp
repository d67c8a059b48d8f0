// args_test.cpp — parse_hunt_args: defaults, the validation table, scope composition.
#include <catch2/catch.hpp>

#include "support/hunt_fixture.hpp"
#include "tools/hunt/args.hpp"
#include "tools/hunt/plan.hpp"

using hunt::parse_hunt_args;
using mcp::Json;

TEST_CASE("no arguments give the runbook's defaults and every technique family",
          "[hunt][engine][args]") {
  hunt::HuntSettings settings;
  settings.max_events_per_query = 150;
  settings.admin_sources = {"JUMP*"};
  auto args = parse_hunt_args(Json::object(), settings);
  REQUIRE(args);
  CHECK(args->time_frame_hours == 72);
  CHECK(args->techniques == hunt::all_families());
  CHECK(args->max_events_per_query == 150);
  CHECK(args->admin_sources == std::vector<std::string>{"JUMP*"});
  CHECK(args->wait_seconds == 45);
  CHECK_FALSE(args->dry_run);
  CHECK_FALSE(args->scope);
  CHECK_FALSE(args->start_time);
}

TEST_CASE("every bad argument is refused with an error naming it", "[hunt][engine][args]") {
  struct Case {
    Json arguments;
    const char* argument;
  };
  const std::vector<Case> cases = {
      {{{"time_frame_hours", 0}}, "time_frame_hours"},
      {{{"time_frame_hours", 8761}}, "time_frame_hours"},
      {{{"time_frame_hours", 1.5}}, "time_frame_hours"},
      {{{"time_frame_hours", "72"}}, "time_frame_hours"},
      {{{"target_scope_query", "principal.hostname CONTAINS \"srv\""}}, "target_scope_query"},
      {{{"target_scope_query", ") OR (x = \"1\""}}, "target_scope_query"},
      {{{"target_scope_query", "principal.hostname = \"a\") OR (principal.hostname = \"b\""}},
       "target_scope_query"},
      {{{"target_scope_query", "server1"}}, "target_scope_query"},
      {{{"target_scope_query", 5}}, "target_scope_query"},
      {{{"techniques", Json::array({"psexec", "rdp"})}}, "techniques"},
      {{{"techniques", "psexec"}}, "techniques"},
      {{{"admin_sources", Json::array({""})}}, "admin_sources"},
      {{{"max_events_per_query", 0}}, "max_events_per_query"},
      {{{"max_events_per_query", 10001}}, "max_events_per_query"},
      {{{"dry_run", "yes"}}, "dry_run"},
      {{{"wait_seconds", -1}}, "wait_seconds"},
      {{{"wait_seconds", 3601}}, "wait_seconds"},
      {{{"start_time", "yesterday"}}, "start_time"},
      {{{"end_time", "2025-01-01T00:00:00Z"}}, "end_time"},
      {{{"start_time", "2025-01-02T00:00:00Z"}, {"end_time", "2025-01-01T00:00:00Z"}}, "end_time"},
      {{{"hunt_hypothesis", std::string(5000, 'x')}}, "hunt_hypothesis"},
      {{{"case_id", 7}}, "case_id"},
      {{{"hours", 72}}, "hours"},
  };
  for (const auto& c : cases) {
    INFO(c.arguments.dump());
    auto args = parse_hunt_args(c.arguments, {});
    REQUIRE_FALSE(args);
    CHECK(args.error().code == hunt::kInvalidArgument);
    CHECK(args.error().message.rfind(std::string(c.argument) + ":", 0) == 0);
  }
}

TEST_CASE("an unknown technique family lists the valid ones", "[hunt][engine][args]") {
  auto args = parse_hunt_args({{"techniques", Json::array({"rdp"})}}, {});
  REQUIRE_FALSE(args);
  for (const auto& family : hunt::all_families()) {
    CHECK(args.error().message.find(family) != std::string::npos);
  }
}

TEST_CASE("the scope is conjoined as a tree so it cannot regroup a catalog query",
          "[hunt][engine][args]") {
  auto args = parse_hunt_args(
      {{"target_scope_query", "principal.hostname = \"SRV01\" OR principal.hostname = \"x\""},
       {"techniques", Json::array({"psexec"})}},
      {});
  REQUIRE(args);
  // Host-name equalities are widened to the short name or any FQDN (scope_hosts.hpp).
  const std::string scope =
      R"(principal.hostname = /^srv01(\..*)?$/ nocase OR principal.hostname = /^x(\..*)?$/ nocase)";
  CHECK(args->target_scope_query == scope);
  CHECK(args->scope_note.find("principal.hostname = \"SRV01\" →") != std::string::npos);
  const auto catalog = test::test_catalog();
  const auto plan = hunt::plan_searches(catalog, *args);
  REQUIRE(plan.size() == 2);  // the psexec family only
  const std::string& query = plan[0].request.query;
  CHECK(query.find("(" + scope + ")") != std::string::npos);
  // An event on x that is not a service install must not match: the OR stayed inside the scope.
  auto composed = udm::parse(query);
  REQUIRE(composed);
  Json unrelated = {{"metadata", {{"event_type", "PROCESS_LAUNCH"}}},
                    {"principal", {{"hostname", "x"}}}};
  CHECK_FALSE(udm::matches(composed.value(), unrelated));
  CHECK(udm::matches(composed.value(), test::service_install("SRV01", 5)));  // SRV01.corp.local
  Json on_srv01 = test::service_install("SRV01", 5);
  on_srv01["principal"]["hostname"] = "SRV01";
  CHECK(udm::matches(composed.value(), on_srv01));
  Json on_srv010 = test::service_install("SRV010", 5);
  CHECK_FALSE(udm::matches(composed.value(), on_srv010));
}

TEST_CASE("admin_sources merge with the configured ones and techniques keep catalog order",
          "[hunt][engine][args]") {
  hunt::HuntSettings settings;
  settings.admin_sources = {"JUMP01"};
  auto args = parse_hunt_args({{"admin_sources", Json::array({"JUMP01", "ADM-*"})},
                               {"techniques", Json::array({"wmi", "psexec", "wmi"})},
                               {"start_time", "2025-05-01T00:00:00Z"},
                               {"end_time", "2025-05-02T12:00:00+00:00"},
                               {"wait_seconds", 0}},
                              settings);
  REQUIRE(args);
  CHECK(args->admin_sources == std::vector<std::string>{"JUMP01", "ADM-*"});
  CHECK(args->techniques == std::vector<std::string>{"psexec", "wmi"});
  CHECK(args->start_time == "2025-05-01T00:00:00Z");
  CHECK(args->end_time == "2025-05-02T12:00:00Z");
  CHECK(args->time_frame_hours == 36);
  CHECK(args->wait_seconds == 0);
}

TEST_CASE("research covers the runbook's techniques plus those of the chosen families",
          "[hunt][engine][args]") {
  CHECK(hunt::research_techniques({"wmi"}) ==
        std::vector<std::string>{"T1570", "T1021.002", "T1047"});
  CHECK(hunt::research_techniques({"psexec", "wmi_persistence"}) ==
        std::vector<std::string>{"T1570", "T1021.002", "T1047", "T1569.002", "T1546.003"});
  CHECK(hunt::research_question("T1047").find("T1047") != std::string::npos);
}
