// End-to-end `lmhunt spool flush` (issue 7, "No data loss"): the real lmhunt binary against
// lmhunt-sim as secops-soar over a SQLite case database. A hunt whose SOAR fails spools its
// comment, and one with no case spools it without a case; a hand-written file in the documented
// format joins them; flush delivers each exactly once (read back from the case database), the
// caseless one only with --case, a further flush posts nothing, and a comment the case already
// holds is only removed.
#include <catch2/catch.hpp>

#include "support/e2e.hpp"
#include "tools/hunt/report.hpp"

namespace {

using e2e::Json;
namespace fs = std::filesystem;

constexpr const char* kNow = "2026-11-20T18:00:01Z";

Json sim(const std::string& role, const fs::path& dir, const std::string& events,
         const std::vector<std::string>& extra) {
  Json args = {"--as", role, "--now", kNow, "--log-level", "off", "--events", events};
  if (role == "secops-soar") {
    args.insert(args.end(), {"--cases", (dir / "cases.db").string(), "--cases-seed",
                             (dir / "cases.json").string()});
  }
  for (const auto& flag : extra) args.push_back(flag);
  return {{"command", LMHUNT_SIM_BINARY},
          {"args", args},
          {"env",
           {{"TMPDIR", dir.string()},
            {"CHRONICLE_PROJECT_ID", "lmhunt-sim"},
            {"CHRONICLE_CUSTOMER_ID", "lmhunt-sim"}}}};
}

// write_config writes an mcpServers file: secops-soar (with `soar_flags`), plus secops-mcp
// when `with_siem`.
std::string write_config(const fs::path& dir, const std::string& name, const std::string& events,
                         const std::vector<std::string>& soar_flags, bool with_siem) {
  Json servers = {{"secops-soar", sim("secops-soar", dir, events, soar_flags)}};
  if (with_siem) servers["secops"] = sim("secops-mcp", dir, events, {});
  Json config = {{"mcpServers", servers},
                 {"lmhunt",
                  {{"call_timeout_seconds", 5},
                   {"spool_dir", (dir / "spool").string()},
                   {"retry", {{"max_attempts", 1}}}}}};
  const std::string path = (dir / name).string();
  std::ofstream(path) << config.dump(2);
  return path;
}

std::string hand_written(const std::string& hunt_id, const std::string& case_json) {
  return "<!-- lmhunt spooled comment {\"version\":1,\"hunt_id\":\"" + hunt_id +
         "\",\"case_id\":" + case_json +
         ",\"spooled_at\":\"2026-11-20T18:00:00Z\"} -->\n"
         "Lateral Movement Hunt (PsExec/WMI) Summary — written by hand\n" +
         hunt::comment_marker(hunt_id) + "\nQueries used (0):\n- none ran\n";
}

// status_of is the first word of the flush output's line about `id` ("" when none names it).
std::string status_of(const std::string& out, const std::string& id) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" " + id + ":") != std::string::npos) return line.substr(0, line.find(' '));
  }
  return {};
}

}  // namespace

