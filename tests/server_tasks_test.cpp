// Task-augmented tools/call and tasks/{get,result,list,cancel} (basic/utilities/tasks.mdx,
// 2025-11-25) through a real Server and client Session joined in memory.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "support/server_harness.hpp"

using mcp::Json;
using test::ServerHarness;

namespace {

constexpr auto kPatience = std::chrono::seconds(10);

// Gate holds a tool's handler until released (or stopped), and tells the test it got there.
struct Gate {
  std::mutex mu;
  std::condition_variable_any cv;
  bool open = false;
  int entered = 0;
  int stopped = 0;

  bool pass(std::stop_token stop) {
    std::unique_lock lock(mu);
    ++entered;
    cv.notify_all();
    cv.wait(lock, stop, [&] { return open; });
    if (!open) ++stopped;
    cv.notify_all();
    return open;
  }
  void release() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
  bool wait_for(int& counter, int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kPatience, [&] { return counter >= n; });
  }
};

// StatusNotes records notifications/tasks/status.
struct StatusNotes {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Json> notes;

  void listen(mcp::Session& client) {
    client.on_notification("notifications/tasks/status", [this](const Json& params) {
      std::lock_guard lock(mu);
      notes.push_back(params);
      cv.notify_all();
    });
  }
  bool wait_for(const std::string& task_id, const std::string& status) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kPatience, [&] {
      for (const auto& n : notes) {
        if (n["taskId"] == task_id && n["status"] == status) return true;
      }
      return false;
    });
  }
};

mcp::Tool tool_named(const std::string& name, const char* task_support) {
  mcp::Tool t;
  t.name = name;
  t.description = "A test tool.";
  t.input_schema = Json::parse(R"({"type": "object", "properties": {"text": {"type": "string"}}})");
  if (task_support) t.execution = {{"taskSupport", task_support}};
  return t;
}

// add_gated adds `name`: it waits at the gate, then answers its text and the task it ran as;
// text "fail" makes it return an Error.
void add_gated(mcp::Server& server, const std::string& name, Gate& gate,
               const char* task_support = "optional") {
  REQUIRE(server.add_tool(
      tool_named(name, task_support),
      [&gate](const Json& args, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
        if (!gate.pass(ctx.stop_token())) return mcp::Error{-1, "stopped"};
        const std::string text = args.value("text", "");
        if (text == "fail") return mcp::Error{-1, "the tool failed"};
        auto result = mcp::ToolResult::text(text);
        result.add_text("task " + ctx.task_id());
        return result;
      }));
}

void add_echo(mcp::Server& server, const std::string& name, const char* task_support) {
  REQUIRE(
      server.add_tool(tool_named(name, task_support),
                      [](const Json& args, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                        return mcp::ToolResult::text(args.value("text", "") + "|" + ctx.task_id());
                      }));
}

Json call_as_task(ServerHarness& h, const std::string& tool, Json task = {{"ttl", 60000}},
                  Json arguments = Json::object()) {
  auto r = h.client->call("tools/call",
                          {{"name", tool}, {"arguments", std::move(arguments)}, {"task", task}});
  REQUIRE(r);
  REQUIRE(r.value().contains("task"));
  return r.value()["task"];
}

Json rpc(ServerHarness& h, const std::string& method, Json params) {
  auto r = h.client->call(method, std::move(params));
  REQUIRE(r);
  return r.value();
}

int rpc_error(ServerHarness& h, const std::string& method, Json params) {
  auto r = h.client->call(method, std::move(params));
  REQUIRE_FALSE(r);
  return r.error().code;
}

Json task_result(ServerHarness& h, const std::string& id) {
  return rpc(h, "tasks/result", {{"taskId", id}});
}

}  // namespace

