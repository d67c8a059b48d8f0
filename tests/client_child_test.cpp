#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <thread>

#include "mcp/client.hpp"
#include "mcp/transport_child.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

mcp::EnvLookup table(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("expand_env_refs replaces ${env:VAR} and keeps everything else", "[client][env]") {
  auto lookup = table({{"A", "alpha"}, {"EMPTY", ""}});
  CHECK(mcp::expand_env_refs("x-${env:A}-y", lookup) == "x-alpha-y");
  CHECK(mcp::expand_env_refs("${env:A}${env:A}", lookup) == "alphaalpha");
  CHECK(mcp::expand_env_refs("${env:UNSET}", lookup).empty());
  CHECK(mcp::expand_env_refs("[${env:EMPTY}]", lookup) == "[]");
  CHECK(mcp::expand_env_refs("${env:A", lookup) == "${env:A");
  CHECK(mcp::expand_env_refs("${A} $env:A ${other:A}", lookup) == "${A} $env:A ${other:A}");
  CHECK(mcp::expand_env_refs("", lookup).empty());
}

TEST_CASE("a child's environment is the minimal inherited set plus configuration",
          "[client][env]") {
  auto lookup = table({{"PATH", "/bin"}, {"HOME", "/h"}, {"SECRET", "s"}, {"AWS_KEY", "k"}});
  auto env = mcp::build_child_env({{"TOKEN", "${env:SECRET}!"}, {"HOME", "/other"}}, lookup);
  CHECK(env == std::vector<std::string>{"HOME=/other", "PATH=/bin", "TOKEN=s!"});
}

TEST_CASE("find_in_path resolves bare commands only", "[client][env]") {
  CHECK(mcp::find_in_path("sh", "/nonexistent:/bin:/usr/bin").value_or("").ends_with("/sh"));
  CHECK(mcp::find_in_path("./relative/cmd", "/bin") == "./relative/cmd");
  CHECK_FALSE(mcp::find_in_path("no-such-command-lmhunt", "/bin:/usr/bin"));
}

TEST_CASE("a command that is not on PATH is an error naming it", "[client][child]") {
  mcp::Executor executor{2};
  mcp::ChildOptions options;
  options.name = "secops";
  options.argv = {"no-such-command-lmhunt"};
  auto child = mcp::ChildProcess::start(options, executor);
  REQUIRE_FALSE(child.ok());
  CHECK(child.error().message.find("'no-such-command-lmhunt' not found") != std::string::npos);
}

#ifdef LMHUNT_FAKE_SERVER

namespace {

std::size_t open_fd_count() {
  std::size_t n = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* d = readdir(dir)) n += d->d_name[0] != '.';
    closedir(dir);
  }
  return n;
}

// Downstream: the fake server as a child process with a Client on it.
struct Downstream {
  explicit Downstream(std::vector<std::string> flags, mcp::ChildOptions options = {}) {
    options.name = "secops";
    options.argv = {LMHUNT_FAKE_SERVER};
    options.argv.insert(options.argv.end(), flags.begin(), flags.end());
    auto started = mcp::ChildProcess::start(std::move(options), executor);
    if (!started) FAIL(started.error().message);
    child = started.value();
    client = std::make_unique<mcp::Client>(child->session());
  }
  ~Downstream() { child->close(); }
  mcp::Result<mcp::InitializeResult> initialize() { return client->initialize({}, 10s); }
  mcp::Result<Json> call(const std::string& tool, Json args = Json::object(),
                         std::chrono::milliseconds timeout = 10s) {
    mcp::CallOptions options;
    options.timeout = timeout;
    return client->call_tool(tool, std::move(args), options);
  }

  mcp::Executor executor{4};
  std::shared_ptr<mcp::ChildProcess> child;
  std::unique_ptr<mcp::Client> client;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a child server lists and calls tools over real pipes", "[client][child]") {
  Downstream d({});
  auto init = d.initialize();
  REQUIRE(init.ok());
  CHECK(init->server_info.name == "Google Security Operations MCP server");
  auto tools = d.client->list_tools(10s);
  REQUIRE(tools.ok());
  std::vector<std::string> names;
  for (const auto& t : *tools) names.push_back(t.name);
  CHECK(std::find(names.begin(), names.end(), "search_udm") != names.end());
  CHECK(std::find(names.begin(), names.end(), "lookup_entity") != names.end());
  auto r = d.call("search_udm", {{"query", "metadata.event_type = \"NETWORK_CONNECTION\""}});
  REQUIRE(r.ok());
  CHECK(r.value()["structuredContent"]["result"]["tool"] == "search_udm");
  CHECK(d.child->running());
}

TEST_CASE("a crash mid-call fails the call with the exit status and stderr", "[client][child]") {
  Downstream d({"--crash-after", "1"});
  REQUIRE(d.initialize().ok());
  REQUIRE(d.call("lookup_entity", {{"entity_value", "10.0.0.5"}}).ok());
  auto r = d.call("search_udm", {{"query", "x"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == mcp::jsonrpc::kConnectionClosed);
  CHECK(contains(r.error().message, "secops exited (exit status 3)"));
  CHECK(contains(r.error().message, "crashing in call 2 to search_udm"));
  CHECK(d.child->exit_status() == 3);
  CHECK_FALSE(d.child->running());
  CHECK(contains(d.child->last_stderr(), "crashing in call 2"));
}

TEST_CASE("a hung call times out and the child is sent notifications/cancelled",
          "[client][child][cancel]") {
  Downstream d({"--hang-tool", "search_udm"});
  REQUIRE(d.initialize().ok());
  auto r = d.call("search_udm", {{"query", "x"}}, 300ms);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == mcp::jsonrpc::kRequestTimeout);
  auto stats = d.call("stats", {{"wait_cancelled", 1}});
  REQUIRE(stats.ok());
  CHECK(stats.value()["structuredContent"]["result"]["cancelled"] == 1);
  CHECK(d.call("lookup_entity").ok());  // the connection survives
}

TEST_CASE("non-JSON lines on a child's stdout are skipped", "[client][child]") {
  Downstream d({"--garbage-stdout"});
  REQUIRE(d.initialize().ok());
  REQUIRE(d.client->list_tools(10s).ok());
  for (int i = 0; i < 5; ++i) CHECK(d.call("lookup_entity", {{"i", i}}).ok());
}

TEST_CASE("a server that exits at start fails initialize with its status and stderr",
          "[client][child]") {
  Downstream d({"--exit-at-start", "7"});
  auto r = d.initialize();
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error().message, "initialize failed"));
  CHECK(contains(r.error().message, "exit status 7"));
  CHECK(contains(r.error().message, "cannot reach SOAR"));
  CHECK(d.child->exit_status() == 7);
}

