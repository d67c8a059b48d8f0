// The real `lmhunt serve` binary over stdio, driven as Cline drives it.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "mcp/jsonrpc.hpp"
#include "support/child.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

const std::string kInit =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

// like compares expected and actual JSON; an expected string "<...>" matches
// any string (for values such as the version that legitimately change).
bool like(const Json& expected, const Json& actual) {
  if (expected.is_string() && actual.is_string()) {
    const auto& e = expected.get_ref<const std::string&>();
    if (e.size() > 2 && e.front() == '<' && e.back() == '>') return true;
  }
  if (expected.is_object() && actual.is_object()) {
    if (expected.size() != actual.size()) return false;
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k) || !like(v, actual[k])) return false;
    }
    return true;
  }
  if (expected.is_array() && actual.is_array()) {
    if (expected.size() != actual.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (!like(expected[i], actual[i])) return false;
    }
    return true;
  }
  return expected == actual;
}

Json read_json(test::Child& child) {
  auto line = child.read_line();
  REQUIRE(line.has_value());
  return Json::parse(*line);
}

}  // namespace

TEST_CASE("the stdio golden session gets exactly the recorded answers", "[stdio][golden]") {
  std::ifstream golden(LMHUNT_GOLDEN_DIR "/stdio_session.txt");
  REQUIRE(golden);
  test::Child child({LMHUNT_BINARY, "serve", "--log-level", "warn"});
  std::string line;
  int exchanges = 0;
  while (std::getline(golden, line)) {
    if (line.rfind("> ", 0) == 0) {
      REQUIRE(child.write_line(line.substr(2)));
    } else if (line.rfind("< ", 0) == 0) {
      INFO("expected: " << line.substr(2));
      auto got = child.read_line();
      REQUIRE(got.has_value());
      INFO("actual:   " << *got);
      CHECK(like(Json::parse(line.substr(2)), Json::parse(*got)));
      ++exchanges;
    }
  }
  CHECK(exchanges >= 10);
  child.close_stdin();
  CHECK(child.wait() == 0);
}

TEST_CASE("stdout carries nothing but JSON-RPC frames, logs go to stderr", "[stdio]") {
  test::Child child({LMHUNT_BINARY, "serve", "--log-level", "debug"});
  child.write_line(kInit);
  child.write_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  child.write_line(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
  child.write_line("garbage that is not json");
  child.write_line(R"({"jsonrpc":"2.0","id":3,"method":"ping"})");
  child.close_stdin();
  int frames = 0;
  while (auto out = child.read_line()) {
    INFO(*out);
    auto decoded = mcp::jsonrpc::decode(*out);
    CHECK(std::holds_alternative<mcp::jsonrpc::Message>(decoded));
    ++frames;
  }
  CHECK(frames == 4);
  CHECK(child.wait() == 0);
  CHECK_THAT(child.stderr_text(), Catch::Contains("serving MCP over stdio"));
}

TEST_CASE("an oversize frame is refused and the server keeps serving", "[stdio]") {
  test::Child child({LMHUNT_BINARY, "serve", "--log-level", "error", "--max-frame-bytes", "4096"});
  child.write_line(kInit);
  CHECK(read_json(child)["id"] == 1);
  std::string huge = R"({"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":")" +
                     std::string(100000, 'x') + "\"}}";
  child.write_line(huge);
  Json refused = read_json(child);
  CHECK(refused["error"]["code"] == mcp::jsonrpc::kInvalidRequest);
  CHECK(refused["id"].is_null());
  child.write_line(R"({"jsonrpc":"2.0","id":3,"method":"ping"})");
  CHECK(read_json(child)["id"] == 3);
  child.close_stdin();
  CHECK(child.wait() == 0);
}

TEST_CASE("stdin EOF ends the server cleanly, also mid-frame and before initialize", "[stdio]") {
  {
    test::Child child({LMHUNT_BINARY, "serve"});
    child.close_stdin();
    CHECK(child.wait(5s) == 0);
  }
  {
    test::Child child({LMHUNT_BINARY, "serve", "--log-level", "error"});
    child.write_raw(R"({"jsonrpc":"2.0","id":1,"meth)");
    child.close_stdin();
    Json reply = read_json(child);
    CHECK(reply["error"]["code"] == mcp::jsonrpc::kParseError);
    CHECK(child.wait(5s) == 0);
  }
}

