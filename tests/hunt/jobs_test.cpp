// jobs_test.cpp — HuntJobs: handles after wait_seconds, get_hunt_result, cancellation, eviction.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/fake_downstream.hpp"
#include "support/hunt_fixture.hpp"
#include "tools/hunt/jobs.hpp"

using mcp::Json;
using test::Rig;

TEST_CASE("a hunt slower than wait_seconds returns a running handle, then the final result",
          "[hunt][engine][jobs]") {
  Rig rig;
  rig.siem->gated = true;
  hunt::HuntJobs jobs(rig.env());
  auto handle = jobs.start(rig.args({{"wait_seconds", 0}}), {});
  REQUIRE(handle);
  CHECK(handle->status == "running");
  REQUIRE_FALSE(handle->hunt_id.empty());
  REQUIRE(rig.siem->wait_started(1));
  auto partial = jobs.find(handle->hunt_id);
  REQUIRE(partial);
  CHECK(partial->status == "running");
  CHECK(partial->timings_ms.count("plan") == 1);  // steps done so far
  CHECK(partial->timings_ms.count("complete") == 0);

  auto still = jobs.result(handle->hunt_id, 0, {});
  REQUIRE(still);
  CHECK(still->status == "running");

  rig.siem->open_gate();
  auto final = jobs.result(handle->hunt_id, 30, {});
  REQUIRE(final);
  CHECK(final->status == "completed");
  CHECK(final->hunt_id == handle->hunt_id);
  CHECK(final->verdict == "confirmed");
  CHECK(jobs.list().size() == 1);
}

TEST_CASE("a hunt that finishes within wait_seconds returns its final result at once",
          "[hunt][engine][jobs]") {
  Rig rig;
  hunt::HuntJobs jobs(rig.env());
  std::vector<std::string> steps;
  auto result = jobs.start(
      rig.args({{"wait_seconds", 30}}), {},
      [&](const std::string& step, double, const std::string&) { steps.push_back(step); });
  REQUIRE(result);
  CHECK(result->status == "completed");
  CHECK(steps.front() == "validate");
  CHECK(steps.size() == hunt::hunt_steps().size() + 1);
}

TEST_CASE("cancelling the call that started a hunt cancels the hunt", "[hunt][engine][jobs]") {
  Rig rig;
  rig.siem->hang_searches = true;
  hunt::HuntJobs jobs(rig.env());
  std::stop_source caller;
  std::string id;
  std::jthread call([&] {
    auto r = jobs.start(rig.args({{"wait_seconds", 60}}), caller.get_token());
    if (r) id = r->hunt_id;
  });
  REQUIRE(rig.siem->wait_started(1));
  caller.request_stop();
  call.join();
  REQUIRE_FALSE(id.empty());
  auto final = jobs.result(id, 30, {});
  REQUIRE(final);
  CHECK(final->status == "cancelled");
  CHECK(final->verdict == "inconclusive");
}

TEST_CASE("get_hunt_result can cancel a running hunt and refuses unknown ids",
          "[hunt][engine][jobs]") {
  Rig rig;
  rig.siem->hang_searches = true;
  hunt::HuntJobs jobs(rig.env());
  auto handle = jobs.start(rig.args({{"wait_seconds", 0}}), {});
  REQUIRE(handle);
  REQUIRE(jobs.cancel(handle->hunt_id));
  auto final = jobs.result(handle->hunt_id, 30, {});
  REQUIRE(final);
  CHECK(final->status == "cancelled");
  auto unknown = jobs.result("hunt-nope", 0, {});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("hunt_id") == 0);
  CHECK_FALSE(jobs.cancel("hunt-nope"));
}

TEST_CASE("only the most recent finished hunts are kept", "[hunt][engine][jobs]") {
  Rig rig;
  rig.settings.keep_finished_hunts = 2;
  hunt::HuntJobs jobs(rig.env());
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto r = jobs.start(rig.args({{"dry_run", true}}), {});
    REQUIRE(r);
    CHECK(r->status == "planned");
    ids.push_back(r->hunt_id);
  }
  // The newest start evicts before it runs, so at most keep + 1 remain.
  CHECK_FALSE(jobs.find(ids[0]));
  CHECK(jobs.find(ids[3]));
  CHECK(jobs.list().size() <= 3);
  CHECK(jobs.list().front().hunt_id == ids[3]);
}

TEST_CASE("hunts beyond the running limit wait for a slot instead of failing",
          "[hunt][engine][jobs]") {
  Rig rig;
  rig.siem->gated = true;
  rig.settings.concurrency = 1;  // a running hunt holds exactly one search at the gate
  hunt::HuntJobs jobs(rig.env());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < hunt::kMaxRunningHunts + 2; ++i) {
    auto handle = jobs.start(rig.args({{"wait_seconds", 0}}), {});
    REQUIRE(handle);
    CHECK(handle->status == "running");
    ids.push_back(handle->hunt_id);
  }
  REQUIRE(rig.siem->wait_started(static_cast<int>(hunt::kMaxRunningHunts)));
  // Every slot is taken: two hunts wait, with no step done and no search sent.
  std::vector<std::string> queued;
  for (const auto& id : ids) {
    auto now = jobs.find(id);
    REQUIRE(now);
    CHECK(now->status == "running");
    if (now->started_at.empty()) {
      CHECK(now->timings_ms.empty());
      queued.push_back(id);
    }
  }
  // First come, first served: the two that wait are the last two started.
  REQUIRE(queued == std::vector<std::string>(ids.end() - 2, ids.end()));
  CHECK(rig.siem->started_searches.load() == static_cast<int>(hunt::kMaxRunningHunts));
  // A hunt cancelled while it waits ends cancelled, without a slot and without a search.
  REQUIRE(jobs.cancel(queued.back()));
  auto cancelled = jobs.result(queued.back(), 30, {});
  REQUIRE(cancelled);
  CHECK(cancelled->status == "cancelled");

  rig.siem->open_gate();
  for (const auto& id : ids) {
    if (id == queued.back()) continue;
    auto final = jobs.result(id, 30, {});
    REQUIRE(final);
    CHECK(final->status == "completed");
    CHECK(final->verdict == "confirmed");
  }
}

TEST_CASE("a freed slot goes to the hunt that has waited longest", "[hunt][engine][jobs]") {
  Rig rig;
  rig.siem->gated = true;
  rig.settings.concurrency = 1;
  hunt::HuntJobs jobs(rig.env());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < hunt::kMaxRunningHunts + 3; ++i) {
    auto handle = jobs.start(rig.args({{"wait_seconds", 0}}), {});
    REQUIRE(handle);
    ids.push_back(handle->hunt_id);
  }
  REQUIRE(rig.siem->wait_started(static_cast<int>(hunt::kMaxRunningHunts)));
  auto started = [&](const std::string& id) { return !jobs.find(id)->started_at.empty(); };
  const auto first_waiting = ids.size() - 3;
  // Free one slot at a time; each goes to the oldest waiting hunt, never to a younger one.
  for (std::size_t freed = 0; freed < 3; ++freed) {
    REQUIRE(jobs.cancel(ids[freed]));
    REQUIRE(jobs.result(ids[freed], 30, {})->status == "cancelled");
    const auto next = first_waiting + freed;
    for (int i = 0; i < 3000 && !started(ids[next]); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK(started(ids[next]));
    for (auto later = next + 1; later < ids.size(); ++later) CHECK_FALSE(started(ids[later]));
  }
  rig.siem->open_gate();
  for (auto i = first_waiting - 1; i < ids.size(); ++i) {
    CHECK(jobs.result(ids[i], 30, {})->status == "completed");
  }
}