TEST_CASE("closing stdin shuts the child down with no zombie and no leaked descriptor",
          "[client][child]") {
  const auto fds_before = open_fd_count();
  pid_t pid = -1;
  {
    Downstream d({});
    REQUIRE(d.initialize().ok());
    REQUIRE(d.call("lookup_entity").ok());
    pid = d.child->pid();
    d.child->close();
    CHECK(d.child->exit_status() == 0);
    d.child->close();  // idempotent
    auto after = d.call("lookup_entity");
    REQUIRE_FALSE(after.ok());
    CHECK(after.error().code == mcp::jsonrpc::kConnectionClosed);
  }
  errno = 0;
  CHECK(waitpid(pid, nullptr, WNOHANG) == -1);  // already reaped: not our child any more
  CHECK(errno == ECHILD);
  CHECK(open_fd_count() == fds_before);
}

TEST_CASE("a child that ignores stdin EOF gets SIGTERM, then SIGKILL", "[client][child]") {
  const bool ignore_term = GENERATE(false, true);
  mcp::ChildOptions options;
  options.close_grace = 100ms;
  options.term_grace = 100ms;
  std::vector<std::string> flags = {"--linger"};
  if (ignore_term) flags.push_back("--ignore-sigterm");
  Downstream d(flags, options);
  REQUIRE(d.initialize().ok());
  d.child->close();
  CHECK(d.child->exit_status() == 128 + (ignore_term ? SIGKILL : SIGTERM));
}

TEST_CASE("a child sees only the minimal environment plus configured variables",
          "[client][child][env]") {
  ::setenv("LMHUNT_TEST_SECRET", "s3cret", 1);
  mcp::ChildOptions options;
  options.env = {{"CHRONICLE_PROJECT_ID", "proj-${env:LMHUNT_TEST_SECRET}"},
                 {"CHRONICLE_REGION", "us"}};
  Downstream d({}, options);
  REQUIRE(d.initialize().ok());
  auto r = d.call("env");
  REQUIRE(r.ok());
  const Json env = r.value()["structuredContent"]["result"];
  CHECK(env["CHRONICLE_PROJECT_ID"] == "proj-s3cret");
  CHECK(env["CHRONICLE_REGION"] == "us");
  CHECK_FALSE(env.contains("LMHUNT_TEST_SECRET"));
  const auto& inherited = mcp::inherited_env_names();
  for (const auto& [name, value] : env.items()) {
    INFO(name);
    CHECK((name.rfind("CHRONICLE_", 0) == 0 ||
           std::find(inherited.begin(), inherited.end(), name) != inherited.end()));
  }
  if (const char* path = std::getenv("PATH")) CHECK(env["PATH"] == path);
  ::unsetenv("LMHUNT_TEST_SECRET");
}

TEST_CASE("no descriptor of ours leaks into a child", "[client][child]") {
  Downstream other({});  // a second child's pipes must not leak either
  Downstream d({});
  REQUIRE(d.initialize().ok());
  auto r = d.call("fds");
  REQUIRE(r.ok());
  CHECK(r.value()["structuredContent"]["result"] == Json{0, 1, 2});
}

TEST_CASE("a stderr flood is drained, rate-limited and its last lines kept", "[client][child]") {
  Downstream d({"--stderr-flood", "3000"});
  REQUIRE(d.initialize().ok());  // the child is not blocked on a full stderr pipe
  d.child->close();
  const auto tail = d.child->last_stderr();
  CHECK(contains(tail, "flood line 2999"));
  CHECK(std::count(tail.begin(), tail.end(), '\n') == 20);
}

TEST_CASE("isError and empty content reach the caller as results", "[client][child]") {
  SECTION("isError") {
    Downstream d({"--is-error"});
    REQUIRE(d.initialize().ok());
    auto r = d.call("search_udm");
    REQUIRE(r.ok());
    CHECK(r.value()["isError"] == true);
  }
  SECTION("empty content") {
    Downstream d({"--empty-content"});
    REQUIRE(d.initialize().ok());
    auto r = d.call("lookup_entity");
    REQUIRE(r.ok());
    CHECK(r.value()["content"].empty());
  }
}

TEST_CASE("concurrent calls to a child with latency all answer, with progress", "[client][child]") {
  Downstream d({"--latency-ms", "20"});
  REQUIRE(d.initialize().ok());
  std::atomic<int> failed{0}, progress{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        mcp::CallOptions options;
        options.timeout = 10s;
        options.on_progress = [&](const Json&) { ++progress; };
        auto r = d.client->call_tool("search_udm", {{"t", t}, {"i", i}}, options);
        if (!r.ok() || r.value()["structuredContent"]["result"]["arguments"]["i"] != i) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(progress == 40);  // two notifications per call
}

#endif  // LMHUNT_FAKE_SERVER
