// Task-augmented tools/call and the tasks/* methods of Server (basic/utilities/tasks.mdx,
// 2025-11-25). The session's TaskStore keeps the tasks; this file maps the protocol onto it.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "mcp/server.hpp"
#include "mcp/server_internal.hpp"

namespace mcp {

namespace {

std::string task_support(const Tool& tool) {
  if (!tool.execution.is_object()) return "forbidden";
  return tool.execution.value("taskSupport", "forbidden");
}

// task_id_param reads the taskId of tasks/get, tasks/result and tasks/cancel.
Result<std::string> task_id_param(const Json& params) {
  auto id = params.find("taskId");
  if (id == params.end() || !id->is_string()) {
    return invalid_params("Invalid params: taskId must be a string");
  }
  return id->get<std::string>();
}

}  // namespace

bool Server::any_tool_supports_tasks() const {
  std::shared_lock lock(mu_);
  return std::any_of(tools_.begin(), tools_.end(), [](const auto& t) {
    const auto support = task_support(t->tool);
    return support == "optional" || support == "required";
  });
}

Result<Json> Server::call_tool_as_task(ServerSession& s, RequestContext& request,
                                       std::shared_ptr<const ToolEntry> entry) {
  const Json& params = request.params();
  const auto support = task_support(entry->tool);
  if (support != "optional" && support != "required") {
    return Error{
        jsonrpc::kMethodNotFound,
        "Tool " + entry->tool.name + " cannot be called as a task (taskSupport " + support + ")",
        nullptr};
  }
  const Json& task = params["task"];
  if (!task.is_object()) return invalid_params("Invalid params: task must be an object");
  std::optional<std::int64_t> ttl;
  if (task.contains("ttl") && !task["ttl"].is_null()) {
    const Json& asked = task["ttl"];
    if (!asked.is_number() || asked.get<double>() < 0) {
      return invalid_params("Invalid params: task.ttl must be a non-negative number of ms");
    }
    // Clamped before the cast (a huge double does not fit an int64); the store clamps to max_ttl.
    constexpr double kLongest = 1e15;
    ttl = static_cast<std::int64_t>(std::min(asked.get<double>(), kLongest));
  }

  const std::string id = TaskStore::new_id();
  std::stop_source stop;
  // The task's context outlives the request: its own stop token (tasks/cancel, not
  // notifications/cancelled) and messages tied to the task by _meta.
  std::shared_ptr<RequestContext> context =
      request.detached(stop.get_token(), {{kRelatedTaskMeta, {{"taskId", id}}}});
  Json call = params;
  call.erase("task");
  auto work = [this, &s, entry, context, call = std::move(call), id]() -> Result<Json> {
    ToolContext ctx(s, *context, id);
    return run_tool(*entry, call, ctx);
  };
  auto created =
      s.tasks().create(id, ttl, std::move(stop), std::move(work),
                       ToolResult::error("The task running " + entry->tool.name +
                                         " was cancelled before it completed; it has no result")
                           .to_json());
  if (!created) return created.error();
  spdlog::info("[{}] tools/call {} runs as task {}", s.rpc().name(), entry->tool.name, id);
  return Json{{"task", std::move(created.value())}};
}

void Server::install_tasks(ServerSession* s) {
  Session& rpc = s->rpc();
  using D = Session::Dispatch;
  rpc.on_request(
      "tasks/get",
      [s](RequestContext& r) -> Result<Json> {
        auto id = task_id_param(r.params());
        if (!id) return id.error();
        return s->tasks().get(id.value());
      },
      D::kInline);
  // tasks/result blocks until the task is terminal: on the pool, stopped by
  // notifications/cancelled or the session closing.
  rpc.on_request("tasks/result", [s](RequestContext& r) -> Result<Json> {
    auto id = task_id_param(r.params());
    if (!id) return id.error();
    return s->tasks().result(id.value(), r.stop_token());
  });
  rpc.on_request(
      "tasks/cancel",
      [s](RequestContext& r) -> Result<Json> {
        auto id = task_id_param(r.params());
        if (!id) return id.error();
        return s->tasks().cancel(id.value());
      },
      D::kInline);
  rpc.on_request(
      "tasks/list",
      [this, s](RequestContext& r) { return paginate(s->tasks().list(), r.params(), "tasks"); },
      D::kInline);
}

}  // namespace mcp
