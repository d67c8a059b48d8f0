#include "app/spool_command.hpp"

#include <cstdio>
#include <iostream>

#include "app/logging.hpp"
#include "mcp/executor.hpp"
#include "tools/downstream/config.hpp"
#include "tools/downstream/connections.hpp"
#include "tools/hunt/settings.hpp"
#include "tools/hunt/spool_flush.hpp"

namespace app {

const char* const kSpoolUsage =
    R"(  lmhunt spool list|flush [options]           show or deliver SOAR comments hunts could not post

spool options:
  --config FILE            mcpServers file with your secops-soar server (default $LMHUNT_CONFIG);
                           flush needs one; its lmhunt.spool_dir is the spool
  --spool-dir DIR          the spool directory (default: the config's spool_dir, else
                           $XDG_STATE_HOME/lmhunt/spool, else ~/.local/state/lmhunt/spool)
  --case ID                flush: the case for comments spooled without one
  --hunt HUNT_ID           flush only this hunt's comment (with --case: post it to that case)
  --dry-run                flush: read each case and say what would be posted; change nothing
  --log-level LEVEL        default warn
)";

namespace {

struct SpoolOptions {
  std::string action;  // "list" | "flush"
  std::string config_path;
  std::string spool_dir;
  hunt::FlushOptions flush;
  std::string log_level = "warn";
};

int usage(const std::string& message) {
  std::fprintf(stderr, "lmhunt: %s\n\nUsage:\n%s", message.c_str(), kSpoolUsage);
  return 2;
}

// parse fills o from args; "" on success, else the usage error.
std::string parse(const std::vector<std::string>& args, SpoolOptions& o) {
  if (args.size() < 2 || (args[1] != "list" && args[1] != "flush")) {
    return "spool needs an action: list or flush";
  }
  o.action = args[1];
  for (std::size_t i = 2; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto next = [&](std::string& out) {
      if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0 || args[i + 1].empty()) {
        return false;
      }
      out = args[++i];
      return true;
    };
    std::string v;
    if (flag == "--config" && next(v)) {
      o.config_path = v;
    } else if (flag == "--spool-dir" && next(v)) {
      o.spool_dir = v;
    } else if (flag == "--log-level" && next(v)) {
      if (!known_log_level(v)) return kLogLevelError;
      o.log_level = v;
    } else if (o.action == "flush" && flag == "--case" && next(v)) {
      o.flush.case_id = v;
    } else if (o.action == "flush" && flag == "--hunt" && next(v)) {
      o.flush.hunt_id = v;
    } else if (o.action == "flush" && flag == "--dry-run") {
      o.flush.dry_run = true;
    } else {
      return "unknown or incomplete option '" + flag + "' for spool " + o.action;
    }
  }
  if (o.config_path.empty()) {
    if (auto from_env = downstream::config_path_from_env()) o.config_path = *from_env;
  }
  if (o.action == "flush" && o.config_path.empty()) {
    return "spool flush needs your SOAR server: give --config FILE or set LMHUNT_CONFIG";
  }
  return "";
}

int list(const hunt::SpoolContents& contents, const std::string& dir) {
  if (contents.comments.empty() && contents.unreadable.empty()) {
    std::printf("The spool %s is empty.\n", dir.c_str());
    return 0;
  }
  for (const auto& s : contents.comments) {
    std::printf("%s  case %s  spooled %s  %s\n", s.hunt_id.c_str(),
                s.case_id.empty() ? "none (flush with --case ID)" : s.case_id.c_str(),
                s.spooled_at.empty() ? "(unknown)" : s.spooled_at.c_str(), s.path.c_str());
  }
  for (const auto& bad : contents.unreadable) {
    std::printf("UNREADABLE  %s: %s\n", bad.path.c_str(), bad.error.c_str());
  }
  return contents.unreadable.empty() ? 0 : 1;
}

int flush(const hunt::SpoolContents& contents, const std::string& dir, const SpoolOptions& o,
          const downstream::Config& config) {
  if (contents.comments.empty() && contents.unreadable.empty()) {
    std::printf("The spool %s is empty: nothing to deliver.\n", dir.c_str());
    return 0;
  }
  mcp::Executor executor;
  downstream::Connections connections(config, executor);
  const downstream::Downstream facades = connections.downstream();
  // A cold start (uvx installing packages) may precede the first answer.
  const auto budget = std::chrono::seconds(config.settings.cold_start_timeout_seconds +
                                           config.settings.call_timeout_seconds);
  auto context = [budget] {
    downstream::CallContext ctx;
    ctx.deadline = downstream::Clock::now() + budget;
    return ctx;
  };
  const auto outcomes = hunt::flush_spool(contents, facades.soar.get(), o.flush, context);
  connections.close();
  if (outcomes.empty()) {
    std::fprintf(stderr, "lmhunt: no spooled comment of hunt %s in %s\n", o.flush.hunt_id.c_str(),
                 dir.c_str());
    return 1;
  }
  std::size_t good = 0;
  for (const auto& out : outcomes) {
    const bool ok = out.delivered() || (o.flush.dry_run && out.status == "would_post");
    good += ok ? 1 : 0;
    std::printf("%-14s %s: %s\n", out.status.c_str(),
                out.hunt_id.empty() ? out.path.c_str() : out.hunt_id.c_str(), out.detail.c_str());
  }
  std::cout.flush();
  if (good != outcomes.size()) {
    std::fprintf(stderr, "lmhunt: %zu of %zu spooled comment(s) %s\n", outcomes.size() - good,
                 outcomes.size(), o.flush.dry_run ? "cannot be delivered" : "were not delivered");
  }
  return hunt::flush_succeeded(outcomes, o.flush.dry_run) ? 0 : 1;
}

}  // namespace

int run_spool_command(const std::vector<std::string>& args) {
  SpoolOptions o;
  if (auto error = parse(args, o); !error.empty()) return usage(error);
  init_logging(o.log_level);
  downstream::Config config;
  if (!o.config_path.empty()) {
    auto loaded = downstream::load_config(o.config_path);
    if (!loaded) {
      std::fprintf(stderr, "lmhunt: %s\n", loaded.error().message.c_str());
      return 1;
    }
    config = std::move(loaded).value();
  }
  const std::string dir = !o.spool_dir.empty()                 ? o.spool_dir
                          : !config.settings.spool_dir.empty() ? config.settings.spool_dir
                                                               : hunt::default_spool_dir();
  auto contents = hunt::read_spool(dir);
  if (!contents) {
    std::fprintf(stderr, "lmhunt: %s\n", contents.error().message.c_str());
    return 1;
  }
  return o.action == "list" ? list(contents.value(), dir) : flush(contents.value(), dir, o, config);
}

}  // namespace app
