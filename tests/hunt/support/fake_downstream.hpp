// fake_downstream.hpp — in-memory Siem, ThreatIntel and Soar for the hunt's unit tests.
//
// Honest fakes: FakeSiem evaluates each UDM query with udm::parse + udm::matches over its event
// list and honours max_events, the time range, deadlines and stop tokens; FakeSoar keeps cases
// and comments. Each records its calls (in order, and in the caller's CallLog as a real facade
// does) and can be told to fail, or to hold searches until enough are in flight (so a test can
// measure concurrency without sleeping).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tools/downstream/facades.hpp"
#include "tools/hunt/hunt_text.hpp"
#include "udm/query.hpp"

namespace test {

using downstream::CallContext;
using mcp::Json;

// CallRecorder is the call list every fake keeps.
class CallRecorder {
 public:
  void record(const CallContext& ctx, const std::string& server, const std::string& tool,
              Json arguments, const std::string& outcome) {
    {
      std::lock_guard lock(mu_);
      calls_.push_back(tool);
    }
    if (ctx.log) {
      downstream::CallRecord r;
      r.server = server;
      r.tool = tool;
      r.arguments = std::move(arguments);
      r.outcome = outcome;
      r.started = std::chrono::system_clock::now();
      ctx.log->add(std::move(r));
    }
  }
  std::vector<std::string> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::size_t count(const std::string& tool) const {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(std::count(calls_.begin(), calls_.end(), tool));
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> calls_;
};

class FakeSiem : public downstream::Siem, public CallRecorder {
 public:
  std::vector<Json> events;                     // UDM events searched
  std::map<std::string, std::string> entities;  // lookup_entity answers
  std::set<std::string> failing_queries;        // query substrings that fail (kToolError)
  bool fail_research = false;                   // get_threat_intel fails (kUnavailable)
  bool hang_searches = false;                   // searches wait for stop or deadline
  std::size_t hold_until_in_flight = 0;         // >0: searches wait until this many run
  std::atomic<bool> gated{false};               // searches wait for open_gate() or stop
  std::atomic<int> max_in_flight{0};
  std::vector<downstream::SearchRequest> searches;  // every request received
  std::atomic<int> started_searches{0};

  mcp::Result<downstream::SearchResult> search(const downstream::SearchRequest& request,
                                               const std::string&,
                                               const CallContext& ctx) override {
    {
      std::lock_guard lock(mu_);
      searches.push_back(request);
    }
    const int now_in_flight = ++in_flight_;
    int seen = max_in_flight.load();
    while (now_in_flight > seen && !max_in_flight.compare_exchange_weak(seen, now_in_flight)) {
    }
    struct Leave {
      FakeSiem* self;
      ~Leave() {
        --self->in_flight_;
        self->cv_.notify_all();
      }
    } leave{this};
    {
      std::lock_guard lock(mu_);
      ++started_searches;
    }
    cv_.notify_all();
    Json args = {{"query", request.query}, {"max_events", request.max_events}};
    if (hang_searches) {
      std::unique_lock lock(mu_);
      std::condition_variable_any cv;
      cv.wait_until(lock, ctx.stop, ctx.deadline, [] { return false; });
      const bool stopped = ctx.stop.stop_requested();
      record(ctx, "secops", "search_udm", args, stopped ? "cancelled" : "timeout");
      if (stopped) return mcp::Error{downstream::kCancelled, "cancelled"};
      return mcp::Error{downstream::kTimeout, "search timed out"};
    }
    if (gated) {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, ctx.stop, ctx.deadline, [&] { return !gated; });
      if (ctx.stop.stop_requested()) {
        record(ctx, "secops", "search_udm", args, "cancelled");
        return mcp::Error{downstream::kCancelled, "cancelled"};
      }
    }
    if (hold_until_in_flight > 0) {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, ctx.deadline, [&] {
        return in_flight_.load() >= static_cast<int>(hold_until_in_flight) || released_;
      });
      released_ = true;  // the first full batch proves the bound; later ones need not wait
    }
    for (const auto& bad : failing_queries) {
      if (request.query.find(bad) != std::string::npos) {
        record(ctx, "secops", "search_udm", args, "tool_error");
        return mcp::Error{downstream::kToolError, "backend rejected the query"};
      }
    }
    auto parsed = udm::parse(request.query);
    if (!parsed) {
      record(ctx, "secops", "search_udm", args, "tool_error");
      return mcp::Error{downstream::kToolError, "invalid query " + parsed.error().describe()};
    }
    downstream::SearchResult result;
    result.tool = "search_udm";
    result.udm_query = request.query;
    for (const auto& e : events) {
      if (!udm::matches(parsed.value(), e) || !in_range(e, request)) continue;
      if (static_cast<int>(result.events.size()) >= request.max_events) {
        result.more_data_available = true;
        break;
      }
      result.events.push_back(e);
    }
    record(ctx, "secops", "search_udm", args, result.events.empty() ? "empty" : "ok");
    return result;
  }

