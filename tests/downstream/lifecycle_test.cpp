#include "downstream/fake_downstream.hpp"

using namespace test;

TEST_CASE("a crash makes the server degraded, then it restarts after a backoff", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--crash-after", "1"})}},
            {{"retry", {{"max_attempts", 1}}}});
  REQUIRE(h.siem->lookup_entity("first", 24, h.ctx()).ok());
  auto crashed = h.siem->lookup_entity("second", 24, h.ctx());
  REQUIRE_FALSE(crashed.ok());
  CHECK(crashed.error().code == downstream::kUnavailable);
  CHECK(contains(crashed.error().message, "exit status 3"));
  CHECK(h.state("secops") == "degraded");
  CHECK(contains(h.health("secops").detail, "connection lost"));
  const auto began = downstream::Clock::now();
  auto again = h.siem->lookup_entity("third", 24, h.ctx());  // waits out the backoff, restarts
  REQUIRE(again.ok());
  CHECK(downstream::Clock::now() - began >= 30ms);  // 50 ms backoff with jitter ≥ 75 %
  CHECK(h.state("secops") == "ready");
  CHECK(contains(h.health("secops").detail, "restarted 1 time(s)"));
}

TEST_CASE("a crash mid-search is retried on the restarted server", "[downstream]") {
  Harness h(Json{{"secops", fake_server({"--profile", "secops", "--crash-after", "1"})}});
  REQUIRE(h.siem->search(udm("x = 1"), "", h.ctx()).ok());
  auto found = h.siem->search(udm("x = 2"), "", h.ctx());
  REQUIRE(found.ok());
  const auto calls = h.calls();
  REQUIRE(calls.size() == 3);
  CHECK(calls[1].outcome == "unavailable");
  CHECK(calls[2].outcome == "ok");
  CHECK(calls[2].attempt == 2);
}

TEST_CASE("a server that keeps failing to start backs off and says why", "[downstream]") {
  Harness h(Json{{"soar", fake_server({"--profile", "soar", "--exit-at-start", "4"})}},
            {{"retry", {{"max_attempts", 1}}}});
  auto r = h.soar->list_cases(h.ctx());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kUnavailable);
  CHECK(contains(r.error().message, "cannot reach SOAR"));
  CHECK(h.state("soar") == "degraded");
  CHECK(h.calls().empty());  // nothing reached a server
}

TEST_CASE("a server that has never started fails fast after a second failed start",
          "[downstream]") {
  // A wrong command: every start fails at once. The call tries twice (the second start after
  // the 1 s restart backoff, for a blip), then gives up; calls inside the next backoff fail at
  // once. Waiting out every backoff, as for a crashed server, made a hunt take minutes.
  Harness h(Json{{"secops", fake_server({}, {{"command", "/nonexistent/secops-mcp"}})}},
            {{"restart", {{"initial_backoff_ms", 1000}, {"max_backoff_ms", 1000}}}});
  const auto began = downstream::Clock::now();
  auto first = h.siem->lookup_entity("x", 24, h.ctx(10s));
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().code == downstream::kUnavailable);
  CHECK(contains(first.error().message, "/nonexistent/secops-mcp"));
  CHECK(contains(first.error().message, "No such file or directory"));
  CHECK(contains(h.health("secops").detail, "2 failed attempt(s)"));  // not 4 (max_attempts)

  auto second = h.siem->lookup_entity("y", 24, h.ctx(10s));  // inside the backoff
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == downstream::kUnavailable);
  CHECK(contains(second.error().message, "No such file or directory"));
  CHECK(contains(h.health("secops").detail, "2 failed attempt(s)"));
  CHECK(downstream::Clock::now() - began < 2500ms);
  CHECK(h.calls().empty());
}

TEST_CASE("a cold start slower than its timeout fails as unavailable", "[downstream]") {
  Harness h(Json{{"slow", fake_server({"--profile", "secops", "--start-delay-ms", "3000"})}},
            {{"cold_start_timeout_seconds", 1}, {"retry", {{"max_attempts", 1}}}});
  const auto began = downstream::Clock::now();
  auto r = h.siem->lookup_entity("x", 24, h.ctx(10s));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kUnavailable);
  CHECK(contains(r.error().message, "cold start of slow timed out after 1 s (initialize)"));
  CHECK(downstream::Clock::now() - began < 2500ms);
  CHECK(h.state("slow") == "degraded");
}

