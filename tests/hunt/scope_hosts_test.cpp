// scope_hosts_test.cpp — widen_scope_hosts: host-name equalities in target_scope_query match the
// short name or any FQDN of the host, in any case, and nothing else changes.
#include <catch2/catch.hpp>

#include "tools/hunt/args.hpp"
#include "tools/hunt/model.hpp"
#include "tools/hunt/scope_hosts.hpp"
#include "udm/query.hpp"

using hunt::Json;

namespace {

udm::Query parsed(const std::string& text) {
  auto query = udm::parse(text);
  INFO(text);
  REQUIRE(query);
  return query.value();
}

Json on_host(const std::string& field, const std::string& host) {
  Json event = {{"metadata", {{"event_type", "PROCESS_LAUNCH"}}}};
  event[field]["hostname"] = host;
  return event;
}

}  // namespace

TEST_CASE("a short-name scope matches the host's short name and FQDNs in any case",
          "[hunt][engine][scope]") {
  auto widened = hunt::widen_scope_hosts(parsed(R"(principal.hostname = "WORKSTATION6")"));
  REQUIRE(widened);
  CHECK(widened->text == R"(principal.hostname = /^workstation6(\..*)?$/ nocase)");
  REQUIRE(widened->widened.size() == 1);
  CHECK(
      widened->widened[0] ==
      R"(principal.hostname = "WORKSTATION6" → principal.hostname = /^workstation6(\..*)?$/ nocase)");
  for (const char* host : {"WORKSTATION6", "workstation6", "WORKSTATION6.theshire.local",
                           "workstation6.THESHIRE.local"}) {
    INFO(host);
    CHECK(udm::matches(widened->query, on_host("principal", host)));
  }
  for (const char* host : {"WORKSTATION60", "XWORKSTATION6", "WORKSTATION5.theshire.local", ""}) {
    INFO(host);
    CHECK_FALSE(udm::matches(widened->query, on_host("principal", host)));
  }
  // The widened text is valid UDM Search on its own.
  CHECK(udm::parse(widened->text));
}

TEST_CASE("an FQDN scope matches that FQDN or the short name, in any case",
          "[hunt][engine][scope]") {
  auto widened = hunt::widen_scope_hosts(parsed(R"(target.hostname = "FS01.corp.acme.local")"));
  REQUIRE(widened);
  CHECK(widened->text == R"(target.hostname = /^fs01(\.corp\.acme\.local)?$/ nocase)");
  for (const char* host : {"FS01", "fs01.CORP.acme.local", "FS01.corp.acme.local"}) {
    INFO(host);
    CHECK(udm::matches(widened->query, on_host("target", host)));
  }
  for (const char* host : {"FS01.other.local", "FS01xcorp.acme.local", "FS02.corp.acme.local"}) {
    INFO(host);
    CHECK_FALSE(udm::matches(widened->query, on_host("target", host)));
  }
}

TEST_CASE("widening keeps the tree: != becomes NOT, other comparisons stay as written",
          "[hunt][engine][scope]") {
  auto widened = hunt::widen_scope_hosts(
      parsed(R"(principal.hostname != "JUMP01" AND (target.hostname = "WKS-07" OR )"
             R"(principal.ip = "10.0.0.5") AND principal.hostname = /^srv/ nocase AND )"
             R"(principal.user.userid = "alice")"));
  REQUIRE(widened);
  CHECK(widened->widened.size() == 2);
  CHECK(widened->text ==
        R"(NOT principal.hostname = /^jump01(\..*)?$/ nocase AND )"
        R"((target.hostname = /^wks-07(\..*)?$/ nocase OR principal.ip = "10.0.0.5") AND )"
        R"(principal.hostname = /^srv/ nocase AND principal.user.userid = "alice")");
  Json event = on_host("principal", "srv02.corp.local");
  event["target"]["hostname"] = "wks-07.corp.local";
  event["principal"]["user"]["userid"] = "alice";
  CHECK(udm::matches(widened->query, event));
  event["principal"]["hostname"] = "SRVJUMP01";  // not JUMP01, still /^srv/
  CHECK(udm::matches(widened->query, event));
  event["principal"]["hostname"] = "jump01.corp.local";
  CHECK_FALSE(udm::matches(widened->query, event));
}

TEST_CASE("scopes with nothing to widen are used as given", "[hunt][engine][scope]") {
  for (const char* text :
       {R"(principal.hostname = /^wks-07(\.|$)/ nocase)", R"(principal.ip = "10.0.0.5")",
        R"(principal.hostname = "10.0.0.5")", R"(principal.hostname = "web server")",
        R"(principal.user.userid = "WORKSTATION6")"}) {
    INFO(text);
    CHECK_FALSE(hunt::widen_scope_hosts(parsed(text)));
  }
  auto args = hunt::parse_hunt_args({{"target_scope_query", R"(principal.ip = "10.0.0.5")"}}, {});
  REQUIRE(args);
  CHECK(args->target_scope_query == R"(principal.ip = "10.0.0.5")");
  CHECK(args->scope_note.empty());
}

TEST_CASE("the hunt's arguments carry the widened scope and say how it was widened",
          "[hunt][engine][scope]") {
  auto args = hunt::parse_hunt_args(
      {{"target_scope_query", R"(principal.hostname = "WORKSTATION6")"}}, hunt::HuntSettings{});
  REQUIRE(args);
  CHECK(args->target_scope_query == R"(principal.hostname = /^workstation6(\..*)?$/ nocase)");
  REQUIRE(args->scope);
  CHECK(udm::matches(*args->scope, on_host("principal", "WORKSTATION6.theshire.local")));
  CHECK(args->scope_note.find("short name or any FQDN") != std::string::npos);
  CHECK(args->scope_note.find(R"(principal.hostname = "WORKSTATION6")") != std::string::npos);
}