TEST_CASE("lmhunt spool flush delivers spooled comments to lmhunt-sim's cases exactly once",
          "[e2e][spool]") {
  e2e::TempDir tmp;
  const fs::path dir = tmp.path();
  const std::string db = (dir / "cases.db").string();
  const fs::path spool = dir / "spool";
  const std::string events = e2e::slice_of_demo(dir, "2026-11-20T13:55", "2026-11-20T14:12");
  const std::string failing = write_config(dir, "failing.json", events, {"--fail-rate", "1"}, true);
  const std::string healthy = write_config(dir, "healthy.json", events, {}, false);

  // 1. A hunt whose SOAR fails every call spools its comment for case 1041.
  auto hunt = e2e::run_lmhunt(tmp.str(), {"hunt", "--config", failing, "--case-id", "1041",
                                          "--hours", "24", "--now", kNow, "--format", "json"});
  INFO(hunt.err);
  REQUIRE(hunt.exit_code == 0);
  const Json result = Json::parse(hunt.out);
  CHECK(result["documentation"]["status"] == "failed");
  const std::string hunt_id = result.value("hunt_id", "");
  const std::string spooled = result["documentation"].value("spool_path", "");
  CHECK(spooled == (spool / (hunt_id + ".md")).string());
  CHECK_THAT(result["documentation"].value("detail", ""), Catch::Contains("lmhunt spool flush"));
  REQUIRE(fs::exists(spooled));
  CHECK(e2e::comments_with(db, 1041, hunt::comment_marker(hunt_id)).empty());

  // 2. A hunt with no case while the SOAR is down spools its comment without a case.
  auto no_case = e2e::run_lmhunt(
      tmp.str(), {"hunt", "--config", failing, "--hours", "24", "--now", kNow, "--format", "json"});
  INFO(no_case.err);
  REQUIRE(no_case.exit_code == 0);
  const Json caseless = Json::parse(no_case.out);
  const std::string no_case_id = caseless.value("hunt_id", "");
  CHECK(caseless["documentation"]["status"] == "skipped");
  CHECK(caseless["documentation"]["spool_path"] == (spool / (no_case_id + ".md")).string());
  CHECK_THAT(caseless["documentation"].value("detail", ""),
             Catch::Contains("`lmhunt spool flush --case ID` delivers it"));

  // 3. A hand-written file in the documented format.
  std::ofstream(spool / "hunt-by-hand-1.md") << hand_written("hunt-by-hand-1", "\"1041\"");

  auto listed = e2e::run_lmhunt(tmp.str(), {"spool", "list", "--config", healthy});
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains(hunt_id) && Catch::Contains("hunt-by-hand-1") &&
                             Catch::Contains("case none"));

  // 4. Flush: both comments with a case are posted once; the one without waits for --case.
  auto first = e2e::run_lmhunt(tmp.str(), {"spool", "flush", "--config", healthy});
  INFO(first.out + first.err);
  CHECK(first.exit_code == 1);
  CHECK(status_of(first.out, hunt_id) == "posted");
  CHECK(status_of(first.out, "hunt-by-hand-1") == "posted");
  CHECK(status_of(first.out, no_case_id) == "skipped");
  CHECK_THAT(first.out, Catch::Contains("--case ID"));
  CHECK_THAT(first.err, Catch::Contains("1 of 3 spooled comment(s) were not delivered"));
  CHECK(e2e::comments_with(db, 1041, hunt::comment_marker(hunt_id)).size() == 1);
  CHECK(e2e::comments_with(db, 1041, hunt::comment_marker("hunt-by-hand-1")).size() == 1);
  CHECK_FALSE(fs::exists(spooled));
  CHECK(fs::exists(spool / (no_case_id + ".md")));

  // 5. --case delivers the last one; the spool is then empty and a further flush posts nothing.
  auto named =
      e2e::run_lmhunt(tmp.str(), {"spool", "flush", "--config", healthy, "--case", "1041"});
  INFO(named.out + named.err);
  CHECK(named.exit_code == 0);
  CHECK(e2e::comments_with(db, 1041, hunt::comment_marker(no_case_id)).size() == 1);
  auto empty = e2e::run_lmhunt(tmp.str(), {"spool", "flush", "--config", healthy});
  CHECK(empty.exit_code == 0);
  CHECK_THAT(empty.out, Catch::Contains("is empty"));

  // 6. A file for a comment the case already holds (a flush that lost its answer): removed,
  // not posted again.
  std::ofstream(spool / "hunt-by-hand-1.md") << hand_written("hunt-by-hand-1", "\"1041\"");
  auto again = e2e::run_lmhunt(tmp.str(), {"spool", "flush", "--config", healthy});
  CHECK(again.exit_code == 0);
  CHECK(status_of(again.out, "hunt-by-hand-1") == "already_posted");
  CHECK(e2e::comments_with(db, 1041, hunt::comment_marker("hunt-by-hand-1")).size() == 1);
  CHECK(e2e::comments_with(db, 1041, hunt::comment_marker(hunt_id)).size() == 1);
  CHECK_FALSE(fs::exists(spool / "hunt-by-hand-1.md"));

  // 7. A broken file is named and kept; usage errors are exit 2.
  std::ofstream(spool / "broken.md") << "not a spooled comment\n";
  auto broken = e2e::run_lmhunt(tmp.str(), {"spool", "flush", "--config", healthy});
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.out, Catch::Contains("unreadable") && Catch::Contains("broken.md"));
  CHECK(fs::exists(spool / "broken.md"));
  CHECK(e2e::run_lmhunt(tmp.str(), {"spool", "flush"}).exit_code == 2);
  CHECK(e2e::run_lmhunt(tmp.str(), {"spool", "frobnicate"}).exit_code == 2);
  CHECK(e2e::no_leaked_children(tmp.str()));
}
