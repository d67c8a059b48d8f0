#pragma once
// Server: an MCP server definition (tools, resources, prompts, completion,
// logging) and the per-connection ServerSession that speaks it over a Session
// (server/*.mdx, basic/lifecycle.mdx). Transports create one ServerSession per
// stdio process or per Streamable HTTP session via Server::connect.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "mcp/schema.hpp"
#include "mcp/session.hpp"
#include "mcp/tasks.hpp"
#include "mcp/types.hpp"

namespace mcp {

class ServerSession;

// ToolContext is what a tool handler sees: progress, logging, cancellation and
// the server→client requests the client declared it supports.
class ToolContext {
 public:
  ToolContext(ServerSession& session, RequestContext& request, std::string task_id = {})
      : session_(session), request_(request), task_id_(std::move(task_id)) {}

  std::stop_token stop_token() const { return request_.stop_token(); }
  // report_progress is a no-op unless the call carried a progressToken.
  void report_progress(double progress, std::optional<double> total = std::nullopt,
                       const std::string& message = {});
  // log writes to our own log and, at or above the client's chosen level, a
  // notifications/message related to this call.
  void log(LogLevel level, const std::string& message);
  // client_supports: "sampling", "elicitation", "roots" as the client declared.
  bool client_supports(std::string_view capability) const;
  // create_message / elicit send sampling/createMessage or elicitation/create
  // and wait for the answer; an Error when the client did not declare the
  // capability, timed out or refused.
  Result<Json> create_message(Json params,
                              std::chrono::milliseconds timeout = std::chrono::seconds(60));
  Result<Json> elicit(Json params, std::chrono::milliseconds timeout = std::chrono::seconds(300));

  ServerSession& session() { return session_; }
  RequestContext& request() { return request_; }
  // task_id names the task this call runs as (a task-augmented tools/call), empty otherwise.
  // Nobody waits on a task's call: a handler that returns early to spare a waiting client
  // (a "still running" handle) should run to completion instead, and stop when stop_token fires.
  const std::string& task_id() const { return task_id_; }

 private:
  ServerSession& session_;
  RequestContext& request_;
  std::string task_id_;
};

// A handler's Error becomes an isError result with the error's message: a tool
// failure the model can read, not a protocol error.
using ToolHandler = std::function<Result<ToolResult>(const Json& arguments, ToolContext& ctx)>;
// Readers return the "contents" array of resources/read.
using ResourceReader = std::function<Result<Json>(const std::string& uri)>;
using TemplateReader = std::function<Result<Json>(
    const std::string& uri, const std::map<std::string, std::string>& variables)>;
// PromptHandler returns a GetPromptResult ({description?, messages}).
using PromptHandler =
    std::function<Result<Json>(const std::map<std::string, std::string>& arguments)>;
// Completer returns candidate values for completion/complete.
using Completer = std::function<std::vector<std::string>(
    const Json& ref, const std::string& argument, const std::string& value)>;

struct ServerOptions {
  Implementation info;
  std::string instructions;
  std::size_t page_size = 100;  // items per tools/resources/prompts list page
  LogLevel default_log_level = LogLevel::kInfo;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // add_tool compiles the tool's schemas; Error when a schema is invalid or
  // the name is taken or not a valid tool name. Connected sessions are told
  // the list changed.
  Status add_tool(Tool tool, ToolHandler handler);
  bool remove_tool(const std::string& name);
  void add_resource(Resource resource, ResourceReader reader);
  void add_resource_template(ResourceTemplate resource_template, TemplateReader reader);
  void add_prompt(Prompt prompt, PromptHandler handler);
  void set_completer(Completer completer);
  // set_task_options sets the limits of each session's tasks (before any session connects).
  // The tasks capability is declared to a 2025-11-25 client when a tool registered before its
  // initialize has execution.taskSupport "optional" or "required".
  void set_task_options(TaskOptions options);
  TaskOptions task_options() const;

  // notify_resource_updated tells the sessions subscribed to `uri`.
  void notify_resource_updated(const std::string& uri);
  // broadcast sends a notification to every initialized session.
  void broadcast(std::string_view method, const Json& params);

