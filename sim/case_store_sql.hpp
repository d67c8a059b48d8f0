// case_store_sql.hpp — internal to the case store (case_store.cpp, case_seed.cpp): SQLite's C API
// used directly through the small Stmt wrapper below, since Debian ships no C++ SQLite wrapper
// among our allowed packages, and the helpers both files share.
#pragma once

#include <sqlite3.h>

#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "sim/case_store.hpp"

namespace sim::case_sql {

using mcp::Error;
using mcp::Json;

inline Error db_error(sqlite3* db, std::string_view what) {
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

// parse_id reads a positive case id; nullopt for anything else.
inline std::optional<long long> parse_id(std::string_view text) {
  long long id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// string_field returns the first of `keys` that holds a string in `o`, or "".
inline std::string string_field(const Json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto it = o.find(k);
    if (it != o.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

}  // namespace sim::case_sql

namespace sim {

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
      return case_sql::db_error(db, "commit");
    }
    committed = true;
    return mcp::Ok{};
  }
  sqlite3* db;
  bool began = false;
  bool committed = false;
};

}  // namespace sim