TEST_CASE("CRLF line endings and blank lines are tolerated", "[stdio]") {
  test::Child child({LMHUNT_BINARY, "serve", "--log-level", "error"});
  child.write_raw("\n\r\n" + kInit + "\r\n");
  CHECK(read_json(child)["result"]["protocolVersion"] == "2025-11-25");
  child.close_stdin();
  CHECK(child.wait() == 0);
}

TEST_CASE("bad command lines are usage errors with exit status 2", "[cli]") {
  for (std::vector<std::string> argv : {std::vector<std::string>{LMHUNT_BINARY, "frobnicate"},
                                        {LMHUNT_BINARY, "serve", "--http"},
                                        {LMHUNT_BINARY, "serve", "--http", "host:notaport"},
                                        {LMHUNT_BINARY, "serve", "--bogus"},
                                        {LMHUNT_BINARY, "serve", "--max-frame-bytes", "12"}}) {
    test::Child child(argv);
    child.close_stdin();
    CHECK(child.wait() == 2);
    CHECK_THAT(child.stderr_text(), Catch::Contains("Usage"));
  }
}

TEST_CASE("a bad value is named before anything runs, with exit status 2", "[cli]") {
  const std::string log_levels = "--log-level needs one of trace, debug, info, warn, error";
  const std::string hours = "--hours needs a whole number of hours (1-8760)";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"serve", "--log-level", "debgu"}, log_levels},
      {{"demo", "--log-level", "verbose"}, log_levels},
      {{"hunt", "--log-level", "warnings"}, log_levels},
      {{"spool", "list", "--log-level", "loud"}, log_levels},
      {{"hunt", "--hours", "0"}, hours},
      {{"hunt", "--hours", "8761"}, hours},
      {{"hunt", "--hours", "-5"}, hours},
      {{"demo", "--format", "xml"}, "--format needs markdown or json"},
      {{"hunt", "--format", "yaml"}, "--format needs markdown or json"},
      {{"hunt", "--case-id", ""}, "--case-id needs a case id"}};
  for (const auto& [args, message] : cases) {
    std::vector<std::string> argv{LMHUNT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    INFO(args.front() << " " << args[1] << " " << args.back());
    test::Child child(argv);
    child.close_stdin();
    CHECK(child.wait() == 2);
    CHECK_THAT(child.stderr_text(), Catch::Contains(message));
  }
  // The accepted spellings still start (spdlog's aliases included).
  test::Child child({LMHUNT_BINARY, "serve", "--log-level", "warning"});
  child.close_stdin();
  CHECK(child.wait() == 0);
}

TEST_CASE("serve --http warns at start-up about a short bearer token", "[cli]") {
  // started_log runs `lmhunt serve --http` with `token` and returns its log
  // once it says where it serves (up to 10 s).
  auto started_log = [](const std::string& token) {
    ::setenv("LMHUNT_TEST_TOKEN", token.c_str(), 1);
    test::Child child(
        {LMHUNT_BINARY, "serve", "--http", "127.0.0.1:0", "--token-env", "LMHUNT_TEST_TOKEN"});
    ::unsetenv("LMHUNT_TEST_TOKEN");
    std::string log;
    for (int i = 0; i < 200 && log.find("serving MCP at") == std::string::npos; ++i) {
      std::this_thread::sleep_for(50ms);
      log += child.stderr_text();
    }
    return log;
  };
  const std::string weak = started_log("change-me");
  CHECK_THAT(weak, Catch::Contains("serving MCP at"));
  CHECK_THAT(weak, Catch::Contains("LMHUNT_TEST_TOKEN is 9 characters; use at least 32"));
  const std::string strong = started_log(std::string(64, 'a'));
  CHECK_THAT(strong, Catch::Contains("serving MCP at"));
  CHECK_THAT(strong, !Catch::Contains("characters; use at least"));
}
