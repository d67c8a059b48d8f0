// case_store.cpp — SQLite-backed cases. SQLite's C API is used directly through the small Stmt
// wrapper below: Debian ships no C++ SQLite wrapper among our allowed packages.
#include "sim/case_store.hpp"

#include <sqlite3.h>

#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace sim {

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

Error db_error(sqlite3* db, std::string_view what) {
  return Error{kCaseStoreFailed, std::string(what) + ": " + sqlite3_errmsg(db)};
}

// Stmt owns one prepared statement; bind/step/column mirror the C API.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Stmt& bind(int i, long long v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // step: SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  }
  Error error(std::string_view what) const { return db_error(db_, what); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::optional<long long> parse_id(std::string_view text) {
  long long id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Json parse_body(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  return body.is_object() ? body : Json::object();
}

std::string string_field(const Json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto it = o.find(k);
    if (it != o.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

// SeedCase is one validated case of a seed file.
struct SeedCase {
  std::optional<long long> id;
  std::string name, priority, status, creation_time;
  Json body, alerts, comments;
};

Result<SeedCase> parse_seed_case(const Json& c, std::size_t index, const std::string& now) {
  const std::string where = "case seed entry " + std::to_string(index + 1);
  if (!c.is_object()) return Error{kCaseInvalid, where + " is not an object"};
  SeedCase s;
  if (auto it = c.find("id"); it != c.end()) {
    if (it->is_number_integer() && it->get<long long>() > 0) {
      s.id = it->get<long long>();
    } else if (it->is_string()) {
      s.id = parse_id(it->get<std::string>());
    }
    if (!s.id) return Error{kCaseInvalid, where + ": \"id\" must be a positive integer"};
  }
  s.name = string_field(c, {"name", "title", "displayName"});
  if (s.name.empty()) return Error{kCaseInvalid, where + " has no \"name\" (or \"title\")"};
  s.priority = string_field(c, {"priority"});
  if (s.priority.empty()) s.priority = "PriorityMedium";
  if (!is_case_priority(s.priority)) s.priority = "Priority" + s.priority;  // "High" → enum
  if (!is_case_priority(s.priority)) {
    return Error{kCaseInvalid,
                 where + ": unknown priority \"" + string_field(c, {"priority"}) + "\""};
  }
  s.status = string_field(c, {"status"});
  if (s.status.empty()) s.status = "Opened";
  s.creation_time = string_field(c, {"creationTime", "createTime"});
  if (s.creation_time.empty()) s.creation_time = now;
  s.alerts = c.value("alerts", Json::array());
  s.comments = c.value("comments", Json::array());
  if (!s.alerts.is_array() || !s.comments.is_array()) {
    return Error{kCaseInvalid, where + ": \"alerts\" and \"comments\" must be arrays"};
  }
  s.body = c;
  for (const char* k : {"id", "name", "title", "displayName", "priority", "status", "creationTime",
                        "createTime", "updateTime", "alerts", "comments"}) {
    s.body.erase(k);
  }
  if (!s.body.contains("description")) s.body["description"] = "";
  if (!s.body.contains("tags")) s.body["tags"] = Json::array();
  return s;
}

}  // namespace

bool is_case_priority(const std::string& text) {
  for (auto p : kPriorities) {
    if (p == text) return true;
  }
  return false;
}

// Tx is one IMMEDIATE transaction: the write lock is taken at BEGIN (waiting up to the busy
// timeout), so concurrent writers serialise instead of failing at COMMIT.
struct CaseStore::Tx {
  explicit Tx(sqlite3* db) : db(db) {
    began = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~Tx() {
    if (began && !committed) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  mcp::Status commit() {
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return db_error(db, "commit");
    }
    committed = true;
    return mcp::Ok{};
  }
  sqlite3* db;
  bool began = false;
  bool committed = false;
};

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

Result<std::size_t> CaseStore::seed_if_empty(const Json& cases, const std::string& now) {
  if (!cases.is_array()) return Error{kCaseInvalid, "a case seed must be a JSON array"};
  std::vector<SeedCase> parsed;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto c = parse_seed_case(cases[i], i, now);
    if (!c) return c.error();
    parsed.push_back(std::move(c.value()));
  }
  std::lock_guard lock(mu_);
  Tx tx(db_);
  if (!tx.began) return db_error(db_, "begin seeding");
  Stmt seeded(db_,
              "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM meta WHERE "
              "key = 'seeded')");
  if (seeded.step() != SQLITE_ROW) return seeded.error("read seed state");
  if (seeded.integer(0) > 0) return std::size_t{0};
  for (const auto& c : parsed) {
    Stmt ins(db_,
             "INSERT INTO cases(id, name, priority, status, creation_time, update_time, body) "
             "VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (c.id) {
      ins.bind(1, *c.id);
    }
    ins.bind(2, c.name).bind(3, c.priority).bind(4, c.status).bind(5, c.creation_time);
    ins.bind(6, c.creation_time).bind(7, c.body.dump());
    if (ins.step() != SQLITE_DONE) return ins.error("seed case \"" + c.name + "\"");
    const long long id = sqlite3_last_insert_rowid(db_);
    for (const auto& alert : c.alerts) {
      Stmt a(db_, "INSERT INTO alerts(case_id, body) VALUES(?, ?)");
      a.bind(1, id).bind(2, alert.dump());
      if (a.step() != SQLITE_DONE) return a.error("seed alert");
    }
    for (const auto& comment : c.comments) {
      Stmt m(db_, "INSERT INTO comments(case_id, comment, author, create_time) VALUES(?,?,?,?)");
      const bool text = comment.is_string();
      m.bind(1, id).bind(2, text ? comment.get<std::string>() : string_field(comment, {"comment"}));
      m.bind(3, text ? std::string("analyst") : string_field(comment, {"author", "creator"}));
      std::string when = text ? "" : string_field(comment, {"createTime", "creationTime"});
      m.bind(4, when.empty() ? c.creation_time : when);
      if (m.step() != SQLITE_DONE) return m.error("seed comment");
    }
  }
  Stmt mark(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('seeded', ?)");
  mark.bind(1, now);
  if (mark.step() != SQLITE_DONE) return mark.error("mark seeded");
  if (auto done = tx.commit(); !done) return done.error();
  return parsed.size();
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