TEST_CASE("a task-augmented call answers at once; tasks/result waits for the tool's result",
          "[tasks]") {
  Gate gate;
  StatusNotes status;
  ServerHarness h;
  add_gated(h.server, "slow", gate);
  status.listen(*h.client);
  auto init = h.initialize();
  REQUIRE(init);
  const Json& caps = init.value()["capabilities"]["tasks"];
  CHECK(caps["list"].is_object());
  CHECK(caps["cancel"].is_object());
  CHECK(caps["requests"]["tools"]["call"].is_object());
  CHECK(rpc(h, "tools/list", Json::object())["tools"][0]["execution"]["taskSupport"] == "optional");

  const Json task = call_as_task(h, "slow", {{"ttl", 60000}}, {{"text", "done"}});
  const std::string id = task["taskId"];
  CHECK(id.size() == 32);
  CHECK(task["status"] == "working");
  CHECK(task["ttl"] == 60000);
  CHECK(task["pollInterval"].is_number_integer());
  CHECK(task["createdAt"].get<std::string>().back() == 'Z');
  CHECK(task["lastUpdatedAt"].is_string());
  REQUIRE(gate.wait_for(gate.entered, 1));  // the tool runs although the call was answered
  CHECK(rpc(h, "tasks/get", {{"taskId", id}})["status"] == "working");

  std::optional<mcp::Result<Json>> waited;
  std::jthread waiter([&] { waited = h.client->call("tasks/result", {{"taskId", id}}); });
  CHECK(rpc(h, "tasks/get", {{"taskId", id}})["status"] == "working");
  gate.release();
  waiter.join();
  REQUIRE(waited);
  REQUIRE(*waited);
  const Json& result = waited->value();
  CHECK(result["content"][0]["text"] == "done");
  CHECK(result["content"][1]["text"] == "task " + id);  // the handler knew its task
  CHECK(result.value("isError", false) == false);
  CHECK(result["_meta"]["io.modelcontextprotocol/related-task"]["taskId"] == id);

  const Json done = rpc(h, "tasks/get", {{"taskId", id}});
  CHECK(done["status"] == "completed");
  CHECK(done["createdAt"] == task["createdAt"]);
  CHECK(status.wait_for(id, "completed"));
  CHECK(task_result(h, id) == result);  // a finished task's result can be read again
}

TEST_CASE("a tool error fails the task and tasks/result returns the isError result", "[tasks]") {
  Gate gate;
  gate.release();
  ServerHarness h;
  add_gated(h.server, "slow", gate);
  REQUIRE(h.initialize());
  const std::string id = call_as_task(h, "slow", {{"ttl", 60000}}, {{"text", "fail"}})["taskId"];
  const Json result = task_result(h, id);
  CHECK(result["isError"] == true);
  CHECK(result["content"][0]["text"] == "the tool failed");
  CHECK(result["_meta"]["io.modelcontextprotocol/related-task"]["taskId"] == id);
  const Json task = rpc(h, "tasks/get", {{"taskId", id}});
  CHECK(task["status"] == "failed");
  CHECK(task["statusMessage"] == "the tool failed");

  // Invalid arguments are the tool's error too, reported through the task.
  const std::string bad = call_as_task(h, "slow", {{"ttl", 60000}}, {{"text", 7}})["taskId"];
  CHECK(task_result(h, bad)["isError"] == true);
  CHECK(rpc(h, "tasks/get", {{"taskId", bad}})["status"] == "failed");
}

