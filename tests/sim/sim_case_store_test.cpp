// The SOAR case store: seeding, persistence across reopen, pagination, errors and concurrent
// writers sharing one database file.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sim/case_store.hpp"

using mcp::Json;

namespace {

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/lmhunt-sim-cases-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

const char* kNow = "2026-01-02T03:04:05.000Z";

Json seed() {
  return Json::parse(R"([
    {"id": 7, "name": "PsExec on SQL01", "priority": "PriorityHigh", "description": "d7",
     "alerts": [{"id": "A-1", "ruleName": "PsExec service", "createdTime": "2026-01-01T00:00:00Z"}],
     "comments": ["first look"]},
    {"title": "Phishing", "priority": "Low"}
  ])");
}

std::unique_ptr<sim::CaseStore> open(const std::string& path) {
  auto store = sim::CaseStore::open(path);
  REQUIRE(store.ok());
  return std::move(store.value());
}

}  // namespace

TEST_CASE("a case store is seeded once, and only while it is empty", "[sim][simserver][cases]") {
  auto store = open(":memory:");
  auto first = store->seed_if_empty(seed(), kNow);
  REQUIRE(first.ok());
  CHECK(first.value() == 2);
  auto again = store->seed_if_empty(seed(), kNow);
  REQUIRE(again.ok());
  CHECK(again.value() == 0);
  CHECK(store->case_count() == 2);

  auto c = store->get_case("7");
  REQUIRE(c.ok());
  CHECK(c.value()["name"] == "PsExec on SQL01");
  CHECK(c.value()["priority"] == "PriorityHigh");
  CHECK(c.value()["status"] == "Opened");
  CHECK(c.value()["description"] == "d7");
  auto alerts = store->case_alerts("7");
  REQUIRE(alerts.ok());
  CHECK(alerts.value()[0]["ruleName"] == "PsExec service");
  auto comments = store->case_comments("7");
  REQUIRE(comments.ok());
  CHECK(comments.value()[0]["comment"] == "first look");
  // "title" and a short priority are accepted in seeds.
  auto listed = store->list_cases(std::nullopt);
  REQUIRE(listed.ok());
  CHECK(listed.value()["cases"][0]["name"] == "Phishing");
  CHECK(listed.value()["cases"][0]["priority"] == "PriorityLow");
}

TEST_CASE("a malformed seed is refused whole, naming the entry", "[sim][simserver][cases]") {
  auto store = open(":memory:");
  auto bad =
      store->seed_if_empty(Json::parse(R"([{"name": "ok"}, {"priority": "PriorityHigh"}])"), kNow);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("case seed entry 2") != std::string::npos);
  CHECK(store->case_count() == 0);
  CHECK_FALSE(store->seed_if_empty(Json::parse(R"([{"name": "x", "priority": "Urgent"}])"), kNow));
}

TEST_CASE("cases, comments and priorities survive closing and reopening the database",
          "[sim][simserver][cases]") {
  TempDir dir;
  const std::string db = dir.file("cases.db");
  {
    auto store = open(db);
    REQUIRE(store->seed_if_empty(seed(), kNow).ok());
    REQUIRE(store->add_comment("7", "hunt summary", "mcp-api", kNow).ok());
    REQUIRE(store->set_priority("7", "PriorityCritical", kNow).ok());
    auto created =
        store->create_case("Lateral movement from WKS-07", "found by lmhunt", "", "", kNow);
    REQUIRE(created.ok());
    CHECK(created.value()["priority"] == "PriorityMedium");
    CHECK(created.value()["status"] == "Opened");
  }
  auto store = open(db);
  CHECK(store->seed_if_empty(seed(), kNow).value() == 0);
  CHECK(store->case_count() == 3);
  CHECK(store->get_case("7").value()["priority"] == "PriorityCritical");
  auto comments = store->case_comments("7").value();
  REQUIRE(comments.size() == 2);
  CHECK(comments[1]["comment"] == "hunt summary");
}

TEST_CASE("list_cases pages newest first with an opaque token", "[sim][simserver][cases]") {
  auto store = open(":memory:");
  for (int i = 0; i < 5; ++i) {
    REQUIRE(store->create_case("case " + std::to_string(i), "", "PriorityLow", "", kNow).ok());
  }
  std::vector<std::string> names;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto page = store->list_cases(token, 2);
    REQUIRE(page.ok());
    ++pages;
    for (const auto& c : page.value()["cases"]) names.push_back(c["name"]);
    token = page.value().contains("nextPageToken")
                ? std::optional<std::string>(page.value()["nextPageToken"].get<std::string>())
                : std::nullopt;
  } while (token);
  CHECK(pages == 3);
  CHECK(names == std::vector<std::string>{"case 4", "case 3", "case 2", "case 1", "case 0"});
  auto bad = store->list_cases(std::string("nonsense"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "Invalid page token: nonsense");
}

TEST_CASE("unknown cases and priorities are errors that say so", "[sim][simserver][cases]") {
  auto store = open(":memory:");
  REQUIRE(store->create_case("one", "", "", "", kNow).ok());
  CHECK(store->get_case("999").error().message == "Case not found: 999");
  CHECK(store->get_case("abc").error().code == sim::kCaseNotFound);
  CHECK(store->add_comment("999", "x", "a", kNow).error().code == sim::kCaseNotFound);
  CHECK(store->set_priority("1", "Urgent", kNow).error().message ==
        "Invalid case priority: Urgent");
  CHECK_FALSE(store->create_case("", "", "", "", kNow).ok());
}

TEST_CASE("writers on separate connections to one file never lose a comment",
          "[sim][simserver][cases]") {
  TempDir dir;
  const std::string db = dir.file("shared.db");
  REQUIRE(open(db)->create_case("shared", "", "", "", kNow).ok());
  constexpr int kWriters = 4;
  constexpr int kComments = 25;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      // Each writer has its own connection, as a separate lmhunt-sim process would.
      auto store = sim::CaseStore::open(db);
      if (!store) {
        ++failures;
        return;
      }
      for (int i = 0; i < kComments; ++i) {
        if (!store.value()->add_comment("1", std::to_string(w) + "/" + std::to_string(i), "w",
                                        kNow)) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  auto comments = open(db)->case_comments("1");
  REQUIRE(comments.ok());
  CHECK(comments.value().size() == kWriters * kComments);
}
