// fake_downstream.hpp — facades over real lmhunt_fake_server child processes, for the
// [downstream] tests.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tools/downstream/facade_impls.hpp"
#include "tools/downstream/pool.hpp"

namespace test {

using downstream::Json;
using namespace std::chrono_literals;

// fake_server is an mcpServers entry that runs the fake server with `flags`; secops-looking
// servers get CHRONICLE ids so they are not refused.
inline Json fake_server(std::vector<std::string> flags, Json extra = Json::object()) {
  Json entry{{"command", LMHUNT_FAKE_SERVER},
             {"args", flags},
             {"env", {{"CHRONICLE_PROJECT_ID", "proj"}, {"CHRONICLE_CUSTOMER_ID", "cust"}}}};
  entry.update(extra);
  return entry;
}

// Harness: a Pool over `servers` with fast test backoffs, the three facades, a CallLog.
struct Harness {
  explicit Harness(Json servers, Json lmhunt = Json::object()) {
    Json settings{
        {"cold_start_timeout_seconds", 10},
        {"call_timeout_seconds", 10},
        {"retry", {{"max_attempts", 4}, {"initial_backoff_ms", 10}, {"max_backoff_ms", 100}}},
        {"restart", {{"initial_backoff_ms", 50}, {"max_backoff_ms", 400}}}};
    settings.update(lmhunt, true);
    auto config = downstream::parse_config({{"mcpServers", servers}, {"lmhunt", settings}}, "test");
    if (!config) FAIL(config.error().message);
    pool = std::make_shared<downstream::Pool>(*config, executor);
    siem = downstream::make_siem(pool);
    ti = downstream::make_threat_intel(pool);
    soar = downstream::make_soar(pool);
  }
  ~Harness() { pool->close(); }

  downstream::CallContext ctx(std::chrono::milliseconds budget = 20s) {
    downstream::CallContext c;
    c.deadline = downstream::Clock::now() + budget;
    c.log = &log;
    return c;
  }
  std::vector<downstream::CallRecord> calls() const { return log.snapshot(); }
  std::string state(const std::string& server) const {
    for (const auto& h : pool->health())
      if (h.name == server) return h.state;
    return "?";
  }
  downstream::ServerHealth health(const std::string& server) const {
    for (const auto& h : pool->health())
      if (h.name == server) return h;
    return {};
  }

  mcp::Executor executor{32};
  std::shared_ptr<downstream::Pool> pool;
  std::shared_ptr<downstream::Siem> siem;
  std::shared_ptr<downstream::ThreatIntel> ti;
  std::shared_ptr<downstream::Soar> soar;
  downstream::CallLog log;
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline downstream::SearchRequest udm(std::string query, int max_events = 100) {
  downstream::SearchRequest r;
  r.query = std::move(query);
  r.hours_back = 72;
  r.max_events = max_events;
  return r;
}

}  // namespace test