TEST_CASE("tasks/cancel stops the tool and the task stays cancelled; terminal tasks refuse",
          "[tasks]") {
  Gate gate;
  StatusNotes status;
  ServerHarness h;
  add_gated(h.server, "slow", gate);
  add_echo(h.server, "quick", "optional");
  status.listen(*h.client);
  REQUIRE(h.initialize());
  const std::string id = call_as_task(h, "slow")["taskId"];
  REQUIRE(gate.wait_for(gate.entered, 1));

  const Json cancelled = rpc(h, "tasks/cancel", {{"taskId", id}});
  CHECK(cancelled["taskId"] == id);
  CHECK(cancelled["status"] == "cancelled");
  CHECK(gate.wait_for(gate.stopped, 1));  // the handler's stop token fired
  CHECK(rpc(h, "tasks/get", {{"taskId", id}})["status"] == "cancelled");
  CHECK(status.wait_for(id, "cancelled"));
  const Json result = task_result(h, id);
  CHECK(result["isError"] == true);
  CHECK(result["content"][0]["text"].get<std::string>().find("cancelled") != std::string::npos);

  CHECK(rpc_error(h, "tasks/cancel", {{"taskId", id}}) == mcp::jsonrpc::kInvalidParams);
  const std::string finished = call_as_task(h, "quick")["taskId"];
  task_result(h, finished);
  CHECK(rpc_error(h, "tasks/cancel", {{"taskId", finished}}) == mcp::jsonrpc::kInvalidParams);
  CHECK(rpc_error(h, "tasks/cancel", {{"taskId", "no-such-task"}}) == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("tasks/list pages through the session's tasks, oldest first", "[tasks]") {
  auto options = ServerHarness::default_options();
  options.page_size = 2;
  ServerHarness h(options);
  add_echo(h.server, "quick", "optional");
  REQUIRE(h.initialize());
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.push_back(call_as_task(h, "quick")["taskId"]);
    task_result(h, created.back());
  }
  std::vector<std::string> listed;
  Json params = Json::object();
  for (int page = 0; page < 10; ++page) {
    const Json r = rpc(h, "tasks/list", params);
    CHECK(r["tasks"].size() <= 2);
    for (const auto& t : r["tasks"]) {
      listed.push_back(t["taskId"]);
      CHECK(t["status"] == "completed");
    }
    if (!r.contains("nextCursor")) break;
    params = {{"cursor", r["nextCursor"]}};
  }
  CHECK(listed == created);
  CHECK(rpc_error(h, "tasks/list", {{"cursor", "garbage"}}) == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("a session can neither see, read nor cancel another session's tasks", "[tasks]") {
  Gate gate;
  ServerHarness h;
  add_gated(h.server, "slow", gate);
  REQUIRE(h.initialize());
  auto other = h.server.connect(nullptr, h.executor, "other");
  auto other_client = std::make_shared<mcp::Session>("other-client", h.executor);
  mcp::LinkChannel::connect(other_client, other->rpc_ptr());
  REQUIRE(
      other_client->call("initialize", {{"protocolVersion", "2025-11-25"},
                                        {"capabilities", Json::object()},
                                        {"clientInfo", {{"name", "other"}, {"version", "0"}}}}));

  const std::string id = call_as_task(h, "slow")["taskId"];
  for (const char* method : {"tasks/get", "tasks/result", "tasks/cancel"}) {
    INFO(method);
    auto r = other_client->call(method, {{"taskId", id}});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mcp::jsonrpc::kInvalidParams);
  }
  auto listed = other_client->call("tasks/list", Json::object());
  REQUIRE(listed);
  CHECK(listed.value()["tasks"].empty());
  CHECK(rpc(h, "tasks/list", Json::object())["tasks"].size() == 1);
  gate.release();
  CHECK(task_result(h, id)["content"][0]["text"] == "");
  other_client->close("test over");
  other->close("test over");
}

TEST_CASE("taskSupport decides: required needs a task, forbidden and absent refuse one",
          "[tasks]") {
  ServerHarness h;
  add_echo(h.server, "must", "required");
  add_echo(h.server, "may", "optional");
  add_echo(h.server, "never", "forbidden");
  add_echo(h.server, "plain", nullptr);
  REQUIRE(h.initialize());

  auto plain_call = h.call_tool("must", {{"text", "x"}});
  REQUIRE_FALSE(plain_call);
  CHECK(plain_call.error().code == mcp::jsonrpc::kMethodNotFound);
  CHECK(task_result(h, call_as_task(h, "must")["taskId"])["content"][0]["text"]
            .get<std::string>()
            .size() > 1);

  auto optional_plain = h.call_tool("may", {{"text", "x"}});
  REQUIRE(optional_plain);
  CHECK(optional_plain.value()["content"][0]["text"] == "x|");  // no task: empty task_id

  for (const char* tool : {"never", "plain"}) {
    INFO(tool);
    CHECK(rpc_error(h, "tools/call", {{"name", tool}, {"task", {{"ttl", 1000}}}}) ==
          mcp::jsonrpc::kMethodNotFound);
  }
  CHECK(rpc_error(h, "tools/call", {{"name", "may"}, {"task", "soon"}}) ==
        mcp::jsonrpc::kInvalidParams);
  CHECK(rpc_error(h, "tools/call", {{"name", "may"}, {"task", {{"ttl", -5}}}}) ==
        mcp::jsonrpc::kInvalidParams);
  CHECK(rpc_error(h, "tasks/get", {{"taskId", "unknown"}}) == mcp::jsonrpc::kInvalidParams);
  CHECK(rpc_error(h, "tasks/get", Json::object()) == mcp::jsonrpc::kInvalidParams);
  CHECK(rpc_error(h, "tasks/result", {{"taskId", 3}}) == mcp::jsonrpc::kInvalidParams);
}

TEST_CASE("a server with no task-capable tool declares no tasks and ignores task metadata",
          "[tasks]") {
  ServerHarness h;
  add_echo(h.server, "plain", nullptr);
  auto init = h.initialize();
  REQUIRE(init);
  CHECK_FALSE(init.value()["capabilities"].contains("tasks"));
  const Json r = rpc(h, "tools/call",
                     {{"name", "plain"}, {"arguments", {{"text", "x"}}}, {"task", {{"ttl", 5}}}});
  CHECK(r["content"][0]["text"] == "x|");
  CHECK_FALSE(r.contains("task"));
}

TEST_CASE("finished tasks are removed when their ttl has passed; working ones are kept",
          "[tasks]") {
  auto offset = std::make_shared<std::atomic<std::int64_t>>(0);  // ms the test clock has moved
  const auto start = std::chrono::system_clock::now();
  mcp::TaskOptions options;
  options.clock = [offset, start] { return start + std::chrono::milliseconds(offset->load()); };
  options.default_ttl = std::chrono::milliseconds(2000);
  options.max_ttl = std::chrono::milliseconds(5000);
  Gate gate;
  StatusNotes status;
  ServerHarness h;
  h.server.set_task_options(options);
  h.session = h.server.connect(nullptr, h.executor, "test");  // a session with these options
  mcp::LinkChannel::connect(h.client, h.session->rpc_ptr());
  status.listen(*h.client);
  add_echo(h.server, "quick", "optional");
  add_gated(h.server, "slow", gate);
  REQUIRE(h.initialize());

  const Json asked = call_as_task(h, "quick", {{"ttl", 1000}});
  const Json defaulted = call_as_task(h, "quick", Json::object());
  const Json capped = call_as_task(h, "quick", {{"ttl", 1e12}});
  const Json slow = call_as_task(h, "slow", {{"ttl", 1000}});
  CHECK(asked["ttl"] == 1000);
  CHECK(defaulted["ttl"] == 2000);
  CHECK(capped["ttl"] == 5000);  // the receiver may lower a requested ttl
  for (const auto& t : std::vector<Json>{asked, defaulted, capped}) task_result(h, t["taskId"]);

  *offset = 999;
  CHECK(rpc(h, "tasks/get", {{"taskId", asked["taskId"]}})["status"] == "completed");
  *offset = 1000;
  CHECK(rpc_error(h, "tasks/get", {{"taskId", asked["taskId"]}}) == mcp::jsonrpc::kInvalidParams);
  CHECK(rpc(h, "tasks/get", {{"taskId", slow["taskId"]}})["status"] == "working");
  CHECK(rpc(h, "tasks/list", Json::object())["tasks"].size() == 3);

  gate.release();
  REQUIRE(status.wait_for(slow["taskId"], "completed"));  // finished after its ttl: removed
  CHECK(rpc_error(h, "tasks/get", {{"taskId", slow["taskId"]}}) == mcp::jsonrpc::kInvalidParams);
  *offset = 5000;
  CHECK(rpc(h, "tasks/list", Json::object())["tasks"].empty());
}

TEST_CASE("a session runs at most max_running tasks at once", "[tasks]") {
  mcp::TaskOptions options;
  options.max_running = 1;
  Gate gate;
  ServerHarness h;
  h.server.set_task_options(options);
  h.session = h.server.connect(nullptr, h.executor, "test");  // a session with these options
  mcp::LinkChannel::connect(h.client, h.session->rpc_ptr());
  add_gated(h.server, "slow", gate);
  REQUIRE(h.initialize());
  const std::string first = call_as_task(h, "slow")["taskId"];
  auto second = h.client->call("tools/call", {{"name", "slow"}, {"task", Json::object()}});
  REQUIRE_FALSE(second);
  CHECK(second.error().code == mcp::jsonrpc::kInvalidRequest);
  CHECK(second.error().message.find("tasks/cancel") != std::string::npos);
  rpc(h, "tasks/cancel", {{"taskId", first}});
  CHECK(call_as_task(h, "slow")["status"] == "working");  // a cancelled task no longer counts
}
