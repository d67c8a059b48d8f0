// case_store.cpp — SQLite-backed cases: opening the database and the case operations (seeding
// is in case_seed.cpp; the SQLite helpers in case_store_sql.hpp).
#include "sim/case_store.hpp"

#include <sqlite3.h>

#include <array>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/case_store_sql.hpp"

namespace sim {

using case_sql::db_error;
using case_sql::parse_id;
using case_sql::Stmt;
using mcp::Error;
using mcp::Json;
using mcp::Result;

namespace {

constexpr std::array<std::string_view, 6> kPriorities = {"PriorityUnspecified", "PriorityInfo",
                                                         "PriorityLow",         "PriorityMedium",
                                                         "PriorityHigh",        "PriorityCritical"};
constexpr std::string_view kTokenPrefix = "cases-before-";
constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS cases(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL,
  creation_time TEXT NOT NULL, update_time TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts(
  rowid INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comments(
  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL, comment TEXT NOT NULL,
  author TEXT NOT NULL, create_time TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

Json parse_body(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  return body.is_object() ? body : Json::object();
}

}  // namespace

bool is_case_priority(const std::string& text) {
  for (auto p : kPriorities) {
    if (p == text) return true;
  }
  return false;
}

Result<std::unique_ptr<CaseStore>> CaseStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error e{kCaseStoreFailed, "cannot open case database " + path + ": " +
                                  (db ? sqlite3_errmsg(db) : "out of memory")};
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<CaseStore> store(new CaseStore(db));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // WAL lets readers run beside a writer; ":memory:" stays in its own journal mode.
  char* err = nullptr;
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
                   &err) != SQLITE_OK ||
      sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return Error{kCaseStoreFailed, "cannot prepare case database " + path + ": " + why};
  }
  return store;
}

CaseStore::~CaseStore() {
  sqlite3_close(db_);
}

namespace {

constexpr const char* kCaseColumns =
    "SELECT id, name, priority, status, creation_time, update_time, body FROM cases";

Json case_json(const Stmt& s) {
  Json c = parse_body(s.text(6));
  c["id"] = s.integer(0);
  c["name"] = s.text(1);
  c["priority"] = s.text(2);
  c["status"] = s.text(3);
  c["creationTime"] = s.text(4);
  c["updateTime"] = s.text(5);
  return c;
}

}  // namespace

Result<Json> CaseStore::list_cases(const std::optional<std::string>& page_token,
                                   std::size_t page_size) const {
  long long before = std::numeric_limits<long long>::max();
  if (page_token && !page_token->empty()) {
    std::optional<long long> id;
    if (page_token->starts_with(kTokenPrefix))
      id = parse_id(page_token->substr(kTokenPrefix.size()));
    if (!id) return Error{kCaseInvalid, "Invalid page token: " + *page_token};
    before = *id;
  }
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string(kCaseColumns) + " WHERE id < ? ORDER BY id DESC LIMIT ?").c_str());
  s.bind(1, before).bind(2, static_cast<long long>(page_size) + 1);
  Json cases = Json::array();
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) cases.push_back(case_json(s));
  if (rc != SQLITE_DONE) return s.error("list cases");
  Json out = Json::object();
  if (cases.size() > page_size) {
    cases.erase(cases.begin() + static_cast<std::ptrdiff_t>(page_size), cases.end());
    out["nextPageToken"] =
        std::string(kTokenPrefix) + std::to_string(cases.back()["id"].get<long long>());
  }
  out["cases"] = std::move(cases);
  return out;
}

Result<long long> CaseStore::existing_case(const std::string& case_id) const {
  auto id = parse_id(case_id);
  if (id) {
    Stmt s(db_, "SELECT 1 FROM cases WHERE id = ?");
    s.bind(1, *id);
    const int rc = s.step();
    if (rc == SQLITE_ROW) return *id;
    if (rc != SQLITE_DONE) return s.error("find case " + case_id);
  }
  return Error{kCaseNotFound, "Case not found: " + case_id};
}

Result<Json> CaseStore::get_case(const std::string& case_id) const {
  std::lock_guard lock(mu_);
  auto id = existing_case(case_id);
  if (!id) return id.error();
  Stmt s(db_, (std::string(kCaseColumns) + " WHERE id = ?").c_str());
  s.bind(1, *id);
  if (s.step() != SQLITE_ROW) return s.error("read case " + case_id);
  return case_json(s);
}

Result<Json> CaseStore::case_alerts(const std::string& case_id) const {
  std::lock_guard lock(mu_);
  auto id = existing_case(case_id);
  if (!id) return id.error();
  Stmt s(db_, "SELECT body FROM alerts WHERE case_id = ? ORDER BY rowid");
  s.bind(1, *id);
  Json alerts = Json::array();
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) alerts.push_back(Json::parse(s.text(0), nullptr, false));
  if (rc != SQLITE_DONE) return s.error("read alerts of case " + case_id);
  return alerts;
}

