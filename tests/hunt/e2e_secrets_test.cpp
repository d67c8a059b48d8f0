// Secrets never reach logs, reports or comments (issue 7, "Security"). Distinctive secret values
// are planted where a real deployment keeps them — the env of stdio downstream servers
// (CHRONICLE_*, SOAR_APP_KEY), the Authorization header and an API key in the URL query of an
// HTTP downstream, and lmhunt's own LMHUNT_AUTH_TOKEN — and every output of the real lmhunt
// binary is searched for them at trace logging: stdout and stderr of `lmhunt hunt` (JSON and
// Markdown), the log of `lmhunt serve --http` and the result it returns, the comments posted to
// lmhunt-sim's case database, and the spool. The SOAR's launcher records its environment to
// prove the client's bearer token (and other servers' secrets) never reach a downstream child.
#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "mcp/client.hpp"
#include "mcp/transport_http_client.hpp"
#include "support/e2e.hpp"

namespace {

using e2e::Json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kNow = "2026-11-20T18:00:01Z";
constexpr const char* kProjectSecret = "s3cr3t-chronicle-project-5b1e";
constexpr const char* kCustomerSecret = "s3cr3t-chronicle-customer-77ad";
constexpr const char* kSoarSecret = "s3cr3t-soar-app-key-9c04";
constexpr const char* kHeaderSecret = "s3cr3t-gti-bearer-31f2";
constexpr const char* kUrlSecret = "s3cr3t-gti-url-key-64e0";
constexpr const char* kTokenSecret = "s3cr3t-lmhunt-client-token-a8d3";

const std::vector<std::string>& secrets() {
  static const std::vector<std::string> all = {kProjectSecret, kCustomerSecret, kSoarSecret,
                                               kHeaderSecret,  kUrlSecret,      kTokenSecret};
  return all;
}

// leaked lists the secrets found in text.
std::vector<std::string> leaked(const std::string& text) {
  std::vector<std::string> found;
  for (const auto& s : secrets()) {
    if (text.find(s) != std::string::npos) found.push_back(s);
  }
  return found;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// joined is the argv that runs argv with `env` and stderr joined to stdout, so its log can be read
// line by line.
std::vector<std::string> joined(const std::vector<std::string>& env,
                                const std::vector<std::string>& argv) {
  std::vector<std::string> out = {"/usr/bin/env"};
  out.insert(out.end(), env.begin(), env.end());
  out.insert(out.end(), {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1"});
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// read_port reads the child's log until "serving MCP at http://127.0.0.1:PORT/mcp"; 0 if never.
int read_port(test::Child& child, std::string& log) {
  while (auto line = child.read_line(30s)) {
    log += *line + "\n";
    const auto at = line->find("serving MCP at http://127.0.0.1:");
    if (at != std::string::npos) {
      return std::stoi(line->substr(at + std::string("serving MCP at http://127.0.0.1:").size()));
    }
  }
  return 0;
}

// drain appends what the child writes until it has been quiet for a moment (the log lines of a
// call are written before its answer, so this only collects stragglers).
void drain(test::Child& child, std::string& log) {
  while (auto line = child.read_line(500ms)) log += *line + "\n";
}

Json stdio_sim(const std::string& role, const fs::path& dir, const std::string& events, Json env) {
  Json args = {"--as", role, "--now", kNow, "--log-level", "debug", "--events", events};
  if (role == "gti-mcp") args.insert(args.end(), {"--iocs", (dir / "iocs.json").string()});
  env["TMPDIR"] = dir.string();
  return {{"command", LMHUNT_SIM_BINARY}, {"args", args}, {"env", env}};
}

}  // namespace

TEST_CASE(
    "planted secrets appear in no log, report, comment or spool file, and the client's "
    "token reaches no downstream server",
    "[e2e][secrets]") {
  e2e::TempDir tmp;
  const fs::path dir = tmp.path();
  const std::string events = e2e::slice_of_demo(dir, "2026-11-20T13:55", "2026-11-20T14:12");
  const std::string db = (dir / "cases.db").string();
  const fs::path soar_env = dir / "soar-env.txt";

  // gti-mcp over Streamable HTTP, demanding the bearer token the config's header carries.
  test::Child gti(joined({"LMHUNT_AUTH_TOKEN=" + std::string(kHeaderSecret)},
                         {LMHUNT_SIM_BINARY, "--as", "gti-mcp", "--http", "127.0.0.1:0", "--now",
                          kNow, "--events", events, "--iocs", (dir / "iocs.json").string()}));
  std::string gti_log;
  const int gti_port = read_port(gti, gti_log);
  REQUIRE(gti_port > 0);

  // secops-soar started through a shell that appends its environment to soar-env.txt.
  const std::string soar_command =
      "env >> '" + soar_env.string() + "'; echo ---- >> '" + soar_env.string() + "'; exec \"$0\" " +
      "--as secops-soar --now " + kNow + " --log-level debug --events '" + events + "' --cases '" +
      db + "' --cases-seed '" + (dir / "cases.json").string() + "'";
  Json config = {
      {"mcpServers",
       {{"secops", stdio_sim("secops-mcp", dir, events,
                             {{"CHRONICLE_PROJECT_ID", kProjectSecret},
                              {"CHRONICLE_CUSTOMER_ID", kCustomerSecret},
                              {"CHRONICLE_REGION", "us"}})},
        {"gti",
         {{"type", "streamableHttp"},
          {"url", "http://127.0.0.1:" + std::to_string(gti_port) + "/mcp?key=" + kUrlSecret},
          {"headers", {{"Authorization", std::string("Bearer ") + kHeaderSecret}}}}},
        {"secops-soar",
         {{"command", "/bin/sh"},
          {"args", {"-c", soar_command, LMHUNT_SIM_BINARY}},
          {"env",
           {{"TMPDIR", tmp.str()},
            {"SOAR_URL", "https://soar.example.invalid"},
            {"SOAR_APP_KEY", kSoarSecret}}}}}}},
      {"lmhunt", {{"spool_dir", (dir / "spool").string()}, {"call_timeout_seconds", 20}}}};
  const std::string config_path = (dir / "config.json").string();
  std::ofstream(config_path) << config.dump(2);
  const std::vector<std::string> token = {"LMHUNT_AUTH_TOKEN=" + std::string(kTokenSecret)};

  // 1. `lmhunt hunt` at trace level: JSON to case 1041, Markdown to a case that does not exist
  // (its post fails, so the comment is spooled).
  auto json_run = e2e::run_lmhunt(tmp.str(),
                                  {"hunt", "--config", config_path, "--case-id", "1041", "--hours",
                                   "24", "--now", kNow, "--format", "json", "--log-level", "trace"},
                                  120s, token);
  INFO(json_run.err);
  REQUIRE(json_run.exit_code == 0);
  const Json result = Json::parse(json_run.out);
  CHECK(result["documentation"]["status"] == "posted");
  // The planted header was what let lmhunt in: gti answered over HTTP.
  const bool gti_answered =
      std::any_of(result["calls"].begin(), result["calls"].end(), [](auto& c) {
        return c.value("server", "") == "gti" &&
               (c.value("outcome", "") == "ok" || c.value("outcome", "") == "not_found");
      });
  CHECK(gti_answered);
  auto markdown_run = e2e::run_lmhunt(tmp.str(),
                                      {"hunt", "--config", config_path, "--case-id", "999999",
                                       "--hours", "24", "--now", kNow, "--log-level", "trace"},
                                      120s, token);
  CHECK(markdown_run.exit_code == 0);
  CHECK_THAT(markdown_run.out, Catch::Contains("Lateral"));

  // 2. `lmhunt serve --http` with the client token, driven by an MCP client over HTTP.
  test::Child serve(
      joined({"LMHUNT_AUTH_TOKEN=" + std::string(kTokenSecret), "LMHUNT_STATE_DIR=" + tmp.str(),
              "TMPDIR=" + tmp.str(), "LMHUNT_CONFIG="},
             {LMHUNT_BINARY, "serve", "--http", "127.0.0.1:0", "--config", config_path,
              "--log-level", "trace"}));
  std::string serve_log;
  const int port = read_port(serve, serve_log);
  REQUIRE(port > 0);
  std::string served;
  {
    mcp::Executor executor{4};
    mcp::HttpClientOptions options;
    options.name = "secrets-test";
    options.url = "http://127.0.0.1:" + std::to_string(port) + "/mcp";
    options.headers["Authorization"] = std::string("Bearer ") + kTokenSecret;
    auto transport = mcp::HttpClientTransport::open(options, executor);
    REQUIRE(transport.ok());
    mcp::Client client(transport.value()->session());
    REQUIRE(client.initialize({}, 20s).ok());
    mcp::CallOptions call;
    call.timeout = 180s;
    auto answer = client.call_tool(
        "lateral_movement_hunt",
        {{"case_id", "1041"}, {"time_frame_hours", 8760}, {"wait_seconds", 170}}, call);
    REQUIRE(answer.ok());
    CHECK_FALSE(answer->value("isError", false));
    served = answer->dump();
    transport.value()->close();
  }
  drain(serve, serve_log);
  serve_log += serve.stderr_text();

  // 3. Every output, searched.
  std::map<std::string, std::string> outputs = {{"hunt --format json: stdout", json_run.out},
                                                {"hunt --format json: stderr", json_run.err},
                                                {"hunt (Markdown): stdout", markdown_run.out},
                                                {"hunt (Markdown): stderr", markdown_run.err},
                                                {"serve --http: log", serve_log},
                                                {"serve --http: tool result", served}};
  std::size_t comments = 0;
  for (const auto& comment : e2e::comments_with(db, 1041, "lmhunt hunt ")) {
    outputs["comment " + std::to_string(++comments)] = comment;
  }
  CHECK(comments == 2);  // the JSON hunt's and the served hunt's
  std::size_t spooled = 0;
  for (const auto& entry : fs::directory_iterator(dir / "spool")) {
    outputs["spool " + entry.path().filename().string()] = read_file(entry.path());
    ++spooled;
  }
  CHECK(spooled == 1);                                  // the Markdown hunt's, for case 999999
  CHECK_THAT(serve_log, Catch::Contains("POST /mcp"));  // trace logging was on
  for (const auto& [where, text] : outputs) {
    INFO(where);
    CHECK(leaked(text).empty());
  }

  // 4. Downstream children get their own configured env and nothing else of ours.
  const std::string children = read_file(soar_env);
  REQUIRE(children.find(kSoarSecret) != std::string::npos);  // the recording works
  CHECK(children.find(kTokenSecret) == std::string::npos);
  CHECK(children.find("LMHUNT_AUTH_TOKEN") == std::string::npos);
  CHECK(children.find(kProjectSecret) == std::string::npos);
  CHECK(children.find(kHeaderSecret) == std::string::npos);
}
