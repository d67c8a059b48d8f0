#include "app/lmhunt_server.hpp"

#include "app/downstream_setup.hpp"
#include "app/version.hpp"
#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/hunt_tool.hpp"
#include "tools/udm/validate_udm_query.hpp"

namespace app {

namespace {
constexpr const char* kInstructions =
    "lmhunt hunts for lateral movement by PsExec and WMI over Google SecOps. Call "
    "lateral_movement_hunt once: it researches the techniques, runs a catalog of UDM searches, "
    "correlates, scores, enriches, finds related cases, documents the hunt in a SOAR case and "
    "says whether a person must escalate. When it returns status \"running\", call "
    "get_hunt_result with the hunt_id. Every result says what was checked and what was not.";

hunt::HuntSettings hunt_settings(const PreparedDownstream& prepared) {
  const auto& s = prepared.config.settings;
  hunt::HuntSettings h;
  h.concurrency = s.concurrency;
  h.call_timeout_seconds = s.call_timeout_seconds;
  h.max_events_per_query = s.max_events_per_query;
  h.admin_sources = s.admin_sources;
  h.spool_dir = s.spool_dir;
  h.research_cache_ttl_seconds = s.research_cache_ttl_seconds;
  if (prepared.now) {
    if (auto fixed = hunt::parse_time(*prepared.now)) {
      const auto system_now = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
      h.clock_offset_seconds = *fixed - system_now;
    }
  }
  return h;
}

}  // namespace

mcp::Result<LmhuntServer> make_lmhunt_server(PreparedDownstream* downstream) {
  mcp::ServerOptions options;
  options.info = {"lmhunt", kVersion, "lmhunt — lateral movement hunt (PsExec/WMI)"};
  options.instructions = kInstructions;
  LmhuntServer made;
  made.server = std::make_unique<mcp::Server>(std::move(options));
  if (auto added = tools::add_validate_udm_query(*made.server); !added) return added.error();
  if (downstream == nullptr) return made;

  // Each hunt takes the current facades (they reflect servers restarted since start-up), with the
  // description every report must show when the downstream is not the user's SecOps.
  auto current = [connections = downstream->connections.get(),
                  description = downstream->description] {
    auto d = connections->downstream();
    d.description = description;
    return d;
  };
  auto env = hunt::make_hunt_env(current(), hunt_settings(*downstream));
  if (!env) return env.error();
  made.jobs = std::make_unique<hunt::HuntJobs>(std::move(env).value(), current);
  if (auto added = hunt::register_hunt_tools(*made.server, *made.jobs); !added) {
    return added.error();
  }
  return made;
}

}  // namespace app
