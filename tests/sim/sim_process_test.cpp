// lmhunt-sim as a real child process driven by mcp::Client over pipes: identities, tool sets, every
// fault flag, usage and load errors, and two processes sharing one case database.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "mcp/client.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/transport_child.hpp"
#include "support/child.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/lmhunt-sim-proc-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path + "/" + name;
    std::ofstream(file) << text;
    return file;
  }
  std::string path;
};

// A small world on disk: two UDM events (JSON lines) and one seeded case.
struct Files {
  Files() {
    events = dir.write(
        "events.jsonl",
        R"({"metadata":{"event_timestamp":"2026-03-01T10:00:00Z","event_type":"SERVICE_CREATION"},"principal":{"hostname":"SQL01"},"target":{"application":"PSEXESVC"}})"
        "\n"
        R"({"metadata":{"event_timestamp":"2026-03-01T10:05:00Z","event_type":"USER_LOGIN"},"principal":{"hostname":"SQL01"}})"
        "\n");
    seed = dir.write("cases.json", R"([{"id": 1, "name": "PsExec on SQL01"}])");
  }
  TempDir dir;
  std::string events;
  std::string seed;
};

// Sim: lmhunt-sim as a child process with a Client on it.
struct Sim {
  explicit Sim(const Files& files, std::vector<std::string> flags) {
    mcp::ChildOptions options;
    options.name = "lmhunt-sim";
    options.argv = {LMHUNT_SIM_BINARY, "--events",    files.events, "--cases-seed",
                    files.seed,        "--log-level", "warn"};
    options.argv.insert(options.argv.end(), flags.begin(), flags.end());
    auto started = mcp::ChildProcess::start(std::move(options), executor);
    if (!started) FAIL(started.error().message);
    child = started.value();
    client = std::make_unique<mcp::Client>(child->session());
    auto init = client->initialize({}, 20s);
    if (!init) FAIL(init.error().message);
    server_name = init->server_info.name;
  }
  ~Sim() { child->close(); }

  mcp::Result<Json> call(const std::string& tool, Json args = Json::object(),
                         std::chrono::milliseconds timeout = 20s) {
    mcp::CallOptions options;
    options.timeout = timeout;
    return client->call_tool(tool, std::move(args), options);
  }
  std::vector<std::string> tool_names() {
    std::vector<std::string> names;
    auto tools = client->list_tools(10s);
    REQUIRE(tools.ok());
    for (const auto& t : tools.value()) names.push_back(t.name);
    return names;
  }

