// lmhunt-sim's SQLite case store survives kill -9 in the middle of writes (issue 7, "No data
// loss"): a real `lmhunt-sim --as secops-soar --cases DB` takes comments and priority changes
// from several client threads; right after the k-th acknowledged write, with more in flight, it
// is killed with SIGKILL. Then the database must open and pass PRAGMA integrity_check, a new
// lmhunt-sim must serve it, every acknowledged write must be there exactly once, and nothing may
// be there that was not sent, duplicated, or cut short.
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "mcp/client.hpp"
#include "mcp/transport_child.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

constexpr int kCommentThreads = 4;   // thread t posts to case t + 1
constexpr int kPriorityThreads = 2;  // thread p changes case 10 + p
constexpr int kKillAfterAcks = 120;  // acknowledged writes (of either kind) before SIGKILL
constexpr int kMaxWritesPerThread = 2000;

const std::vector<std::string> kPriorities = {"PriorityLow", "PriorityMedium", "PriorityHigh",
                                              "PriorityCritical"};

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/lmhunt-sim-crash-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

// comment_text is long and self-checking: a cut-short or mixed-up comment cannot match it.
std::string comment_text(int thread, int n) {
  const std::string tag = "t" + std::to_string(thread) + "-n" + std::to_string(n);
  return tag + ":" + std::string(3000, static_cast<char>('a' + (thread * 7 + n) % 26)) + ":" + tag;
}

struct Sim {
  Sim(mcp::Executor& executor, const TempDir& dir) {
    mcp::ChildOptions options;
    options.name = "lmhunt-sim";
    options.argv = {LMHUNT_SIM_BINARY,
                    "--as",
                    "secops-soar",
                    "--cases",
                    dir.file("cases.db"),
                    "--cases-seed",
                    dir.file("seed.json"),
                    "--events",
                    dir.file("events.jsonl"),
                    "--log-level",
                    "off"};
    auto started = mcp::ChildProcess::start(std::move(options), executor);
    if (!started) FAIL(started.error().message);
    child = started.value();
    client = std::make_unique<mcp::Client>(child->session());
    auto init = client->initialize({}, 20s);
    if (!init) FAIL(init.error().message);
  }
  ~Sim() { child->close(); }

  // write returns true when the call was acknowledged: a result that is not an error.
  bool write(const std::string& tool, const Json& args) {
    mcp::CallOptions options;
    options.timeout = 20s;
    auto r = client->call_tool(tool, args, options);
    if (!r || r->value("isError", false)) return false;
    const auto& content = r->value("content", Json::array());
    if (content.empty()) return false;
    const Json body = Json::parse(content[0].value("text", ""), nullptr, false);
    return body.is_object() && !body.contains("error");
  }

  Json get_case(int id) {
    mcp::CallOptions options;
    options.timeout = 20s;
    auto r = client->call_tool("get_case_full_details", {{"case_id", std::to_string(id)}}, options);
    REQUIRE(r.ok());
    return Json::parse(r.value()["content"][0].value("text", "{}"));
  }

  std::shared_ptr<mcp::ChildProcess> child;
  std::unique_ptr<mcp::Client> client;
};

std::string integrity_check(const std::string& path) {
  sqlite3* db = nullptr;
  std::string verdict = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    verdict = "cannot run integrity_check";
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
      verdict.clear();
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        verdict += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return verdict;
}

// Log is what the clients know: writes sent, and writes acknowledged, per case.
struct Log {
  std::mutex mu;
  std::map<int, std::set<std::string>> sent_comments, acked_comments;
  std::map<int, std::vector<std::string>> acked_priorities;  // in order
  std::map<int, std::string> unacked_priority;               // the one in flight at the kill
};

}  // namespace

