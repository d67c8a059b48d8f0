#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "tools/downstream/config.hpp"
#include "tools/downstream/connections.hpp"

using downstream::Json;

namespace {

mcp::EnvLookup table(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const downstream::ServerConfig& server(const downstream::Config& c, const std::string& name) {
  for (const auto& s : c.servers)
    if (s.name == name) return s;
  FAIL("no server " << name);
  return c.servers.front();
}

// Cline's example from downstream-servers.md §2.2, unchanged.
const char* kClineExample = R"({"mcpServers": {
  "secops": {"command": "uv",
             "args": ["--directory", "<repo>/server/secops/secops_mcp", "run", "server.py"],
             "env": {"CHRONICLE_PROJECT_ID": "<your-project-id>",
                     "CHRONICLE_CUSTOMER_ID": "01234567-abcd-4321-1234-0123456789ab",
                     "CHRONICLE_REGION": "us"},
             "disabled": false, "autoApprove": []},
  "secops-soar": {"command": "uv",
             "args": ["--directory", "<repo>/server/secops-soar/secops_soar_mcp", "run", "server.py",
                      "--integrations", "CSV,OKTA"],
             "env": {"SOAR_URL": "https://<your-soar-host>:443",
                     "SOAR_APP_KEY": "01234567-abcd-4321-1234-0123456789ab"},
             "disabled": false, "autoApprove": []},
  "gti": {"command": "uv",
          "args": ["--directory", "<repo>/server/gti/gti_mcp", "run", "server.py"],
          "env": {"VT_APIKEY": "<virustotal-api-key>"}, "disabled": false, "autoApprove": []},
  "scc-mcp": {"command": "uv", "args": ["--directory", "<repo>/server/scc", "run", "scc_mcp.py"],
              "env": {}, "disabled": false, "autoApprove": []}}})";

}  // namespace

TEST_CASE("Cline's example mcpServers file parses unchanged", "[config]") {
  auto config = downstream::parse_config(Json::parse(kClineExample), "cline.json");
  REQUIRE(config.ok());
  REQUIRE(config->servers.size() == 4);
  const auto& secops = server(*config, "secops");
  CHECK(secops.type == "stdio");
  CHECK(secops.command == "uv");
  CHECK(secops.args.size() == 4);
  CHECK(secops.env.at("CHRONICLE_REGION") == "us");
  CHECK(secops.project_id == "<your-project-id>");  // derived from its env
  CHECK(secops.region == "us");
  CHECK_FALSE(secops.disabled);
  CHECK(server(*config, "secops-soar").args.back() == "CSV,OKTA");
  CHECK(server(*config, "gti").env.at("VT_APIKEY") == "<virustotal-api-key>");
  CHECK(server(*config, "scc-mcp").env.empty());
  CHECK(config->settings.cold_start_timeout_seconds == 120);
  CHECK(config->settings.call_timeout_seconds == 60);
}

TEST_CASE("every server key is read and ${env:VAR} is expanded in env, args, url and headers",
          "[config]") {
  const Json doc = Json::parse(R"({"mcpServers": {
    "local": {"command": "${env:TOOLS}/bin/secops", "args": ["--key=${env:KEY}", "plain"],
              "cwd": "/srv", "env": {"CHRONICLE_PROJECT_ID": "p-${env:PROJECT}",
              "CHRONICLE_CUSTOMER_ID": "c"}, "timeout": 90, "disabled": true,
              "transportType": "stdio", "autoApprove": ["search_udm"], "somethingNew": 1},
    "legacy": {"url": "http://127.0.0.1:9/sse"},
    "remote": {"type": "streamableHttp", "url": "https://chronicle.eu.rep.googleapis.com/mcp",
               "headers": {"Authorization": "Bearer ${env:TOKEN}",
                           "x-goog-user-project": "proj-1"}}},
    "lmhunt": {"servers": {"remote": {"customer_id": "cust-9"}}}})");
  auto lookup = table({{"TOOLS", "/opt"}, {"KEY", "k1"}, {"PROJECT", "42"}, {"TOKEN", "t0k"}});
  auto config = downstream::parse_config(doc, "mem", lookup);
  REQUIRE(config.ok());
  const auto& local = server(*config, "local");
  CHECK(local.type == "stdio");
  CHECK(local.command == "/opt/bin/secops");
  CHECK(local.args == std::vector<std::string>{"--key=k1", "plain"});
  CHECK(local.cwd == "/srv");
  CHECK(local.env.at("CHRONICLE_PROJECT_ID") == "p-42");
  CHECK(local.timeout_seconds == 90);
  CHECK(local.disabled);
  CHECK(server(*config, "legacy").type == "sse");  // a url without type is sse, as in Cline
  const auto& remote = server(*config, "remote");
  CHECK(remote.type == "streamableHttp");
  CHECK(remote.headers.at("Authorization") == "Bearer t0k");
  CHECK(remote.project_id == "proj-1");   // from x-goog-user-project
  CHECK(remote.customer_id == "cust-9");  // from lmhunt.servers
  CHECK(remote.region == "eu");           // from the regional endpoint
}

