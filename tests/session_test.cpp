#include <catch2/catch.hpp>

#include <atomic>
#include <latch>
#include <thread>

#include "mcp/session.hpp"
#include "mcp/transport_memory.hpp"

using mcp::Json;
using namespace std::chrono_literals;

namespace {

struct Pair {
  mcp::Executor executor{8};
  std::shared_ptr<mcp::Session> client = std::make_shared<mcp::Session>("client", executor);
  std::shared_ptr<mcp::Session> server = std::make_shared<mcp::Session>("server", executor);
  Pair() { mcp::LinkChannel::connect(client, server); }
  ~Pair() {
    client->close("test over");
    server->close("test over");
  }
};

}  // namespace

TEST_CASE("a call reaches the peer's handler and returns its result", "[session]") {
  Pair p;
  p.server->on_request("echo", [](mcp::RequestContext& r) -> mcp::Result<Json> {
    return Json{{"got", r.params()["x"]}};
  });
  auto r = p.client->call("echo", {{"x", 42}});
  REQUIRE(r.ok());
  CHECK(r.value()["got"] == 42);
}

TEST_CASE("a handler's error and an unknown method come back as JSON-RPC errors", "[session]") {
  Pair p;
  p.server->on_request("fail", [](mcp::RequestContext&) -> mcp::Result<Json> {
    return mcp::Error{-32602, "bad x"};
  });
  p.server->on_request(
      "throw", [](mcp::RequestContext&) -> mcp::Result<Json> { throw std::runtime_error("boom"); });
  auto failed = p.client->call("fail", Json::object());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == -32602);
  CHECK(failed.error().message == "bad x");

  auto unknown = p.client->call("nope", Json::object());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == mcp::jsonrpc::kMethodNotFound);

  auto thrown = p.client->call("throw", Json::object());
  REQUIRE_FALSE(thrown.ok());
  CHECK(thrown.error().code == mcp::jsonrpc::kInternalError);
}

TEST_CASE("many calls from many threads are matched to their own responses", "[session]") {
  Pair p;
  p.server->on_request("square", [](mcp::RequestContext& r) -> mcp::Result<Json> {
    int x = r.params()["x"];
    return Json{{"y", x * x}};
  });
  constexpr int kThreads = 8;
  constexpr int kCalls = 50;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        int x = t * 1000 + i;
        auto r = p.client->call("square", {{"x", x}});
        if (!r.ok() || r.value()["y"] != x * x) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("requests run concurrently rather than one at a time", "[session]") {
  Pair p;
  std::latch both_running(2);
  p.server->on_request("meet", [&](mcp::RequestContext&) -> mcp::Result<Json> {
    both_running.count_down();
    both_running.wait();  // deadlocks unless two handlers run at once
    return Json::object();
  });
  std::thread other([&] { CHECK(p.client->call("meet", {}).ok()); });
  CHECK(p.client->call("meet", {}).ok());
  other.join();
}

TEST_CASE("stopping a call cancels the peer's handler, which sends no response",
          "[session][cancel]") {
  Pair p;
  std::latch started(1);
  std::atomic<bool> saw_stop{false};
  p.server->on_request("slow", [&](mcp::RequestContext& r) -> mcp::Result<Json> {
    started.count_down();
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, r.stop_token(), [] { return false; });
    saw_stop = r.stop_token().stop_requested();
    return Json{{"late", true}};
  });
  std::stop_source stop;
  std::thread canceller([&] {
    started.wait();
    stop.request_stop();
  });
  mcp::CallOptions options;
  options.stop = stop.get_token();
  auto r = p.client->call("slow", {}, options);
  canceller.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("cancelled") != std::string::npos);
  CHECK(p.server->wait_idle(5s));
  CHECK(saw_stop);
}

TEST_CASE("a call that times out tells the peer to stop", "[session][cancel]") {
  Pair p;
  std::atomic<bool> saw_stop{false};
  p.server->on_request("hang", [&](mcp::RequestContext& r) -> mcp::Result<Json> {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, r.stop_token(), [] { return false; });
    saw_stop = true;
    return Json::object();
  });
  mcp::CallOptions options;
  options.timeout = 50ms;
  auto r = p.client->call("hang", {}, options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == mcp::jsonrpc::kRequestTimeout);
  CHECK(p.server->wait_idle(5s));
  CHECK(saw_stop);
}

