// docs_snippets_test: every Cline snippet in docs/clients.md parses as an mcpServers file and
// starts lmhunt exactly as written (the command resolved to the built binary, the port of the HTTP
// example replaced by a free one), and every tool it auto-approves exists and is read-only. So the
// documentation cannot rot (issue 6).
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "mcp/client.hpp"
#include "mcp/transport_child.hpp"
#include "mcp/transport_http_client.hpp"
#include "support/child.hpp"
#include "tools/downstream/config.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

// snippets returns the fenced blocks of docs/clients.md whose info string is "<lang> <name>".
std::map<std::string, std::string> snippets() {
  std::ifstream in(std::string(LMHUNT_SOURCE_DIR) + "/docs/clients.md");
  std::stringstream text;
  text << in.rdbuf();
  std::map<std::string, std::string> out;
  static const std::regex block("```[a-z]+ ([a-z-]+)\\n([\\s\\S]*?)```");
  const std::string s = text.str();
  for (std::sregex_iterator it(s.begin(), s.end(), block), end; it != end; ++it) {
    out[(*it)[1].str()] = (*it)[2].str();
  }
  return out;
}

mcp::EnvLookup env_with_home() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/nonexistent-home");
    return mcp::process_env(name);
  };
}

void check_tools(mcp::Client& client, const std::vector<std::string>& auto_approve) {
  auto tools = client.list_tools(30s);
  REQUIRE(tools.ok());
  std::map<std::string, mcp::Tool> by_name;
  for (const auto& tool : *tools) by_name[tool.name] = tool;
  CHECK(by_name.count("lateral_movement_hunt") == 1);
  for (const auto& name : auto_approve) {
    INFO("autoApprove names " << name);
    REQUIRE(by_name.count(name) == 1);
    const Json& a = by_name[name].annotations;
    REQUIRE(a.is_object());
    // Per the spec destructiveHint only means something when readOnlyHint is false.
    CHECK((a.value("readOnlyHint", false) || !a.value("destructiveHint", true)));
  }
}

}  // namespace

TEST_CASE("the Cline stdio snippet in docs/clients.md starts lmhunt as written", "[docs]") {
  auto all = snippets();
  REQUIRE(all.count("cline-stdio") == 1);
  auto config =
      downstream::parse_config(Json::parse(all["cline-stdio"]), "docs/clients.md", env_with_home());
  REQUIRE(config.ok());
  REQUIRE(config->servers.size() == 1);
  const auto& server = config->servers[0];
  CHECK(server.command == "lmhunt");
  CHECK(server.type == "stdio");

  mcp::Executor executor{2};
  mcp::ChildOptions options;
  options.name = server.name;
  options.argv = {LMHUNT_BINARY};
  options.argv.insert(options.argv.end(), server.args.begin(), server.args.end());
  options.env = server.env;
  options.env["LMHUNT_CONFIG"] = "";  // the documented file does not exist here: embedded demo
  auto child = mcp::ChildProcess::start(options, executor);
  REQUIRE(child.ok());
  mcp::Client client((*child)->session());
  REQUIRE(client.initialize({}, 30s).ok());
  auto raw = Json::parse(all["cline-stdio"])["mcpServers"]["lmhunt"];
  check_tools(client, raw["autoApprove"].get<std::vector<std::string>>());
  (*child)->close();
}

TEST_CASE("the Cline Streamable HTTP snippet reaches lmhunt served as documented", "[docs]") {
  auto all = snippets();
  REQUIRE(all.count("serve-http") == 1);
  REQUIRE(all.count("cline-http") == 1);
  // serve-http is `LMHUNT_AUTH_TOKEN=<token> lmhunt serve --http 127.0.0.1:8080`.
  static const std::regex serve(
      "LMHUNT_AUTH_TOKEN=(\\S+) lmhunt (serve --http 127\\.0\\.0\\.1):(\\d+)");
  std::smatch m;
  const std::string command = all["serve-http"];
  REQUIRE(std::regex_search(command, m, serve));
  const std::string token = m[1];

  auto config = downstream::parse_config(Json::parse(all["cline-http"]), "docs/clients.md");
  REQUIRE(config.ok());
  const auto& server = config->servers.at(0);
  CHECK(server.type == "streamableHttp");
  CHECK(server.headers.at("Authorization") == "Bearer " + token);
  CHECK(server.url == "http://127.0.0.1:" + std::string(m[3]) + "/mcp");

  // Start it on a free port: port 0 makes lmhunt pick one and log it.
  ::setenv("LMHUNT_AUTH_TOKEN", token.c_str(), 1);
  test::Child lmhunt({LMHUNT_BINARY, "serve", "--http", "127.0.0.1:0"});
  ::unsetenv("LMHUNT_AUTH_TOKEN");
  // lmhunt logs the address it listens on; poll its stderr for it (up to 10 s).
  std::string port, err;
  static const std::regex listening("http://127\\.0\\.0\\.1:(\\d+)/mcp");
  for (int i = 0; i < 200 && port.empty(); ++i) {
    std::this_thread::sleep_for(50ms);
    err += lmhunt.stderr_text();
    std::smatch p;
    if (std::regex_search(err, p, listening)) port = p[1];
  }
  REQUIRE_FALSE(port.empty());
  mcp::Executor executor{2};
  mcp::HttpClientOptions options;
  options.url = std::regex_replace(server.url, std::regex(":\\d+/"), ":" + port + "/");
  options.headers = server.headers;
  auto transport = mcp::HttpClientTransport::open(options, executor);
  REQUIRE(transport.ok());
  mcp::Client client((*transport)->session());
  REQUIRE(client.initialize({}, 30s).ok());
  auto raw = Json::parse(all["cline-http"])["mcpServers"]["lmhunt"];
  check_tools(client, raw["autoApprove"].get<std::vector<std::string>>());
  (*transport)->close();
}