TEST_CASE("the lmhunt section sets every setting", "[config]") {
  const Json doc = Json::parse(R"({"mcpServers": {"s": {"command": "x"}},
    "lmhunt": {"routes": {"search": "s", "soar": "s"}, "concurrency": 3,
               "call_timeout_seconds": 30, "cold_start_timeout_seconds": 200,
               "admin_sources": ["JUMP01"], "spool_dir": "/var/spool/lmhunt",
               "research_cache_ttl_seconds": 60, "max_events_per_query": 500,
               "retry": {"max_attempts": 2, "initial_backoff_ms": 5, "max_backoff_ms": 50},
               "restart": {"initial_backoff_ms": 7, "max_backoff_ms": 70},
               "servers": {"s": {"project_id": "p", "customer_id": "c", "region": "us"}}}})");
  auto config = downstream::parse_config(doc, "mem");
  REQUIRE(config.ok());
  const auto& s = config->settings;
  CHECK(s.routes.at("search") == "s");
  CHECK(s.routes.at("soar") == "s");
  CHECK(s.concurrency == 3);
  CHECK(s.call_timeout_seconds == 30);
  CHECK(s.cold_start_timeout_seconds == 200);
  CHECK(s.admin_sources == std::vector<std::string>{"JUMP01"});
  CHECK(s.spool_dir == "/var/spool/lmhunt");
  CHECK(s.research_cache_ttl_seconds == 60);
  CHECK(s.max_events_per_query == 500);
  CHECK(s.retry.max_attempts == 2);
  CHECK(s.retry.initial_backoff_ms == 5);
  CHECK(s.retry.max_backoff_ms == 50);
  CHECK(s.restart.initial_backoff_ms == 7);
  CHECK(s.restart.max_backoff_ms == 70);
  CHECK(server(*config, "s").project_id == "p");
}

TEST_CASE("a bad config names the file, the key and the reason", "[config]") {
  struct Case {
    const char* doc;
    const char* pointer;
    const char* reason;
  };
  const Case cases[] = {
      {R"([])", "/", "must be an object"},
      {R"({})", "/mcpServers", "missing"},
      {R"({"mcpServers": []})", "/mcpServers", "object of named servers"},
      {R"({"mcpServers": {"s": "uv"}})", "/mcpServers/s", "must be an object"},
      {R"({"mcpServers": {"s": {"command": "x", "args": "a b"}}})", "/mcpServers/s/args",
       "array of strings"},
      {R"({"mcpServers": {"s": {"command": "x", "args": ["a", 2]}}})", "/mcpServers/s/args/1",
       "must be a string"},
      {R"({"mcpServers": {"s": {"command": "x", "env": {"A": 1}}}})", "/mcpServers/s/env/A",
       "must be a string"},
      {R"({"mcpServers": {"s": {"type": "websocket", "url": "http://h"}}})", "/mcpServers/s/type",
       "unknown transport 'websocket'"},
      {R"({"mcpServers": {"s": {"args": ["x"]}}})", "/mcpServers/s/command", "needs a command"},
      {R"({"mcpServers": {"s": {"type": "sse", "url": "ftp://h"}}})", "/mcpServers/s/url",
       "http:// or https://"},
      {R"({"mcpServers": {"s": {"command": "x", "timeout": 0}}})", "/mcpServers/s/timeout",
       "seconds"},
      {R"({"mcpServers": {"s": {"command": "x", "disabled": "no"}}})", "/mcpServers/s/disabled",
       "true or false"},
      {R"({"mcpServers": {"s": {"command": "x"}}, "lmhunt": {"concurrency": 0}})",
       "/lmhunt/concurrency", "greater than or equal to 1"},
      {R"({"mcpServers": {"s": {"command": "x"}}, "lmhunt": {"admin_sources": ["a", 3]}})",
       "/lmhunt/admin_sources/1", "expected string, got integer 3"},
      {R"({"mcpServers": {"s": {"command": "x"}}, "lmhunt": {"routes": {"search": "t"}}})",
       "/lmhunt/routes/search", "no server named 't'"},
      {R"({"mcpServers": {"s": {"command": "x"}}, "lmhunt": {"servers": {"t": {}}}})",
       "/lmhunt/servers/t", "no server of that name"},
      {R"({"mcpServers": {"s": {"command": "x"}}, "lmhunt": {"retry": {"max_attempts": "3"}}})",
       "/lmhunt/retry/max_attempts", "expected integer, got string \"3\""},
  };
  for (const auto& c : cases) {
    INFO(c.doc);
    auto config = downstream::parse_config(Json::parse(c.doc), "lmhunt.json");
    REQUIRE_FALSE(config.ok());
    const auto& message = config.error().message;
    CHECK(message.rfind(std::string("lmhunt.json: ") + c.pointer + ": ", 0) == 0);
    CHECK(contains(message, c.reason));
    CHECK(config.error().code == downstream::kConfigError);
  }
}

