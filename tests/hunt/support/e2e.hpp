// e2e.hpp — helpers for the end-to-end hunt tests (tests/hunt/e2e_*_test.cpp): real lmhunt-sim
// child processes, started by the lmhunt binary (run_lmhunt) or by app::prepare_downstream in
// this process (hunt_in_process), a private temporary directory per test, the SQLite case
// database, and the check that no lmhunt-sim process outlives its hunt.
//
// Leak detection: every child started for a test has TMPDIR=<the test's directory> in its
// environment (lmhunt passes TMPDIR through to its children, and configs set it explicitly), so
// a process whose /proc/<pid>/environ holds that entry belongs to the test.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/downstream_setup.hpp"
#include "app/lmhunt_server.hpp"
#include "mcp/client.hpp"
#include "mcp/transport_memory.hpp"
#include "sim/demo/demo_enterprise.hpp"
#include "support/child.hpp"

namespace e2e {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// The demo's clock: one second after its last event, as `lmhunt demo` resolves "latest".
inline constexpr const char* kDemoNow = "2026-11-20T18:00:01Z";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "lmhunt-e2e-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

// processes_with_tmpdir lists the live processes whose environment holds TMPDIR=dir.
inline std::vector<int> processes_with_tmpdir(const std::string& dir) {
  const std::string needle = "TMPDIR=" + dir;
  std::vector<int> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "environ", std::ios::binary);
    std::string env((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::stringstream parts(env);
    for (std::string var; std::getline(parts, var, '\0');) {
      if (var == needle) out.push_back(std::stoi(name));
    }
  }
  return out;
}

// no_leaked_children waits up to `grace` for the test's processes to be gone.
inline bool no_leaked_children(const std::string& dir,
                               std::chrono::milliseconds grace = std::chrono::seconds(5)) {
  const auto until = std::chrono::steady_clock::now() + grace;
  while (!processes_with_tmpdir(dir).empty()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    // Polling /proc is the only way to watch processes that are not our children.
    ::usleep(20000);
  }
  return true;
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// run_lmhunt runs the lmhunt binary with LMHUNT_STATE_DIR and TMPDIR set to dir (plus `env`,
// "NAME=value" entries) and returns its exit code, stdout and stderr.
inline CliRun run_lmhunt(const std::string& dir, const std::vector<std::string>& args,
                         std::chrono::seconds timeout = std::chrono::seconds(120),
                         const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {"/usr/bin/env", "LMHUNT_STATE_DIR=" + dir, "TMPDIR=" + dir,
                                   "LMHUNT_CONFIG="};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(LMHUNT_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  test::Child child(argv);
  child.close_stdin();
  CliRun run;
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto line = child.read_line(std::chrono::seconds(1));
    if (line) {
      run.out += *line + "\n";
      continue;
    }
    if (auto code = child.wait(std::chrono::milliseconds(0))) {
      while (auto rest = child.read_line(std::chrono::milliseconds(200))) run.out += *rest + "\n";
      run.exit_code = *code;
      break;
    }
  }
  run.err = child.stderr_text();
  return run;
}

// slice_of_demo writes the demo's Windows records with timestamps in [from, to) to dir/file as
// JSON lines, plus the demo's cases and IOCs as dir/cases.json and dir/iocs.json. Small event
// files keep the fault hunts fast while keeping the intrusion's WMI fan-out.
inline std::string slice_of_demo(const fs::path& dir, const std::string& from,
                                 const std::string& to) {
  static const sim::DemoData demo = sim::generate_demo();
  const fs::path events = dir / "events.jsonl";
  std::ofstream out(events);
  for (const auto& record : demo.windows_records) {
    const std::string at = record.value("@timestamp", "");
    if (at >= from && at < to) out << record.dump() << "\n";
  }
  std::ofstream(dir / "cases.json") << demo.cases.dump();
  std::ofstream(dir / "iocs.json") << demo.iocs.dump();
  return events.string();
}

// comments_with lists the comments of the case in the SQLite case database that contain text.
inline std::vector<std::string> comments_with(const std::string& db_path, int case_id,
                                              const std::string& text) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 2000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT comment FROM comments WHERE case_id = ?", -1, &stmt,
                         nullptr) == SQLITE_OK) {
    sqlite3_bind_int(stmt, 1, case_id);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string comment = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      if (comment.find(text) != std::string::npos) out.push_back(std::move(comment));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// case_priority reads one case's priority from the SQLite case database ("" when absent).
inline std::string case_priority(const std::string& db_path, int case_id) {
  std::string priority;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT priority FROM cases WHERE id = ?", -1, &stmt, nullptr) ==
        SQLITE_OK) {
      sqlite3_bind_int(stmt, 1, case_id);
      if (sqlite3_step(stmt) == SQLITE_ROW) {
        priority = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return priority;
}

struct InProcessHunt {
  Json result;         // structuredContent ("" when the call failed)
  std::string error;   // why the call failed, "" otherwise
  std::string report;  // the Markdown text
};

// hunt_in_process loads config_path through app::prepare_downstream, serves lmhunt in this
// process (app::make_lmhunt_server), calls lateral_movement_hunt over an in-memory MCP
// connection, and closes every downstream connection before returning.
inline InProcessHunt hunt_in_process(const std::string& config_path, Json arguments,
                                     const std::string& now = kDemoNow) {
  InProcessHunt out;
  mcp::Executor executor;
  app::DownstreamChoice choice;
  choice.config_path = config_path;
  choice.now = now;
  auto downstream = app::prepare_downstream(choice, executor);
  if (!downstream) {
    out.error = "prepare_downstream: " + downstream.error().message;
    return out;
  }
  {
    auto made = app::make_lmhunt_server(&downstream.value());
    if (!made) {
      out.error = "make_lmhunt_server: " + made.error().message;
      downstream->connections->close();
      return out;
    }
    auto session = made.value().server->connect(nullptr, executor, "e2e");
    auto client_session = std::make_shared<mcp::Session>("e2e-client", executor);
    mcp::LinkChannel::connect(client_session, session->rpc_ptr());
    mcp::Client client(client_session);
    if (auto init = client.initialize(); !init) {
      out.error = "initialize: " + init.error().message;
    } else {
      arguments["wait_seconds"] = 600;
      mcp::CallOptions call;
      call.timeout = std::chrono::minutes(5);
      auto result = client.call_tool("lateral_movement_hunt", arguments, call);
      if (!result) {
        out.error = "call: " + result.error().message;
      } else if (result->value("isError", false)) {
        out.error = "tool error: " + result->dump();
      } else {
        out.result = (*result)["structuredContent"];
        for (const auto& block : result->value("content", Json::array())) {
          out.report += block.value("text", "");
        }
      }
    }
    client.close("done");
    session->close("done");
  }
  downstream->connections->close();
  return out;
}

}  // namespace e2e
