#include <catch2/catch.hpp>

#include "mcp/server_internal.hpp"
#include "support/server_harness.hpp"

using mcp::Json;
using test::ServerHarness;

namespace {

void add_fixtures(mcp::Server& server) {
  server.add_resource(
      {"test://static-text", "static", "Static", "A text resource", "text/plain"},
      [](const std::string& uri) -> mcp::Result<Json> {
        return Json::array({{{"uri", uri}, {"mimeType", "text/plain"}, {"text", "hello"}}});
      });
  server.add_resource_template(
      {"lmhunt://hunts/{id}", "hunt", "", "A hunt report", "text/markdown"},
      [](const std::string& uri,
         const std::map<std::string, std::string>& vars) -> mcp::Result<Json> {
        if (vars.at("id") == "missing") {
          return mcp::Error{mcp::jsonrpc::kResourceNotFound, "Resource not found", {{"uri", uri}}};
        }
        return Json::array({{{"uri", uri}, {"text", "hunt " + vars.at("id")}}});
      });
  server.add_prompt(
      {"hunt", "Hunt", "Runs a hunt", {{"hours", "Lookback", true}, {"scope", "", false}}},
      [](const std::map<std::string, std::string>& args) -> mcp::Result<Json> {
        return Json{{"messages",
                     Json::array({{{"role", "user"},
                                   {"content",
                                    {{"type", "text"}, {"text", "hunt " + args.at("hours")}}}}})}};
      });
}

}  // namespace

TEST_CASE("resources are listed and read, templates resolve their variables",
          "[server][resources]") {
  ServerHarness h;
  add_fixtures(h.server);
  REQUIRE(h.initialize().ok());
  auto list = h.client->call("resources/list", {});
  REQUIRE(list.ok());
  REQUIRE(list.value()["resources"].size() == 1);
  CHECK(list.value()["resources"][0]["uri"] == "test://static-text");
  CHECK(list.value()["resources"][0]["mimeType"] == "text/plain");

  auto read = h.client->call("resources/read", {{"uri", "test://static-text"}});
  REQUIRE(read.ok());
  CHECK(read.value()["contents"][0]["text"] == "hello");

  auto templates = h.client->call("resources/templates/list", {});
  REQUIRE(templates.ok());
  CHECK(templates.value()["resourceTemplates"][0]["uriTemplate"] == "lmhunt://hunts/{id}");

  auto hunt = h.client->call("resources/read", {{"uri", "lmhunt://hunts/abc123"}});
  REQUIRE(hunt.ok());
  CHECK(hunt.value()["contents"][0]["text"] == "hunt abc123");
}

TEST_CASE("reading an unknown resource is error -32002 naming the uri", "[server][resources]") {
  ServerHarness h;
  add_fixtures(h.server);
  REQUIRE(h.initialize().ok());
  for (const char* uri :
       {"test://nope", "lmhunt://hunts/missing", "lmhunt://hunts/a/b", "lmhunt://hunts/"}) {
    INFO(uri);
    auto r = h.client->call("resources/read", {{"uri", uri}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == mcp::jsonrpc::kResourceNotFound);
    CHECK(r.error().data["uri"] == uri);
  }
  auto bad = h.client->call("resources/read", {{"uri", 5}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("subscribers hear about updates until they unsubscribe", "[server][resources]") {
  ServerHarness h;
  add_fixtures(h.server);
  REQUIRE(h.initialize().ok());
  REQUIRE(h.client->call("resources/subscribe", {{"uri", "test://static-text"}}).ok());
  h.server.notify_resource_updated("test://static-text");
  h.server.notify_resource_updated("test://other");
  auto updates = h.notes("notifications/resources/updated");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0]["uri"] == "test://static-text");
  REQUIRE(h.client->call("resources/unsubscribe", {{"uri", "test://static-text"}}).ok());
  h.server.notify_resource_updated("test://static-text");
  CHECK(h.notes("notifications/resources/updated").size() == 1);
}

TEST_CASE("prompts are listed with their arguments and rendered; required ones are enforced",
          "[server][prompts]") {
  ServerHarness h;
  add_fixtures(h.server);
  REQUIRE(h.initialize().ok());
  auto list = h.client->call("prompts/list", {});
  REQUIRE(list.ok());
  const Json& p = list.value()["prompts"][0];
  CHECK(p["name"] == "hunt");
  CHECK(p["description"] == "Runs a hunt");
  CHECK(p["arguments"][0]["required"] == true);

  auto got = h.client->call("prompts/get", {{"name", "hunt"}, {"arguments", {{"hours", "72"}}}});
  REQUIRE(got.ok());
  CHECK(got.value()["messages"][0]["content"]["text"] == "hunt 72");

  auto missing = h.client->call("prompts/get", {{"name", "hunt"}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == mcp::jsonrpc::kInvalidParams);
  auto unknown = h.client->call("prompts/get", {{"name", "nope"}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == mcp::jsonrpc::kInvalidParams);
  auto wrong_type =
      h.client->call("prompts/get", {{"name", "hunt"}, {"arguments", {{"hours", 72}}}});
  REQUIRE_FALSE(wrong_type.ok());
}

TEST_CASE("completion answers from the completer, empty without one, and checks its ref",
          "[server][completion]") {
  ServerHarness h;
  REQUIRE(h.initialize().ok());
  Json params = {{"ref", {{"type", "ref/prompt"}, {"name", "hunt"}}},
                 {"argument", {{"name", "hours"}, {"value", "7"}}}};
  auto empty = h.client->call("completion/complete", params);
  REQUIRE(empty.ok());
  CHECK(empty.value()["completion"]["values"].empty());

  h.server.set_completer([](const Json&, const std::string& arg, const std::string& value) {
    std::vector<std::string> out;
    for (const char* v : {"24", "72", "168"}) {
      if (arg == "hours" && std::string(v).rfind(value, 0) == 0) out.push_back(v);
    }
    return out;
  });
  auto r = h.client->call("completion/complete", params);
  REQUIRE(r.ok());
  CHECK(r.value()["completion"]["values"] == Json::array({"72"}));

  auto bad = h.client->call("completion/complete",
                            {{"ref", {{"type", "ref/tool"}}}, {"argument", {{"name", "x"}}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("uri templates match one path segment per variable", "[server][resources]") {
  std::map<std::string, std::string> vars;
  CHECK(mcp::match_uri_template("test://template/{id}/data", "test://template/123/data", vars));
  CHECK(vars["id"] == "123");
  CHECK_FALSE(
      mcp::match_uri_template("test://template/{id}/data", "test://template/1/2/data", vars));
  CHECK_FALSE(mcp::match_uri_template("test://template/{id}/data", "test://template//data", vars));
  CHECK(mcp::match_uri_template("a://{x}.{y}", "a://one.two", vars));
  CHECK(vars["x"] == "one");
  CHECK(vars["y"] == "two");
}