  mcp::Executor executor{4};
  std::shared_ptr<mcp::ChildProcess> child;
  std::unique_ptr<mcp::Client> client;
  std::string server_name;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("each role announces its real server name and tool set", "[sim][simserver][process]") {
  Files files;
  {
    Sim secops(files, {"--as", "secops-mcp"});
    CHECK(secops.server_name == "Google Security Operations MCP server");
    CHECK(secops.tool_names() ==
          std::vector<std::string>{"search_udm", "search_security_events", "lookup_entity",
                                   "get_threat_intel", "get_ioc_matches", "get_security_alerts"});
    auto r = secops.call("search_udm",
                         {{"query", "principal.hostname = \"SQL01\""}, {"max_events", 10}});
    REQUIRE(r.ok());
    // --now latest: one second after the newest event, so the default 24 h window covers both.
    CHECK(r.value()["structuredContent"]["result"]["total_events"] == 2);
  }
  {
    Sim gti(files, {"--as", "gti-mcp"});
    CHECK(gti.server_name == "Google Threat Intelligence MCP server");
    CHECK(gti.tool_names() == std::vector<std::string>{"get_ip_address_report", "get_domain_report",
                                                       "get_file_report", "get_url_report"});
  }
  {
    Sim soar(files, {"--as", "secops-soar"});
    CHECK(soar.server_name == "SecOps SOAR");
    CHECK(soar.tool_names().size() == 5);
  }
}

TEST_CASE("the fault flag --latency-ms slows every call down",
          "[sim][simserver][process][faults]") {
  Files files;
  Sim sim(files, {"--as", "secops-mcp", "--latency-ms", "300"});
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(sim.call("get_threat_intel", {{"query", "T1047"}}).ok());
  CHECK(std::chrono::steady_clock::now() - start >= 300ms);
}

TEST_CASE("the fault flag --fail-rate fails calls with an injected error, reproducibly per seed",
          "[sim][simserver][process][faults]") {
  Files files;
  {
    Sim always(files, {"--as", "secops-mcp", "--fail-rate", "1"});
    auto r = always.call("get_threat_intel", {{"query", "T1047"}});
    REQUIRE(r.ok());
    CHECK(r.value()["isError"] == true);
    CHECK(r.value()["content"][0]["text"] ==
          "Error executing tool get_threat_intel: injected failure");
  }
  auto pattern = [&](const std::string& seed) {
    Sim sim(files, {"--as", "secops-mcp", "--fail-rate", "0.5", "--seed", seed});
    std::string outcome;
    for (int i = 0; i < 16; ++i) {
      auto r = sim.call("get_threat_intel", {{"query", "T1047"}});
      REQUIRE(r.ok());
      outcome += r.value().value("isError", false) ? 'F' : '.';
    }
    return outcome;
  };
  const std::string first = pattern("7");
  CHECK(first == pattern("7"));
  CHECK(contains(first, "F"));
  CHECK(contains(first, "."));
}

TEST_CASE("the fault flag --crash-after exits with status 1 in the next call",
          "[sim][simserver][process][faults]") {
  Files files;
  Sim sim(files, {"--as", "secops-mcp", "--crash-after", "1"});
  REQUIRE(sim.call("get_threat_intel", {{"query", "T1047"}}).ok());
  auto r = sim.call("get_threat_intel", {{"query", "T1047"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == mcp::jsonrpc::kConnectionClosed);
  CHECK(contains(r.error().message, "exit status 1"));
  CHECK(sim.child->exit_status() == 1);
}

TEST_CASE(
    "the fault flag --hang-tool never answers that tool, yet cancellation works and others answer",
    "[sim][simserver][process][faults]") {
  Files files;
  Sim sim(files, {"--as", "secops-mcp", "--hang-tool", "search_udm"});
  auto hung = sim.call("search_udm", {{"query", "metadata.event_type = \"USER_LOGIN\""}}, 300ms);
  REQUIRE_FALSE(hung.ok());
  CHECK(hung.error().code == mcp::jsonrpc::kRequestTimeout);
  auto other = sim.call("lookup_entity", {{"entity_value", "SQL01"}});
  REQUIRE(other.ok());
  CHECK(contains(other.value()["structuredContent"]["result"], "Entity Summary for SQL01"));
}

TEST_CASE("the fault flag --garbage-stdout puts non-JSON lines between frames",
          "[sim][simserver][process][faults]") {
  Files files;
  {
    test::Child raw({LMHUNT_SIM_BINARY, "--as", "gti-mcp", "--events", files.events,
                     "--garbage-stdout", "--log-level", "off"});
    REQUIRE(raw.write_line(
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}})"));
    int garbage = 0;
    bool answered = false;
    while (auto line = raw.read_line(20s)) {
      if (Json::parse(*line, nullptr, false).is_discarded()) {
        ++garbage;
      } else {
        answered = true;
        break;
      }
    }
    CHECK(answered);
    CHECK(garbage >= 2);
  }
  Sim sim(files, {"--as", "gti-mcp", "--garbage-stdout"});
  for (int i = 0; i < 3; ++i) {
    auto r = sim.call("get_ip_address_report", {{"ip_address", "1.2.3.4"}});
    REQUIRE(r.ok());
    CHECK(r.value()["structuredContent"]["result"].contains("error"));
  }
}

TEST_CASE(
    "the fault flag --empty-soar makes SOAR tools answer content [] and leaves the others alone",
    "[sim][simserver][process][faults]") {
  Files files;
  Sim sim(files, {"--as", "all", "--empty-soar"});
  auto cases = sim.call("list_cases");
  REQUIRE(cases.ok());
  CHECK(cases.value()["content"] == Json::array());
  CHECK(cases.value().value("isError", false) == false);
  CHECK_FALSE(cases.value().contains("structuredContent"));
  auto intel = sim.call("get_threat_intel", {{"query", "T1570"}});
  REQUIRE(intel.ok());
  CHECK(intel.value()["content"].size() == 1);
}

TEST_CASE("usage errors exit 2 and files that load nothing exit 1", "[sim][simserver][process]") {
  {
    test::Child bad({LMHUNT_SIM_BINARY, "--as", "splunk"});
    CHECK(bad.wait(10s) == 2);
    CHECK(contains(bad.stderr_text(), "--as needs secops-mcp, gti-mcp, secops-soar or all"));
  }
  {
    test::Child bad({LMHUNT_SIM_BINARY, "--fail-rate", "2"});
    CHECK(bad.wait(10s) == 2);
  }
  {
    test::Child bad({LMHUNT_SIM_BINARY, "--as", "secops-mcp", "--log-level", "wran"});
    CHECK(bad.wait(10s) == 2);
    CHECK(contains(bad.stderr_text(), "--log-level needs one of trace, debug, info"));
  }
  Files files;
  const std::string empty = files.dir.write("nothing.jsonl", "not json at all\n");
  test::Child missing({LMHUNT_SIM_BINARY, "--as", "secops-mcp", "--events", files.events, empty,
                       files.dir.path + "/absent.jsonl"});
  CHECK(missing.wait(20s) == 1);
  const std::string err = missing.stderr_text();
  CHECK(contains(err, "nothing.jsonl"));
  CHECK(contains(err, "absent.jsonl"));
  CHECK(contains(err, "no events could be loaded from"));
}

TEST_CASE("two processes writing one case database lose nothing and it persists",
          "[sim][simserver][process][cases]") {
  Files files;
  const std::string db = files.dir.path + "/cases.db";
  constexpr int kComments = 10;
  {
    Sim a(files, {"--as", "secops-soar", "--cases", db});
    Sim b(files, {"--as", "secops-soar", "--cases", db});
    auto post = [](Sim& sim, const std::string& who) {
      for (int i = 0; i < kComments; ++i) {
        auto r =
            sim.call("post_case_comment", {{"case_id", "1"}, {"comment", who + std::to_string(i)}});
        REQUIRE(r.ok());
        CHECK(r.value().value("isError", false) == false);
      }
    };
    std::thread ta([&] { post(a, "a"); });
    std::thread tb([&] { post(b, "b"); });
    ta.join();
    tb.join();
  }
  Sim again(files, {"--as", "secops-soar", "--cases", db});
  auto r = again.call("get_case_full_details", {{"case_id", "1"}});
  REQUIRE(r.ok());
  Json details = Json::parse(r.value()["content"][0]["text"].get<std::string>());
  CHECK(details["case_comments"].size() == 2 * kComments);
  auto list = again.call("list_cases");
  REQUIRE(list.ok());
  CHECK(Json::parse(list.value()["content"][0]["text"].get<std::string>())["cases"].size() == 1);
}