TEST_CASE("unknown lmhunt keys and routes are rejected, unknown server keys are not", "[config]") {
  auto typo = downstream::parse_config(
      Json::parse(R"({"mcpServers": {}, "lmhunt": {"concurency": 2}})"), "f.json");
  REQUIRE_FALSE(typo.ok());
  CHECK(contains(typo.error().message, "f.json: /lmhunt"));
  auto route = downstream::parse_config(
      Json::parse(
          R"({"mcpServers": {"s": {"command": "x"}}, "lmhunt": {"routes": {"serach": "s"}}})"),
      "f.json");
  REQUIRE_FALSE(route.ok());
  CHECK(contains(route.error().message, "f.json: /lmhunt/routes"));
  CHECK(contains(route.error().message, "/lmhunt/routes/serach: unknown operation or role"));
  CHECK(downstream::parse_config(
            Json::parse(R"({"mcpServers": {"s": {"command": "x", "alwaysAllow": []}}})"), "f")
            .ok());
}

TEST_CASE("load_config names the file when it is missing or not JSON", "[config]") {
  const std::string path = "/tmp/lmhunt_config_test_" + std::to_string(::getpid()) + ".json";
  auto missing = downstream::load_config(path);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == path + ": cannot be read");
  std::ofstream(path) << "{\"mcpServers\": {";
  auto broken = downstream::load_config(path);
  REQUIRE_FALSE(broken.ok());
  CHECK(contains(broken.error().message, path + ": not valid JSON"));
  std::ofstream(path) << R"({"mcpServers": {"s": {"command": "x", "args": [1]}}})";
  auto bad = downstream::load_config(path);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind(path + ": /mcpServers/s/args/0: ", 0) == 0);
  std::ofstream(path) << kClineExample;
  auto good = downstream::load_config(path);
  REQUIRE(good.ok());
  CHECK(good->path == path);
  std::remove(path.c_str());
}

TEST_CASE("secops-mcp without CHRONICLE ids is refused, never started", "[config][downstream]") {
  downstream::ServerConfig s;
  s.name = "secops";
  s.command = "uvx";
  s.args = {"--from", "google-secops-mcp", "secops_mcp"};
  s.env = {{"CHRONICLE_PROJECT_ID", "p"}};
  auto reason = downstream::secops_refusal(s, false);
  REQUIRE(reason);
  CHECK(contains(*reason, "CHRONICLE_CUSTOMER_ID"));
  CHECK_FALSE(contains(*reason, "CHRONICLE_PROJECT_ID and"));
  s.env["CHRONICLE_CUSTOMER_ID"] = "c";
  CHECK_FALSE(downstream::secops_refusal(s, false));
  downstream::ServerConfig other;
  other.name = "mystery";
  other.command = "/opt/siem-bridge";
  CHECK_FALSE(downstream::secops_refusal(other, false));
  CHECK(downstream::secops_refusal(other, true));  // its tools give it away

  // A configured refusal shows in health and SIEM operations say kRefused.
  auto config = downstream::parse_config(
      Json::parse(R"({"mcpServers": {"secops": {"command": "uv", "args": ["--directory",
        "/repo/server/secops/secops_mcp", "run", "server.py"], "env": {"CHRONICLE_REGION": "us"}}}})"),
      "f");
  REQUIRE(config.ok());
  mcp::Executor executor{4};
  downstream::Connections connections(*config, executor);
  auto health = connections.health();
  REQUIRE(health.size() == 1);
  CHECK(health[0].state == "refused");
  CHECK(contains(health[0].detail, "CHRONICLE_PROJECT_ID and CHRONICLE_CUSTOMER_ID"));
  auto d = connections.downstream();
  REQUIRE(d.siem);
  downstream::CallContext ctx;
  auto r = d.siem->search({"metadata.event_type = \"PROCESS_LAUNCH\"", 24, {}, {}, 10}, "", ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kRefused);
  CHECK(contains(r.error().message, "refuses"));
}
