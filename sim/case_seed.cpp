// case_seed.cpp — CaseStore::seed_if_empty: a JSON seed file's cases, alerts and comments,
// validated, then written in one transaction the first time the database is opened.
#include <sqlite3.h>

#include <vector>

#include "sim/case_store.hpp"
#include "sim/case_store_sql.hpp"

namespace sim {

using case_sql::db_error;
using case_sql::parse_id;
using case_sql::Stmt;
using case_sql::string_field;
using mcp::Error;
using mcp::Json;
using mcp::Result;

namespace {

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

}  // namespace sim
