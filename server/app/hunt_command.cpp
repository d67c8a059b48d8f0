#include "app/hunt_command.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "app/downstream_setup.hpp"
#include "app/lmhunt_server.hpp"
#include "app/logging.hpp"
#include "mcp/client.hpp"
#include "mcp/transport_memory.hpp"

namespace app {

const char* const kHuntUsage =
    R"(  lmhunt hunt [options]                       run one hunt and print its report
  lmhunt demo [--format markdown|json]        hunt over the bundled demo enterprise

hunt options:
  --hours N                look back N hours (default 72)
  --scope QUERY            UDM fragment limiting the hunt, e.g. 'principal.hostname = "WKS-07"'
  --hypothesis TEXT        what you are testing (goes into the report and the SOAR comment)
  --case-id ID             SOAR case to document the hunt in
  --config FILE            mcpServers file with your SecOps servers (default $LMHUNT_CONFIG)
  --events FILE...         hunt over exported logs (UDM / Windows JSON lines, .evtx) with lmhunt-sim
  --now ISO8601|latest     the clock of --events / the demo (default latest: just after the newest event)
  --format markdown|json   print the Markdown report (default) or the structuredContent JSON
  --log-level LEVEL        default warn for hunt and demo
)";

namespace {

struct HuntOptions {
  DownstreamChoice downstream;
  nlohmann::json arguments = nlohmann::json::object();
  std::string format = "markdown";
  std::string log_level = "warn";
};

int usage(const std::string& message) {
  std::fprintf(stderr, "lmhunt: %s\n\nUsage:\n%s", message.c_str(), kHuntUsage);
  return 2;
}

bool is_flag(const std::string& s) {
  return s.rfind("--", 0) == 0;
}

// parse fills options from args; an empty string means success, else the usage error.
std::string parse(const std::vector<std::string>& args, bool demo, HuntOptions& o) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto next = [&](std::string& out) {
      if (i + 1 >= args.size() || is_flag(args[i + 1])) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (flag == "--format" && next(v)) {
      if (v != "markdown" && v != "json") return "--format needs markdown or json";
      o.format = v;
    } else if (flag == "--log-level" && next(v)) {
      if (!known_log_level(v)) return kLogLevelError;
      o.log_level = v;
    } else if (demo) {
      return "unknown or incomplete option '" + flag + "' (demo takes --format and --log-level)";
    } else if (flag == "--hours" && next(v)) {
      const bool digits =
          !v.empty() && v.size() <= 4 && v.find_first_not_of("0123456789") == std::string::npos;
      const int hours = digits ? std::stoi(v) : 0;
      if (hours < 1 || hours > 8760) return "--hours needs a whole number of hours (1-8760)";
      o.arguments["time_frame_hours"] = hours;
    } else if (flag == "--scope" && next(v)) {
      o.arguments["target_scope_query"] = v;
    } else if (flag == "--hypothesis" && next(v)) {
      o.arguments["hunt_hypothesis"] = v;
    } else if (flag == "--case-id" && next(v)) {
      // An empty id (an unset shell variable) would silently mean "no case": a new case is
      // opened when movement is confirmed, instead of documenting the one meant.
      if (v.find_first_not_of(" \t") == std::string::npos) return "--case-id needs a case id";
      o.arguments["case_id"] = v;
    } else if (flag == "--config" && next(v)) {
      o.downstream.config_path = v;
    } else if (flag == "--now" && next(v)) {
      o.downstream.now = v;
    } else if (flag == "--events") {
      while (i + 1 < args.size() && !is_flag(args[i + 1])) o.downstream.events.push_back(args[++i]);
      if (o.downstream.events.empty()) return "--events needs at least one file";
    } else {
      return "unknown or incomplete option '" + flag + "'";
    }
  }
  return "";
}

}  // namespace

int run_hunt_command(const std::vector<std::string>& args, bool demo) {
  HuntOptions o;
  if (auto error = parse(args, demo, o); !error.empty()) return usage(error);
  // The demo is a walkthrough: every run starts from the demo enterprise's seeded cases, so it
  // reads like the README's transcript however often it is run.
  o.downstream.fresh_cases = demo;
  init_logging(o.log_level);

  mcp::Executor executor;
  auto downstream = prepare_downstream(o.downstream, executor);
  if (!downstream) {
    std::fprintf(stderr, "lmhunt: %s\n", downstream.error().message.c_str());
    return downstream.error().code == 2 ? 2 : 1;
  }
  auto made = make_lmhunt_server(&downstream.value());
  if (!made) {
    std::fprintf(stderr, "lmhunt: cannot start: %s\n", made.error().message.c_str());
    return 1;
  }
  auto& server = made.value().server;
  auto session = server->connect(nullptr, executor, "cli");
  auto client_session = std::make_shared<mcp::Session>("cli-client", executor);
  mcp::LinkChannel::connect(client_session, session->rpc_ptr());
  mcp::Client client(client_session);
  if (auto init = client.initialize(); !init) {
    std::fprintf(stderr, "lmhunt: %s\n", init.error().message.c_str());
    return 1;
  }
  // The command line waits as long as the hunt takes (the tool's own deadline still applies).
  o.arguments["wait_seconds"] = 3600;
  mcp::CallOptions call;
  call.timeout = std::chrono::hours(1);
  auto result = client.call_tool("lateral_movement_hunt", o.arguments, call);
  int status = 1;
  if (!result) {
    std::fprintf(stderr, "lmhunt: %s\n", result.error().message.c_str());
  } else if (result->value("isError", false)) {
    for (const auto& block : result->value("content", nlohmann::json::array())) {
      std::fprintf(stderr, "lmhunt: %s\n", block.value("text", "").c_str());
    }
  } else {
    const auto& structured = (*result)["structuredContent"];
    if (o.format == "json") {
      std::cout << structured.dump(2) << "\n";
    } else {
      for (const auto& block : result->value("content", nlohmann::json::array())) {
        if (block.value("type", "") == "text") std::cout << block.value("text", "") << "\n";
      }
    }
    const std::string hunt_status = structured.value("status", "");
    status = hunt_status == "completed" || hunt_status == "partial" ? 0 : 1;
    if (status != 0)
      std::fprintf(stderr, "lmhunt: the hunt ended with status '%s'\n", hunt_status.c_str());
  }
  std::cout.flush();
  client.close("done");
  session->close("done");
  downstream->connections->close();
  return status;
}

}  // namespace app