TEST_CASE("lmhunt-sim's case store keeps every acknowledged write through kill -9 mid-write",
          "[sim][simserver][cases][crash]") {
  TempDir dir;
  std::ofstream(dir.file("events.jsonl"))
      << R"({"metadata":{"event_timestamp":"2026-03-01T10:00:00Z","event_type":"USER_LOGIN"},"principal":{"hostname":"SQL01"}})"
      << "\n";
  Json seed = Json::array();
  for (int id : {1, 2, 3, 4, 10, 11}) {
    seed.push_back({{"id", id}, {"name", "case " + std::to_string(id)}});
  }
  std::ofstream(dir.file("seed.json")) << seed.dump();

  Log log;
  std::optional<int> exit_status;
  {
    mcp::Executor executor;
    Sim sim(executor, dir);
    const pid_t pid = sim.child->pid();
    std::atomic<int> acks{0};
    std::atomic<bool> killed{false};
    auto acknowledged = [&] {
      if (++acks == kKillAfterAcks) {
        ::kill(pid, SIGKILL);  // the others' calls are in flight right now
        killed = true;
      }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kCommentThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int n = 0; n < kMaxWritesPerThread && !killed; ++n) {
          const std::string text = comment_text(t, n);
          {
            std::lock_guard lock(log.mu);
            log.sent_comments[t + 1].insert(text);
          }
          if (!sim.write("post_case_comment",
                         {{"case_id", std::to_string(t + 1)}, {"comment", text}}))
            return;
          {
            std::lock_guard lock(log.mu);
            log.acked_comments[t + 1].insert(text);
          }
          acknowledged();
        }
      });
    }
    for (int p = 0; p < kPriorityThreads; ++p) {
      threads.emplace_back([&, p] {
        const int id = 10 + p;
        for (int n = 0; n < kMaxWritesPerThread && !killed; ++n) {
          const std::string priority =
              kPriorities[static_cast<std::size_t>(n) % kPriorities.size()];
          {
            std::lock_guard lock(log.mu);
            log.unacked_priority[id] = priority;
          }
          if (!sim.write("change_case_priority",
                         {{"case_id", std::to_string(id)}, {"case_priority", priority}}))
            return;
          {
            std::lock_guard lock(log.mu);
            log.acked_priorities[id].push_back(priority);
            log.unacked_priority.erase(id);
          }
          acknowledged();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    REQUIRE(killed);
    sim.child->close();
    exit_status = sim.child->exit_status();
  }
  CHECK(exit_status == 128 + SIGKILL);

  CHECK(integrity_check(dir.file("cases.db")) == "ok");

  mcp::Executor executor;
  Sim restarted(executor, dir);
  std::size_t acked_total = 0;
  for (int t = 0; t < kCommentThreads; ++t) {
    const int id = t + 1;
    INFO("case " << id);
    const Json details = restarted.get_case(id);
    REQUIRE(details.contains("case_comments"));
    std::multiset<std::string> stored;
    for (const auto& c : details["case_comments"]) stored.insert(c.value("comment", ""));
    for (const auto& text : log.acked_comments[id]) CHECK(stored.count(text) == 1);
    for (const auto& text : stored) {
      CHECK(stored.count(text) == 1);                 // never duplicated
      CHECK(log.sent_comments[id].count(text) == 1);  // never cut short or invented
    }
    acked_total += log.acked_comments[id].size();
  }
  for (int p = 0; p < kPriorityThreads; ++p) {
    const int id = 10 + p;
    INFO("case " << id);
    const std::string stored = restarted.get_case(id)["case_details:"].value("priority", "");
    std::set<std::string> allowed;
    if (!log.acked_priorities[id].empty()) allowed.insert(log.acked_priorities[id].back());
    if (log.unacked_priority.count(id)) allowed.insert(log.unacked_priority[id]);
    if (log.acked_priorities[id].empty()) allowed.insert("PriorityMedium");  // the seed's
    CHECK(allowed.count(stored) == 1);
    acked_total += log.acked_priorities[id].size();
  }
  CHECK(acked_total >= kKillAfterAcks);
}
