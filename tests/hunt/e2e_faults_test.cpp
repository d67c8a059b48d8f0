// End-to-end faults: one lmhunt-sim server of three misbehaves (docs/lmhunt-sim.md "Fault
// injection"), and the hunt must say honestly what ran and what did not (docs/reliability.md).
//
// Each scenario is a whole hunt in this process (app::prepare_downstream + make_lmhunt_server,
// a hand-written mcpServers file) over a 17-minute slice of the demo that holds WKS-07's WMI
// fan-out, restricted to the "wmi" family and case 1041, with a 2 s call timeout and restarts
// postponed past the hunt, so every fault's effect is deterministic. Scenarios run concurrently
// (each has its own directory, processes and executor); assertions run on the test thread.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/e2e.hpp"
#include "support/process_census.hpp"
#include "tools/hunt/report.hpp"

namespace {

using e2e::Json;
namespace fs = std::filesystem;

constexpr const char* kNow = "2026-11-20T18:00:01Z";

struct Scenario {
  std::string role;  // "" = healthy baseline, else "secops-mcp", "gti-mcp", "secops-soar"
  std::string fault;
  // lmhunt-sim flags, or one of: {"BAD_EVENTS"} (--events names a missing file: lmhunt-sim exits
  // 1 before initialize), {"EXITS"} (the command is /bin/false), {"NO_COMMAND"} (the command
  // does not exist).
  std::vector<std::string> flags;
};

struct Outcome {
  Scenario scenario;
  e2e::InProcessHunt hunt;
  std::string dir;
  std::string db;
  bool leaked = false;
  bool spool_has_comment = false;
  std::size_t comments_in_case = 0;
};

Json server(const std::string& role, const fs::path& dir, const std::string& events,
            const Scenario& s) {
  Json args = {"--as", role, "--now", kNow, "--log-level", "off", "--events"};
  const bool faulty = s.role == role;
  auto is = [&](const char* special) {
    return faulty && s.flags == std::vector<std::string>{special};
  };
  const bool cannot_start = is("BAD_EVENTS") || is("EXITS") || is("NO_COMMAND");
  args.push_back(is("BAD_EVENTS") ? (dir / "missing-events.jsonl").string() : events);
  if (role == "gti-mcp") args.insert(args.end(), {"--iocs", (dir / "iocs.json").string()});
  if (role == "secops-soar") {
    args.insert(args.end(), {"--cases", (dir / "cases.db").string(), "--cases-seed",
                             (dir / "cases.json").string()});
  }
  if (faulty && !cannot_start) {
    for (const auto& f : s.flags) args.push_back(f);
  }
  const std::string command = is("EXITS")        ? "/bin/false"
                              : is("NO_COMMAND") ? (dir / "no-such-lmhunt-sim").string()
                                                 : LMHUNT_SIM_BINARY;
  return {{"command", command},
          {"args", args},
          {"env",
           {{"TMPDIR", dir.string()},
            {"CHRONICLE_PROJECT_ID", "lmhunt-sim"},
            {"CHRONICLE_CUSTOMER_ID", "lmhunt-sim"}}}};
}

Outcome run_scenario(const Scenario& s) {
  Outcome out;
  out.scenario = s;
  e2e::TempDir tmp;
  const fs::path dir = tmp.path();
  out.dir = tmp.str();
  const std::string events = e2e::slice_of_demo(dir, "2026-11-20T13:55", "2026-11-20T14:12");
  Json config = {
      {"mcpServers",
       {{"secops", server("secops-mcp", dir, events, s)},
        {"gti", server("gti-mcp", dir, events, s)},
        {"secops-soar", server("secops-soar", dir, events, s)}}},
      {"lmhunt",
       {{"call_timeout_seconds", 2},
        {"cold_start_timeout_seconds", 30},
        {"spool_dir", (dir / "spool").string()},
        {"retry", {{"max_attempts", 2}, {"initial_backoff_ms", 20}, {"max_backoff_ms", 50}}},
        {"restart", {{"initial_backoff_ms", 600000}, {"max_backoff_ms", 600000}}}}}};
  const std::string config_path = (dir / "config.json").string();
  std::ofstream(config_path) << config.dump(2);

  out.hunt = e2e::hunt_in_process(
      config_path, {{"techniques", {"wmi"}}, {"time_frame_hours", 24}, {"case_id", "1041"}}, kNow);
  out.leaked = !e2e::no_leaked_children(out.dir);
  const Json& r = out.hunt.result;
  if (r.is_object()) {
    const std::string marker = hunt::comment_marker(r.value("hunt_id", ""));
    out.comments_in_case = e2e::comments_with((dir / "cases.db").string(), 1041, marker).size();
    const std::string spool = r["documentation"].value("spool_path", "");
    if (!spool.empty()) {
      std::ifstream in(spool);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      out.spool_has_comment =
          text.find(marker) != std::string::npos && text.find("Queries used") != std::string::npos;
    }
  }
  return out;
}

bool ran(const Json& q) {
  const std::string s = q.value("status", "");
  return s == "ok" || s == "empty" || s == "truncated";
}

std::size_t detection_queries_not_run(const Json& r) {
  return static_cast<std::size_t>(
      std::count_if(r["queries"].begin(), r["queries"].end(),
                    [](const Json& q) { return q["purpose"] != "correlation" && !ran(q); }));
}

// check_honest holds for every run, healthy or not.
void check_honest(const Outcome& o) {
  const Json& r = o.hunt.result;
  const std::string status = r.value("status", "");
  CHECK((status == "completed" || status == "partial" || status == "failed"));
  for (const auto& q : r["queries"]) {
    INFO(q.dump());
    if (!ran(q)) CHECK(!q.value("error", "").empty());
  }
  if (detection_queries_not_run(r) > 0) {
    CHECK(r["verdict"] != "no_findings");
    CHECK(status != "completed");
  }
  if (r["documentation"]["status"] == "failed") CHECK(o.spool_has_comment);
  CHECK(o.comments_in_case <= 1);
  CHECK_FALSE(o.leaked);
}

std::string digest(const Outcome& o) {
  const Json& r = o.hunt.result;
  if (!r.is_object()) return o.scenario.role + " " + o.scenario.fault + ": " + o.hunt.error;
  return o.scenario.role + " " + o.scenario.fault + ": status " + r.value("status", "") +
         ", verdict " + r.value("verdict", "") + " (" + r.value("verdict_reason", "") +
         "), documentation " + r["documentation"].dump() + ", escalation " +
         r["escalation"].dump() + ", warnings " + r["warnings"].dump() + ", entities " +
         r["entities"].dump() + ", not run " + std::to_string(detection_queries_not_run(r));
}

// kSettle bounds the wait for a scenario's threads to exit after its hunt returned.
constexpr std::chrono::seconds kSettle{10};

std::string name_of(const Scenario& s) {
  return (s.role.empty() ? std::string("healthy") : s.role + " " + s.fault);
}

// leaks_of runs each scenario of a batch that held threads or descriptors after its teardown
// again, alone, to name the one that leaks and what it leaked.
// outcome_table renders the observed outcome of every scenario as the Markdown table that
// docs/reliability.md holds between its "fault outcomes" markers.
std::string outcome_table(const std::vector<Outcome>& outcomes) {
  std::string out =
      "| Role | Fault | status | verdict | detection searches not run | documentation | "
      "escalation | comments in case 1041 | comment spooled |\n"
      "|---|---|---|---|---:|---|---|---:|---|\n";
  for (const auto& o : outcomes) {
    const Json& r = o.hunt.result;
    if (!r.is_object()) continue;
    auto text = [&](const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    out +=
        "| " + (o.scenario.role.empty() ? std::string("—") : o.scenario.role) + " | " +
        o.scenario.fault + " | `" + text(r["status"]) + "` | `" + text(r["verdict"]) + "` | " +
        std::to_string(detection_queries_not_run(r)) + " of " +
        std::to_string(std::count_if(r["queries"].begin(), r["queries"].end(),
                                     [](const Json& q) { return q["purpose"] != "correlation"; })) +
        " | `" + text(r["documentation"]["status"]) + "` | `" + text(r["escalation"]["action"]) +
        "` | " + std::to_string(o.comments_in_case) + " | " + (o.spool_has_comment ? "yes" : "no") +
        " |\n";
  }
  return out;
}

// write_outcome_table replaces the block between the markers in docs/reliability.md.
void write_outcome_table(const std::string& table) {
  const fs::path path = fs::path(LMHUNT_SOURCE_DIR) / "docs" / "reliability.md";
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  const std::string begin = "<!-- fault outcomes: begin -->\n",
                    end = "<!-- fault outcomes: end -->";
  const auto b = doc.find(begin);
  const auto e = doc.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  doc.replace(b + begin.size(), e - b - begin.size(), table);
  std::ofstream(path) << doc;
}

std::vector<std::string> leaks_of(const std::vector<Scenario>& group) {
  std::vector<std::string> found;
  for (const auto& s : group) {
    const test::Census before = test::take_census();
    run_scenario(s);
    const test::Leaks leaks = test::await_baseline(0, before, kSettle);
    if (leaks.any()) found.push_back(name_of(s) + " leaked " + leaks.describe());
  }
  if (found.empty()) {
    std::string names;
    for (const auto& s : group) names += (names.empty() ? "" : ", ") + name_of(s);
    found.push_back("the batch (" + names + ") leaked, none of its scenarios alone did");
  }
  return found;
}

}  // namespace

TEST_CASE(
    "faults of each downstream server end in an honest report and leave no process, thread or "
    "descriptor",
    "[e2e][faults]") {
  const std::string siem = "secops-mcp", intel = "gti-mcp", soar = "secops-soar";
  std::vector<Scenario> scenarios = {{"", "healthy", {}}};
  for (const auto& role : {siem, intel, soar}) {
    const std::string hang_tool = role == siem    ? "search_udm"
                                  : role == intel ? "get_ip_address_report"
                                                  : "post_case_comment";
    scenarios.push_back({role, "exits at start", {"EXITS"}});
    scenarios.push_back({role, "crash after 0 calls", {"--crash-after", "0"}});
    scenarios.push_back({role, "hang " + hang_tool, {"--hang-tool", hang_tool}});
    scenarios.push_back({role, "latency past the call timeout", {"--latency-ms", "3000"}});
    scenarios.push_back({role, "garbage on stdout", {"--garbage-stdout"}});
    scenarios.push_back({role, "every call isError", {"--fail-rate", "1"}});
  }
  scenarios.push_back({siem, "crash mid-hunt", {"--crash-after", "4"}});
  scenarios.push_back({siem, "bad --events file", {"BAD_EVENTS"}});
  scenarios.push_back({soar, "command not found", {"NO_COMMAND"}});
  scenarios.push_back({soar, "empty SOAR answers", {"--empty-soar"}});

  std::vector<Outcome> outcomes;
  std::vector<std::string> leaks;
  // Four at a time: most of a scenario is waiting for timeouts and child start-up. This process's
  // threads and descriptors are counted before each batch and after its teardown.
  for (std::size_t i = 0; i < scenarios.size(); i += 4) {
    const std::vector<Scenario> group(
        scenarios.begin() + static_cast<std::ptrdiff_t>(i),
        scenarios.begin() + static_cast<std::ptrdiff_t>(std::min(i + 4, scenarios.size())));
    const test::Census before = test::take_census();
    std::vector<std::future<Outcome>> batch;
    for (const auto& s : group) batch.push_back(std::async(std::launch::async, run_scenario, s));
    for (auto& f : batch) outcomes.push_back(f.get());
    if (test::await_baseline(0, before, kSettle).any()) {
      for (auto& leak : leaks_of(group)) leaks.push_back(std::move(leak));
    }
  }
  for (const auto& leak : leaks) FAIL_CHECK(leak);
  // LMHUNT_UPDATE_DOCS=1 writes this run's outcomes into docs/reliability.md's generated table.
  if (const char* update = std::getenv("LMHUNT_UPDATE_DOCS"); update && *update == '1') {
    write_outcome_table(outcome_table(outcomes));
  }

  for (const auto& o : outcomes) {
    const Scenario& s = o.scenario;
    const Json& r = o.hunt.result;
    INFO(digest(o));
    // LMHUNT_E2E_DIGEST=1 prints every scenario's outcome (to keep docs/reliability.md current).
    if (std::getenv("LMHUNT_E2E_DIGEST") != nullptr) WARN(digest(o));
    REQUIRE(r.is_object());
    check_honest(o);
    const std::size_t not_run = detection_queries_not_run(r);
    const bool cannot_start = s.flags == std::vector<std::string>{"EXITS"} ||
                              s.flags == std::vector<std::string>{"BAD_EVENTS"} ||
                              s.flags == std::vector<std::string>{"NO_COMMAND"};
    if (cannot_start) {
      // The server that never started is reported as the hunt left it, with its reason.
      const std::string name = s.role == siem ? "secops" : s.role == intel ? "gti" : "secops-soar";
      bool reported = false;
      for (const auto& server : r["downstream"]["servers"]) {
        reported |= server["name"] == name && server["state"] == "degraded" &&
                    !server.value("detail", "").empty();
      }
      CHECK(reported);
      CHECK_THAT(o.hunt.report, Catch::Contains("**Servers down:** " + name + " degraded: "));
    }
    if (s.role.empty()) {
      CHECK(not_run == 0);
      CHECK(r["verdict"] == "confirmed");
      CHECK(r["documentation"]["status"] == "posted");
      CHECK(o.comments_in_case == 1);
      CHECK(r["escalation"]["action"] == "priority_raised");
    } else if (s.role == siem && s.fault == "crash mid-hunt") {
      // Which searches were in flight when it died depends on scheduling; honesty does not.
      CHECK(not_run > 0);
      CHECK(r["status"] != "completed");
    } else if (s.role == siem && s.fault != "garbage on stdout") {
      // No search ran: never "no findings"; the comment documents the failed hunt.
      CHECK(not_run == r["queries"].size());
      CHECK(r["status"] == "failed");
      CHECK(r["verdict"] == "inconclusive");
      CHECK(r["escalation"]["action"] == "manual_required");
      CHECK(r["documentation"]["status"] == "posted");
      CHECK(o.comments_in_case == 1);
    } else if (s.role == intel && s.fault != "garbage on stdout") {
      // The searches and the verdict stand; the enrichment says it failed.
      CHECK(not_run == 0);
      CHECK(r["verdict"] == "confirmed");
      CHECK(r["status"] == "partial");
      bool intel_failed = false;
      for (const auto& e : r["entities"]) {
        const std::string outcome = e.value("intel_outcome", "");
        intel_failed |= !outcome.empty() && outcome != "ok" && outcome != "not_found";
      }
      CHECK(intel_failed);
      CHECK(r["documentation"]["status"] == "posted");
    } else if (s.role == soar && s.fault != "garbage on stdout") {
      // The searches and the verdict stand; the comment is kept on disk, nobody is told it was
      // posted, and a person must escalate.
      CHECK(not_run == 0);
      CHECK(r["verdict"] == "confirmed");
      CHECK(r["status"] == "partial");
      CHECK(r["documentation"]["status"] != "posted");
      CHECK(r["documentation"]["status"] != "already_posted");
      CHECK(o.spool_has_comment);
      CHECK(o.comments_in_case == 0);
      // Only a hang of post_case_comment leaves change_case_priority working.
      if (s.fault.rfind("hang", 0) != 0) CHECK(r["escalation"]["action"] != "priority_raised");
    }
  }
}
