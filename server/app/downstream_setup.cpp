#include "app/downstream_setup.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mcp/transport_child.hpp"
#include "sim/demo/demo_enterprise.hpp"
#include "sim/event_store.hpp"

namespace app {
namespace {

namespace fs = std::filesystem;

std::string env_or(const char* name, const std::string& fallback) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, before threads exist.
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

// resolve_now turns --now into the ISO time lmhunt-sim and the hunt share. "latest" (or "") is
// just after the newest event: for the demo the generator's end, for files a scan of them.
mcp::Result<std::string> resolve_now(const DownstreamChoice& choice) {
  if (!choice.now.empty() && choice.now != "latest") {
    auto parsed = sim::parse_time(choice.now);
    if (!parsed) {
      return mcp::Error{2, "--now: '" + choice.now + "' is not an ISO 8601 time or 'latest'"};
    }
    return sim::format_time(*parsed);
  }
  // The demo's end is a constant: no need to generate the enterprise just to read it.
  if (choice.events.empty()) return std::string(sim::kDemoEndTime);
  sim::EventStore store;
  for (const auto& file : choice.events) {
    auto report = store.load_file(file);
    if (report.format.empty()) {
      std::string why = report.errors.empty() ? "no known format" : report.errors[0].message;
      return mcp::Error{1, file + ": " + why};
    }
  }
  store.finalize();
  auto latest = store.latest();
  if (!latest) return mcp::Error{1, "--events: no events could be loaded from the files given"};
  return sim::format_time(*latest + std::chrono::seconds(1));
}

nlohmann::json sim_server(const std::string& binary, const std::string& role,
                          const std::string& now, const std::vector<std::string>& extra) {
  nlohmann::json args = {"--as", role, "--now", now};
  for (const auto& a : extra) args.push_back(a);
  return {
      {"type", "stdio"},
      {"command", binary},
      {"args", args},
      // lmhunt-sim ignores these; they are set so the secops-mcp tenant check (which exists
      // for the real server's silent fallback tenant) sees an explicit local tenant.
      {"env", {{"CHRONICLE_PROJECT_ID", "lmhunt-sim"}, {"CHRONICLE_CUSTOMER_ID", "lmhunt-sim"}}}};
}

mcp::Result<PreparedDownstream> embedded(const DownstreamChoice& choice) {
  auto binary = find_sim_binary();
  if (!binary) {
    return mcp::Error{1,
                      "lmhunt-sim was not found next to lmhunt or on PATH; it serves the embedded "
                      "demo and --events (or give --config with your SecOps servers)"};
  }
  auto now = resolve_now(choice);
  if (!now) return now.error();
  std::vector<std::string> events;
  for (const auto& file : choice.events) {
    events.push_back("--events");
    events.push_back(fs::absolute(file).string());
  }
  std::string cases = ":memory:";
  if (!choice.fresh_cases) {
    const fs::path dir = state_dir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      return mcp::Error{1, "cannot create state directory " + dir.string() + ": " + ec.message()};
    cases = (dir / (choice.events.empty() ? "demo-cases.db" : "events-cases.db")).string();
  }
  std::vector<std::string> soar_args = {"--cases", cases};
  if (!choice.events.empty()) soar_args.insert(soar_args.end(), events.begin(), events.end());

  nlohmann::json document = {
      {"mcpServers",
       {{"secops", sim_server(*binary, "secops-mcp", *now, events)},
        {"gti", sim_server(*binary, "gti-mcp", *now, events)},
        {"secops-soar", sim_server(*binary, "secops-soar", *now, soar_args)}}}};
  if (choice.events.empty()) {
    // The demo enterprise's admin hosts (examples/demo/README.md): the IT admins' jump host and
    // the SCCM server. Hosts only: the attacker reuses a helpdesk admin account, so an admin
    // account must not make activity benign. (Exported logs get no admin sources: they are
    // someone else's network.)
    document["lmhunt"] = {{"admin_sources", {"JUMP01", "SCCM01"}}};
  }
  auto config = downstream::parse_config(document, "embedded lmhunt-sim configuration");
  if (!config) return config.error();

  PreparedDownstream prepared;
  prepared.config = std::move(config).value();
  prepared.now = *now;
  if (choice.events.empty()) {
    prepared.description =
        "Embedded demo: lmhunt-sim over the bundled demo enterprise, not a real SecOps "
        "(configure your servers with --config or LMHUNT_CONFIG).";
  } else {
    std::string files;
    for (const auto& f : choice.events) files += (files.empty() ? "" : ", ") + f;
    prepared.description = "Local logs: lmhunt-sim over " + files + ", not a live SecOps.";
  }
  return prepared;
}

}  // namespace

std::string state_dir() {
  std::string explicit_dir = env_or("LMHUNT_STATE_DIR", "");
  if (!explicit_dir.empty()) return explicit_dir;
  std::string xdg = env_or("XDG_STATE_HOME", "");
  if (!xdg.empty()) return (fs::path(xdg) / "lmhunt").string();
  std::string home = env_or("HOME", "");
  if (!home.empty()) return (fs::path(home) / ".local" / "state" / "lmhunt").string();
  return (fs::temp_directory_path() / "lmhunt").string();
}

std::optional<std::string> find_sim_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path sibling = self.parent_path() / "lmhunt-sim";
    if (::access(sibling.c_str(), X_OK) == 0) return sibling.string();
  }
  return mcp::find_in_path("lmhunt-sim", env_or("PATH", ""));
}

mcp::Result<PreparedDownstream> prepare_downstream(const DownstreamChoice& choice,
                                                   mcp::Executor& executor) {
  std::string path = choice.config_path.empty() ? env_or("LMHUNT_CONFIG", "") : choice.config_path;
  if (!path.empty() && !choice.events.empty()) {
    return mcp::Error{2, "give either a downstream config (--config / LMHUNT_CONFIG) or --events"};
  }
  mcp::Result<PreparedDownstream> prepared = mcp::Error{1, ""};
  if (path.empty()) {
    prepared = embedded(choice);
  } else {
    auto config = downstream::load_config(path);
    if (!config) return config.error();
    PreparedDownstream own;
    own.config = std::move(config).value();
    if (!choice.now.empty()) own.now = choice.now;
    prepared = std::move(own);
  }
  if (!prepared) return prepared.error();
  auto& value = prepared.value();
  value.connections = std::make_unique<downstream::Connections>(value.config, executor);
  spdlog::info("downstream: {} server(s){}", value.config.servers.size(),
               value.description.empty() ? "" : " (" + value.description + ")");
  return prepared;
}

}  // namespace app