TEST_CASE("a caller with a short deadline does not wait for a slow cold start", "[downstream]") {
  Harness h(Json{{"slow", fake_server({"--profile", "secops", "--start-delay-ms", "1500"})}});
  auto r = h.siem->lookup_entity("x", 24, h.ctx(200ms));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == downstream::kTimeout);
  auto later = h.siem->lookup_entity("x", 24, h.ctx(10s));  // the start went on meanwhile
  CHECK(later.ok());
}

TEST_CASE("a comment is not posted twice when the first answer is lost", "[downstream]") {
  SECTION("posted, then the call timed out: read back, found, not re-posted") {
    Harness h(
        Json{{"soar", fake_server({"--profile", "soar", "--post-hang-once"}, {{"timeout", 1}})}});
    auto posted =
        h.soar->post_comment("101", "Hunt summary (lmhunt hunt H1)", "lmhunt hunt H1", h.ctx());
    REQUIRE(posted.ok());
    auto back = h.soar->get_case("101", h.ctx());
    REQUIRE(back.ok());
    CHECK(back->comments.size() == 1);
    std::vector<std::string> tools;
    for (const auto& c : h.calls()) tools.push_back(c.tool + ":" + c.outcome);
    CHECK(tools == std::vector<std::string>{"post_case_comment:timeout", "get_case_full_details:ok",
                                            "get_case_full_details:ok"});
  }
  SECTION("lost (empty answer): read back, absent, posted exactly once more") {
    Harness h(Json{{"soar", fake_server({"--profile", "soar", "--post-lose-once"})}});
    REQUIRE(h.soar->post_comment("103", "Hunt summary (lmhunt hunt H2)", "lmhunt hunt H2", h.ctx())
                .ok());
    auto back = h.soar->get_case("103", h.ctx());
    REQUIRE(back.ok());
    REQUIRE(back->comments.size() == 1);
    CHECK(back->comments[0]["comment"] == "Hunt summary (lmhunt hunt H2)");
    std::vector<std::string> tools;
    for (const auto& c : h.calls()) tools.push_back(c.tool + ":" + c.outcome);
    CHECK(tools == std::vector<std::string>{"post_case_comment:bad_response",
                                            "get_case_full_details:ok", "post_case_comment:ok",
                                            "get_case_full_details:ok"});
  }
}

TEST_CASE("change_priority checks first, so repeating it changes nothing", "[downstream]") {
  Harness h(Json{{"soar", fake_server({"--profile", "soar"})}});
  REQUIRE(h.soar->change_priority("105", "PriorityHigh", h.ctx()).ok());
  CHECK(h.soar->get_case("105", h.ctx())->summary.priority == "PriorityHigh");
  const auto before = h.calls().size();
  REQUIRE(h.soar->change_priority("105", "PriorityHigh", h.ctx()).ok());
  const auto calls = h.calls();
  REQUIRE(calls.size() == before + 1);
  CHECK(calls.back().tool == "get_case_full_details");
  auto bad = h.soar->change_priority("105", "Urgent!", h.ctx());  // SOAR rejects it silently
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == downstream::kBadResponse);
}

TEST_CASE("a rate-limited comment was refused, so it is simply retried", "[downstream]") {
  Harness h(Json{{"soar", fake_server({"--profile", "soar", "--rate-limit", "1"})}});
  REQUIRE(h.soar->post_comment("101", "note (lmhunt hunt H3)", "lmhunt hunt H3", h.ctx()).ok());
  std::vector<std::string> tools;
  for (const auto& c : h.calls()) tools.push_back(c.tool + ":" + c.outcome);
  CHECK(tools == std::vector<std::string>{"post_case_comment:tool_error", "post_case_comment:ok"});
  CHECK(h.soar->get_case("101", h.ctx())->comments.size() == 1);
}