  // connect creates a session that sends by default on `channel` and runs
  // handlers on `executor`. The Server must outlive its sessions.
  std::shared_ptr<ServerSession> connect(std::shared_ptr<Channel> channel, Executor& executor,
                                         std::string name = "client");

  const ServerOptions& options() const { return options_; }
  std::vector<Tool> tools() const;

 private:
  friend class ServerSession;
  struct ToolEntry;
  struct ResourceEntry;
  struct TemplateEntry;
  struct PromptEntry;

  void install(const std::shared_ptr<ServerSession>& session);
  std::vector<std::shared_ptr<ServerSession>> live_sessions();
  Result<Json> initialize(ServerSession& s, const Json& params);
  Result<Json> list_tools(const Json& params) const;
  Result<Json> call_tool(ServerSession& s, RequestContext& request);
  // run_tool validates the call's arguments, runs the handler and checks its output: the
  // CallToolResult of tools/call `params` (server_methods.cpp).
  Json run_tool(const ToolEntry& entry, const Json& params, ToolContext& ctx) const;
  // Tasks (server_tasks.cpp): call_tool_as_task answers a task-augmented call with the created
  // task and runs the tool in it; install_tasks registers tasks/{get,result,list,cancel}.
  Result<Json> call_tool_as_task(ServerSession& s, RequestContext& request,
                                 std::shared_ptr<const ToolEntry> entry);
  void install_tasks(ServerSession* s);
  bool any_tool_supports_tasks() const;
  Session::Dispatch tool_dispatch(const Json& params) const;
  Result<Json> list_resources(const Json& params) const;
  Result<Json> list_templates(const Json& params) const;
  Result<Json> read_resource(const Json& params) const;
  Result<Json> list_prompts(const Json& params) const;
  Result<Json> get_prompt(const Json& params) const;
  Result<Json> complete(const Json& params) const;
  Result<Json> paginate(const std::vector<Json>& items, const Json& params, const char* key) const;

  ServerOptions options_;
  mutable std::shared_mutex mu_;
  std::vector<std::shared_ptr<const ToolEntry>> tools_;
  std::vector<std::shared_ptr<const ResourceEntry>> resources_;
  std::vector<std::shared_ptr<const TemplateEntry>> templates_;
  std::vector<std::shared_ptr<const PromptEntry>> prompts_;
  Completer completer_;
  TaskOptions task_options_;
  std::vector<std::weak_ptr<ServerSession>> sessions_;
};

// ServerSession is one client connection's state: negotiated version, client
// capabilities, log level, resource subscriptions.
class ServerSession {
 public:
  ServerSession(Server& server, std::shared_ptr<Session> rpc);

  Session& rpc() { return *rpc_; }
  const std::shared_ptr<Session>& rpc_ptr() const { return rpc_; }
  Server& server() { return server_; }

  bool initialized() const;
  std::string protocol_version() const;
  Json client_capabilities() const;
  Json client_info() const;
  bool subscribed(const std::string& uri) const;

  // log sends notifications/message when `level` is at or above the level
  // the client set (logging/setLevel). Data is a string, which every client
  // shows (Cline drops object data).
  void log(LogLevel level, const std::string& logger, const std::string& data,
           const std::shared_ptr<Channel>& via = nullptr);
  // ping sends a ping to the client and waits for its answer.
  Status ping(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void close(const std::string& reason) { rpc_->close(reason); }
  // tasks_enabled: the tasks capability was declared to this client at initialize.
  bool tasks_enabled() const;
  TaskStore& tasks() { return *tasks_; }

 private:
  friend class Server;
  Server& server_;
  std::shared_ptr<Session> rpc_;
  mutable std::mutex mu_;
  bool initialized_ = false;
  std::string protocol_version_;
  Json client_capabilities_ = Json::object();
  Json client_info_ = Json::object();
  LogLevel log_level_;
  std::vector<std::string> subscriptions_;
  bool tasks_enabled_ = false;
  // Declared last, so destroyed first: running tasks are stopped and joined while the rest of
  // the session they use is still alive.
  std::unique_ptr<TaskStore> tasks_;
};

}  // namespace mcp
