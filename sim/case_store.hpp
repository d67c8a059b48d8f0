// case_store.hpp — the local SOAR's cases, alerts and comments in SQLite (secops-soar's tools and
// get_security_alerts read and write it).
//
// Persistence and concurrency: one database file (or ":memory:") in WAL mode with a busy timeout;
// every write is one IMMEDIATE transaction, so several lmhunt-sim processes (and threads of one)
// may share a file safely. A CaseStore object is thread-safe (one connection behind a mutex).
//
// JSON shapes (what the tools return, modelled on SOAR's case API):
//   case    {"id": 12, "name", "description", "priority": "PriorityMedium", "status": "Opened",
//            "assignedUser", "environment", "creationTime", "updateTime", "tags": [...], ...}
//   alert   whatever the seed gave (e.g. {"id", "ruleName", "createdTime", "severity", ...})
//   comment {"id": 3, "caseId": 12, "comment": "...", "author": "...", "createTime": "..."}
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mcp/result.hpp"

struct sqlite3;

namespace sim {

// Error codes of the case store (tool results carry the message, not the code).
inline constexpr int kCaseNotFound = -41007;
inline constexpr int kCaseInvalid = -41008;
inline constexpr int kCaseStoreFailed = -41009;

// kCasesPerPage is how many cases list_cases returns per page.
inline constexpr std::size_t kCasesPerPage = 20;

// is_case_priority reports whether text is one of SOAR's priority enum values
// (PriorityUnspecified, PriorityInfo, PriorityLow, PriorityMedium, PriorityHigh, PriorityCritical).
bool is_case_priority(const std::string& text);

class CaseStore {
 public:
  // open opens (creating if needed) the database at path (":memory:" for a private one) and
  // creates the schema. Error names the path and SQLite's reason.
  static mcp::Result<std::unique_ptr<CaseStore>> open(const std::string& path);
  ~CaseStore();
  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  // seed_if_empty inserts `cases` (a JSON array; see docs/lmhunt-sim.md "Case seed format") when
  // the database has never been seeded and holds no case; returns how many it inserted (0 when
  // the store already had cases). Error for a malformed seed (nothing is inserted then).
  mcp::Result<std::size_t> seed_if_empty(const mcp::Json& cases, const std::string& now);

  // list_cases returns {"cases": [...], "nextPageToken": "..."} newest first, page_size at a
  // time; the token is absent on the last page. An unknown token is kCaseInvalid.
  mcp::Result<mcp::Json> list_cases(const std::optional<std::string>& page_token,
                                    std::size_t page_size = kCasesPerPage) const;

  mcp::Result<mcp::Json> get_case(const std::string& case_id) const;
  mcp::Result<mcp::Json> case_alerts(const std::string& case_id) const;
  mcp::Result<mcp::Json> case_comments(const std::string& case_id) const;
  // all_alerts returns every case's alerts, each with "caseId" and "caseName" added.
  mcp::Result<mcp::Json> all_alerts() const;

  // add_comment appends a comment and returns it.
  mcp::Result<mcp::Json> add_comment(const std::string& case_id, const std::string& comment,
                                     const std::string& author, const std::string& now);
  // set_priority changes a case's priority (an enum value) and returns the updated case.
  mcp::Result<mcp::Json> set_priority(const std::string& case_id, const std::string& priority,
                                      const std::string& now);
  // create_case adds an "Opened" case and returns it.
  mcp::Result<mcp::Json> create_case(const std::string& name, const std::string& description,
                                     const std::string& priority, const std::string& environment,
                                     const std::string& now);

  std::size_t case_count() const;

 private:
  explicit CaseStore(sqlite3* db) : db_(db) {}
  struct Tx;
  mcp::Result<long long> existing_case(const std::string& case_id) const;  // under mu_

  mutable std::mutex mu_;
  sqlite3* db_;
};

}  // namespace sim