TEST_CASE("a cancel is handled ahead of queued work, so the queued request never runs",
          "[session][cancel]") {
  mcp::Executor one_thread(1);
  auto server = std::make_shared<mcp::Session>("server", one_thread);
  auto out = std::make_shared<mcp::LinkChannel>();  // unconnected: sends fail quietly
  std::latch release(1);
  std::latch first_running(1);
  std::atomic<int> second_runs{0};
  server->on_request("block", [&](mcp::RequestContext&) -> mcp::Result<Json> {
    first_running.count_down();
    release.wait();
    return Json::object();
  });
  server->on_request("queued", [&](mcp::RequestContext&) -> mcp::Result<Json> {
    ++second_runs;
    return Json::object();
  });
  server->receive_frame(R"({"jsonrpc":"2.0","id":1,"method":"block"})", out);
  first_running.wait();
  server->receive_frame(R"({"jsonrpc":"2.0","id":2,"method":"queued"})", out);
  server->receive_frame(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}})", out);
  release.count_down();
  CHECK(server->wait_idle(5s));
  CHECK(second_runs == 0);
  server->close("done");
}

TEST_CASE("progress reaches the caller only when it asked, and only increasing",
          "[session][progress]") {
  Pair p;
  p.server->on_request("work", [](mcp::RequestContext& r) -> mcp::Result<Json> {
    r.report_progress(0, 100, "start");
    r.report_progress(50, 100);
    r.report_progress(40, 100);  // goes backwards: dropped
    r.report_progress(100, 100, "done");
    return Json{{"token", r.has_progress_token()}};
  });
  std::mutex m;
  std::vector<double> seen;
  mcp::CallOptions options;
  options.on_progress = [&](const Json& params) {
    std::lock_guard lock(m);
    seen.push_back(params["progress"].get<double>());
  };
  auto r = p.client->call("work", {}, options);
  REQUIRE(r.ok());
  CHECK(r.value()["token"] == true);
  std::lock_guard lock(m);
  CHECK(seen == std::vector<double>{0, 50, 100});

  auto plain = p.client->call("work", {});
  REQUIRE(plain.ok());
  CHECK(plain.value()["token"] == false);
}

TEST_CASE("closing a session fails its pending calls at once", "[session]") {
  Pair p;
  std::latch started(1);
  p.server->on_request("hang", [&](mcp::RequestContext& r) -> mcp::Result<Json> {
    started.count_down();
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, r.stop_token(), [] { return false; });
    return Json::object();
  });
  std::thread closer([&] {
    started.wait();
    p.client->close("peer gone");
  });
  auto r = p.client->call("hang", {});
  closer.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == mcp::jsonrpc::kConnectionClosed);
  CHECK_FALSE(p.client->call("hang", {}).ok());
}

TEST_CASE("a duplicate id in flight is refused without disturbing the first", "[session]") {
  mcp::Executor executor(4);
  auto server = std::make_shared<mcp::Session>("server", executor);
  auto out = std::make_shared<mcp::LinkChannel>();
  std::latch release(1);
  std::atomic<int> runs{0};
  server->on_request("block", [&](mcp::RequestContext&) -> mcp::Result<Json> {
    ++runs;
    release.wait();
    return Json::object();
  });
  struct Recorder : mcp::Channel {
    std::mutex m;
    std::vector<Json> sent;
    bool send(const Json& msg) override {
      std::lock_guard lock(m);
      sent.push_back(msg);
      return true;
    }
  };
  auto rec = std::make_shared<Recorder>();
  server->receive_frame(R"({"jsonrpc":"2.0","id":9,"method":"block"})", rec);
  server->receive_frame(R"({"jsonrpc":"2.0","id":9,"method":"block"})", rec);
  release.count_down();
  CHECK(server->wait_idle(5s));
  std::lock_guard lock(rec->m);
  REQUIRE(rec->sent.size() == 2);
  CHECK(rec->sent[0]["error"]["code"] == mcp::jsonrpc::kInvalidRequest);
  CHECK(rec->sent[1].contains("result"));
  CHECK(runs == 1);
  server->close("done");
}

TEST_CASE("a dispatch chooser runs quick requests on the receiving thread", "[session]") {
  Pair p;
  std::thread::id handler_thread;
  p.server->on_request(
      "where",
      [&](mcp::RequestContext&) -> mcp::Result<Json> {
        handler_thread = std::this_thread::get_id();
        return Json::object();
      },
      [](const Json& params) {
        return params.value("inline", false) ? mcp::Session::Dispatch::kInline
                                             : mcp::Session::Dispatch::kPool;
      });
  // LinkChannel delivers synchronously, so an inline handler runs on the caller's thread.
  REQUIRE(p.client->call("where", {{"inline", true}}).ok());
  CHECK(handler_thread == std::this_thread::get_id());
  REQUIRE(p.client->call("where", {{"inline", false}}).ok());
  CHECK(handler_thread != std::this_thread::get_id());
}
