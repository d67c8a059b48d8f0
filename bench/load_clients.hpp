#pragma once
// bench/load_clients.hpp: the two kinds of client the load check (load_bench.cpp) runs against
// `lmhunt serve --http`:
// - run_hunt: one analyst. Our own mcp::Client over HttpClientTransport (a session of its own),
//   lateral_movement_hunt with wait_seconds, then get_hunt_result until the hunt has ended, as
//   Cline does with a 60 s call timeout;
// - ListRun: tools/list calls over raw cpp-httplib (one connection per call, so every call is
//   in flight at once), spread over a few sessions, each answer checked for the three tools.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "mcp/client.hpp"
#include "mcp/executor.hpp"
#include "mcp/transport_http_client.hpp"

namespace bench {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Endpoint {
  std::string url;    // http://127.0.0.1:PORT/mcp
  std::string token;  // the bearer token the server requires
};

struct HuntOutcome {
  std::string error;  // "" when every call succeeded
  std::string status;
  std::string verdict;
  double wall_ms = 0;  // from the released latch to the final result
  int polls = 0;       // get_hunt_result calls
};

// kHuntDeadline bounds one hunt with its polls; a hunt still running then is an error.
inline constexpr std::chrono::minutes kHuntDeadline{10};

// run_hunt opens a session, waits on `go` (when given), hunts, polls and closes the session.
inline HuntOutcome run_hunt(const Endpoint& endpoint, mcp::Executor& executor, std::latch* go,
                            int wait_seconds) {
  HuntOutcome out;
  mcp::HttpClientOptions options;
  options.name = "lmhunt";
  options.url = endpoint.url;
  options.headers = {{"Authorization", "Bearer " + endpoint.token}};
  auto transport = mcp::HttpClientTransport::open(options, executor);
  if (!transport) {
    if (go) go->count_down();
    out.error = "open: " + transport.error().message;
    return out;
  }
  mcp::Client client(transport.value()->session());
  auto init = client.initialize();
  if (go) go->arrive_and_wait();
  const auto t0 = Clock::now();
  if (!init) {
    out.error = "initialize: " + init.error().message;
    transport.value()->close();
    return out;
  }
  mcp::CallOptions call;
  call.timeout = std::chrono::seconds(wait_seconds + 60);
  auto result = client.call_tool("lateral_movement_hunt", {{"wait_seconds", wait_seconds}}, call);
  while (result && !result->value("isError", false) &&
         (*result)["structuredContent"].value("status", "") == "running" &&
         Clock::now() - t0 < kHuntDeadline) {
    ++out.polls;
    const std::string id = (*result)["structuredContent"].value("hunt_id", "");
    result = client.call_tool("get_hunt_result", {{"hunt_id", id}, {"wait_seconds", wait_seconds}},
                              call);
  }
  out.wall_ms = ms_since(t0);
  if (!result) {
    out.error = "call: " + result.error().message;
  } else if (result->value("isError", false)) {
    out.error = "isError: " + result->dump().substr(0, 300);
  } else {
    out.status = (*result)["structuredContent"].value("status", "");
    out.verdict = (*result)["structuredContent"].value("verdict", "");
    if (out.status == "running") out.error = "still running after the hunt deadline";
  }
  transport.value()->close();
  return out;
}

class ListRun {
 public:
  // ListRun initializes `sessions` sessions (raw HTTP) before any call.
  ListRun(const Endpoint& endpoint, int sessions) : endpoint_(endpoint) {
    const auto slash = endpoint.url.find('/', 7);
    base_ = endpoint.url.substr(0, slash);
    path_ = endpoint.url.substr(slash);
    for (int i = 0; i < sessions; ++i) {
      auto res = post(headers(""), R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":)"
                                   R"({"protocolVersion":"2025-11-25","capabilities":{},)"
                                   R"("clientInfo":{"name":"lmhunt_bench_load_check",)"
                                   R"("version":"0.1.0"}}})");
      if (!res || res->status != 200 || !res->has_header("Mcp-Session-Id")) {
        fail("initialize: " + describe(res));
        continue;
      }
      const std::string id = res->get_header_value("Mcp-Session-Id");
      auto note = post(headers(id), R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
      if (!note || note->status != 202) fail("notifications/initialized: " + describe(note));
      sessions_.push_back(id);
    }
  }

  // spawn adds `calls` threads to `threads`, each waiting on `go` and then making one call.
  void spawn(int calls, std::latch& go, std::vector<std::thread>& threads) {
    for (int i = 0; i < calls; ++i) {
      threads.emplace_back([this, i, &go] {
        go.arrive_and_wait();
        call(i);
      });
    }
  }
  // call_all makes `calls` calls one after the other on this thread.
  void call_all(int calls) {
    for (int i = 0; i < calls; ++i) call(i);
  }

  // close ends every session (DELETE).
  void close() {
    for (const auto& id : sessions_) {
      httplib::Client client(base_);
      client.Delete(path_.c_str(), headers(id));
    }
    sessions_.clear();
  }

  long errors() const { return errors_.load(); }
  int ok() const { return ok_.load(); }
  std::string first_error() {
    std::lock_guard lock(mu_);
    return first_error_;
  }
  double latency_ms(double p) {
    std::lock_guard lock(mu_);
    if (latencies_.empty()) return 0;
    std::sort(latencies_.begin(), latencies_.end());
    return latencies_[std::min(latencies_.size() - 1, std::size_t(p * latencies_.size()))];
  }

 private:
  httplib::Headers headers(const std::string& session) const {
    httplib::Headers h = {{"Accept", "application/json, text/event-stream"},
                          {"Authorization", "Bearer " + endpoint_.token}};
    if (!session.empty()) {
      h.emplace("Mcp-Session-Id", session);
      h.emplace("MCP-Protocol-Version", "2025-11-25");
    }
    return h;
  }

  httplib::Result post(const httplib::Headers& h, const std::string& body) const {
    httplib::Client client(base_);
    client.set_connection_timeout(60, 0);
    client.set_read_timeout(60, 0);
    return client.Post(path_.c_str(), h, body, "application/json");
  }

  static std::string describe(const httplib::Result& res) {
    if (!res) return "request failed: " + httplib::to_string(res.error());
    return "HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 200);
  }

  void fail(const std::string& why) {
    errors_.fetch_add(1);
    std::lock_guard lock(mu_);
    if (first_error_.empty()) first_error_ = "tools/list: " + why;
  }

  void call(int i) {
    if (sessions_.empty()) return fail("no session");
    const std::string& session = sessions_[static_cast<std::size_t>(i) % sessions_.size()];
    const std::string body =
        R"({"jsonrpc":"2.0","id":)" + std::to_string(i + 1) + R"(,"method":"tools/list"})";
    const auto t0 = Clock::now();
    auto res = post(headers(session), body);
    const double ms = ms_since(t0);
    if (!res || res->status != 200) return fail(describe(res));
    Json answer = Json::parse(res->body, nullptr, false);
    if (res->get_header_value("Content-Type").rfind("text/event-stream", 0) == 0) {
      const auto data = res->body.find("data: {");
      answer =
          Json::parse(data == std::string::npos ? "" : res->body.substr(data + 6), nullptr, false);
    }
    std::vector<std::string> names;
    if (answer.is_object() && answer.value("id", Json()) == i + 1) {
      for (const auto& tool : answer["result"].value("tools", Json::array())) {
        names.push_back(tool.value("name", ""));
      }
    }
    std::sort(names.begin(), names.end());
    if (names != std::vector<std::string>{"get_hunt_result", "lateral_movement_hunt",
                                          "validate_udm_query"}) {
      return fail("unexpected answer " + res->body.substr(0, 200));
    }
    ok_.fetch_add(1);
    std::lock_guard lock(mu_);
    latencies_.push_back(ms);
  }

  Endpoint endpoint_;
  std::string base_;
  std::string path_;
  std::vector<std::string> sessions_;
  std::atomic<long> errors_{0};
  std::atomic<int> ok_{0};
  std::mutex mu_;
  std::string first_error_;
  std::vector<double> latencies_;
};

}  // namespace bench