  // wait_started blocks until `n` searches have started or the timeout passes.
  bool wait_started(int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return started_searches.load() >= n; });
  }

  void open_gate() {
    {
      std::lock_guard lock(mu_);
      gated = false;
    }
    cv_.notify_all();
  }

  mcp::Result<std::string> lookup_entity(const std::string& value, int hours_back,
                                         const CallContext& ctx) override {
    Json args = {{"entity_value", value}, {"hours_back", hours_back}};
    auto it = entities.find(value);
    if (it == entities.end()) {
      record(ctx, "secops", "lookup_entity", args, "not_found");
      return mcp::Error{downstream::kNotFound, "No information found for entity: " + value};
    }
    record(ctx, "secops", "lookup_entity", args, "ok");
    return it->second;
  }

  mcp::Result<std::string> get_threat_intel(const std::string& question,
                                            const CallContext& ctx) override {
    if (fail_research) {
      record(ctx, "secops", "get_threat_intel", {{"query", question}}, "unavailable");
      return mcp::Error{downstream::kUnavailable, "Error retrieving threat intelligence: down"};
    }
    record(ctx, "secops", "get_threat_intel", {{"query", question}}, "ok");
    return "Answer about: " + question + ". Detect it with process and service telemetry.";
  }

  mcp::Result<std::string> get_ioc_matches(int, int, const CallContext& ctx) override {
    record(ctx, "secops", "get_ioc_matches", Json::object(), "empty");
    return std::string("No IOC matches found.");
  }

 private:
  static bool in_range(const Json& event, const downstream::SearchRequest& request) {
    const std::string time = event.value("metadata", Json::object()).value("event_timestamp", "");
    auto t = hunt::parse_time(time);
    if (!t) return true;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (request.hours_back) return *t >= now - std::int64_t{3600} * *request.hours_back;
    if (request.start_time && *t < hunt::parse_time(*request.start_time).value_or(0)) return false;
    if (request.end_time && *t > hunt::parse_time(*request.end_time).value_or(now)) return false;
    return true;
  }

  std::mutex mu_;
  std::condition_variable_any cv_;
  std::atomic<int> in_flight_{0};
  bool released_ = false;
};

class FakeThreatIntel : public downstream::ThreatIntel, public CallRecorder {
 public:
  std::map<std::string, Json> reports;

  mcp::Result<Json> report(downstream::IocKind, const std::string& value,
                           const CallContext& ctx) override {
    auto it = reports.find(value);
    record(ctx, "gti", "get_report", {{"ioc", value}}, it == reports.end() ? "not_found" : "ok");
    if (it == reports.end()) return mcp::Error{downstream::kNotFound, "unknown IOC " + value};
    return it->second;
  }
};

class FakeSoar : public downstream::Soar, public CallRecorder {
 public:
  std::vector<downstream::CaseDetails> cases;
  bool fail_post = false;
  bool fail_list = false;
  bool creatable = false;

  void add_case(std::string id, std::string name, std::string description,
                std::string status = "Opened", std::string priority = "PriorityMedium") {
    downstream::CaseDetails c;
    c.summary = {id, name, description, priority, status, Json::object()};
    c.raw = {{"id", id}, {"name", name}, {"description", description}};
    std::lock_guard lock(mu_);
    cases.push_back(std::move(c));
  }
  std::vector<std::string> comments(const std::string& id) {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& c : cases) {
      if (c.summary.id != id) continue;
      for (const auto& comment : c.comments) out.push_back(comment.value("comment", ""));
    }
    return out;
  }
  std::string priority(const std::string& id) {
    std::lock_guard lock(mu_);
    for (const auto& c : cases) {
      if (c.summary.id == id) return c.summary.priority;
    }
    return {};
  }

  mcp::Result<std::vector<downstream::CaseSummary>> list_cases(const CallContext& ctx) override {
    record(ctx, "soar", "list_cases", Json::object(), fail_list ? "bad_response" : "ok");
    if (fail_list) return mcp::Error{downstream::kBadResponse, "empty content"};
    std::lock_guard lock(mu_);
    std::vector<downstream::CaseSummary> out;
    for (const auto& c : cases) out.push_back(c.summary);
    return out;
  }
  mcp::Result<downstream::CaseDetails> get_case(const std::string& id,
                                                const CallContext& ctx) override {
    std::lock_guard lock(mu_);
    for (const auto& c : cases) {
      if (c.summary.id == id) {
        record(ctx, "soar", "get_case_full_details", {{"case_id", id}}, "ok");
        return c;
      }
    }
    record(ctx, "soar", "get_case_full_details", {{"case_id", id}}, "not_found");
    return mcp::Error{downstream::kNotFound, "no case " + id};
  }
  mcp::Status post_comment(const std::string& id, const std::string& comment, const std::string&,
                           const CallContext& ctx) override {
    record(ctx, "soar", "post_case_comment", {{"case_id", id}}, fail_post ? "unavailable" : "ok");
    if (fail_post) return mcp::Error{downstream::kUnavailable, "secops-soar is down"};
    std::lock_guard lock(mu_);
    for (auto& c : cases) {
      if (c.summary.id == id) {
        c.comments.push_back({{"comment", comment}});
        return mcp::Ok{};
      }
    }
    return mcp::Error{downstream::kNotFound, "no case " + id};
  }
  mcp::Status change_priority(const std::string& id, const std::string& priority,
                              const CallContext& ctx) override {
    record(ctx, "soar", "change_case_priority", {{"case_id", id}, {"case_priority", priority}},
           "ok");
    std::lock_guard lock(mu_);
    for (auto& c : cases) {
      if (c.summary.id == id) {
        c.summary.priority = priority;
        return mcp::Ok{};
      }
    }
    return mcp::Error{downstream::kNotFound, "no case " + id};
  }
  bool can_create_case() const override { return creatable; }
  mcp::Result<std::string> create_case(const std::string& title, const std::string& description,
                                       const std::string& priority, const std::string&,
                                       const CallContext& ctx) override {
    record(ctx, "soar", "create_case", {{"title", title}}, creatable ? "ok" : "not_configured");
    if (!creatable) return mcp::Error{downstream::kNotConfigured, "no case creation"};
    std::string id;
    {
      std::lock_guard lock(mu_);
      id = std::to_string(900 + cases.size());
    }
    add_case(id, title, description, "Opened", priority);
    return id;
  }

 private:
  std::mutex mu_;
};

}  // namespace test