Result<Json> CaseStore::all_alerts() const {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "SELECT alerts.body, cases.id, cases.name FROM alerts JOIN cases ON "
         "cases.id = alerts.case_id ORDER BY alerts.rowid");
  Json alerts = Json::array();
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    Json a = parse_body(s.text(0));
    a["caseId"] = s.integer(1);
    a["caseName"] = s.text(2);
    alerts.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return s.error("read alerts");
  return alerts;
}

Result<Json> CaseStore::case_comments(const std::string& case_id) const {
  std::lock_guard lock(mu_);
  auto id = existing_case(case_id);
  if (!id) return id.error();
  Stmt s(db_,
         "SELECT id, comment, author, create_time FROM comments WHERE case_id = ? ORDER BY id");
  s.bind(1, *id);
  Json comments = Json::array();
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    comments.push_back({{"id", s.integer(0)},
                        {"caseId", *id},
                        {"comment", s.text(1)},
                        {"author", s.text(2)},
                        {"createTime", s.text(3)}});
  }
  if (rc != SQLITE_DONE) return s.error("read comments of case " + case_id);
  return comments;
}

Result<Json> CaseStore::add_comment(const std::string& case_id, const std::string& comment,
                                    const std::string& author, const std::string& now) {
  std::lock_guard lock(mu_);
  Tx tx(db_);
  if (!tx.began) return db_error(db_, "begin comment");
  auto id = existing_case(case_id);
  if (!id) return id.error();
  Stmt s(db_, "INSERT INTO comments(case_id, comment, author, create_time) VALUES(?, ?, ?, ?)");
  s.bind(1, *id).bind(2, comment).bind(3, author).bind(4, now);
  if (s.step() != SQLITE_DONE) return s.error("add comment to case " + case_id);
  const long long comment_id = sqlite3_last_insert_rowid(db_);
  Stmt touch(db_, "UPDATE cases SET update_time = ? WHERE id = ?");
  touch.bind(1, now).bind(2, *id);
  if (touch.step() != SQLITE_DONE) return touch.error("update case " + case_id);
  if (auto done = tx.commit(); !done) return done.error();
  return Json{{"id", comment_id},
              {"caseId", *id},
              {"comment", comment},
              {"author", author},
              {"createTime", now}};
}

Result<Json> CaseStore::set_priority(const std::string& case_id, const std::string& priority,
                                     const std::string& now) {
  if (!is_case_priority(priority)) {
    return Error{kCaseInvalid, "Invalid case priority: " + priority};
  }
  {
    std::lock_guard lock(mu_);
    Tx tx(db_);
    if (!tx.began) return db_error(db_, "begin priority change");
    auto id = existing_case(case_id);
    if (!id) return id.error();
    Stmt s(db_, "UPDATE cases SET priority = ?, update_time = ? WHERE id = ?");
    s.bind(1, priority).bind(2, now).bind(3, *id);
    if (s.step() != SQLITE_DONE) return s.error("change priority of case " + case_id);
    if (auto done = tx.commit(); !done) return done.error();
  }
  return get_case(case_id);
}

Result<Json> CaseStore::create_case(const std::string& name, const std::string& description,
                                    const std::string& priority, const std::string& environment,
                                    const std::string& now) {
  if (name.empty()) return Error{kCaseInvalid, "A case needs a name"};
  const std::string p = priority.empty() ? "PriorityMedium" : priority;
  if (!is_case_priority(p)) return Error{kCaseInvalid, "Invalid case priority: " + p};
  Json body = {{"description", description},
               {"assignedUser", ""},
               {"environment", environment.empty() ? "Default Environment" : environment},
               {"tags", Json::array()}};
  long long id = 0;
  {
    std::lock_guard lock(mu_);
    Tx tx(db_);
    if (!tx.began) return db_error(db_, "begin case creation");
    Stmt s(db_,
           "INSERT INTO cases(name, priority, status, creation_time, update_time, body) "
           "VALUES(?, ?, 'Opened', ?, ?, ?)");
    s.bind(1, name).bind(2, p).bind(3, now).bind(4, now).bind(5, body.dump());
    if (s.step() != SQLITE_DONE) return s.error("create case");
    id = sqlite3_last_insert_rowid(db_);
    if (auto done = tx.commit(); !done) return done.error();
  }
  return get_case(std::to_string(id));
}

std::size_t CaseStore::case_count() const {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT count(*) FROM cases");
  return s.step() == SQLITE_ROW ? static_cast<std::size_t>(s.integer(0)) : 0;
}

}  // namespace sim
