#include "mcp/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <regex>

#include "mcp/server_internal.hpp"

namespace mcp {

Server::Server(ServerOptions options) : options_(std::move(options)) {}

Server::~Server() = default;

namespace {
// Tool names: 1–128 characters of [A-Za-z0-9_.-] (server/tools.mdx, 2025-11-25).
bool valid_tool_name(const std::string& name) {
  static const std::regex pattern("[A-Za-z0-9_.-]{1,128}");
  return std::regex_match(name, pattern);
}
}  // namespace

Status Server::add_tool(Tool tool, ToolHandler handler) {
  if (!valid_tool_name(tool.name)) {
    return invalid_params("invalid tool name '" + tool.name + "'");
  }
  auto input = JsonSchema::compile(tool.input_schema);
  if (!input)
    return Error{input.error().code, tool.name + " inputSchema: " + input.error().message};
  std::optional<JsonSchema> output;
  if (!tool.output_schema.is_null()) {
    auto compiled = JsonSchema::compile(tool.output_schema);
    if (!compiled) {
      return Error{compiled.error().code, tool.name + " outputSchema: " + compiled.error().message};
    }
    output = std::move(compiled.value());
  }
  auto entry = std::make_shared<ToolEntry>(
      ToolEntry{std::move(tool), std::move(input.value()), std::move(output), std::move(handler)});
  {
    std::unique_lock lock(mu_);
    for (const auto& t : tools_) {
      if (t->tool.name == entry->tool.name) {
        return invalid_params("tool '" + entry->tool.name + "' is already registered");
      }
    }
    tools_.push_back(std::move(entry));
  }
  broadcast("notifications/tools/list_changed", nullptr);
  return Ok{};
}

bool Server::remove_tool(const std::string& name) {
  bool removed = false;
  {
    std::unique_lock lock(mu_);
    auto it = std::remove_if(tools_.begin(), tools_.end(),
                             [&](const auto& t) { return t->tool.name == name; });
    removed = it != tools_.end();
    tools_.erase(it, tools_.end());
  }
  if (removed) broadcast("notifications/tools/list_changed", nullptr);
  return removed;
}

void Server::add_resource(Resource resource, ResourceReader reader) {
  {
    std::unique_lock lock(mu_);
    resources_.push_back(
        std::make_shared<ResourceEntry>(ResourceEntry{std::move(resource), std::move(reader)}));
  }
  broadcast("notifications/resources/list_changed", nullptr);
}

void Server::add_resource_template(ResourceTemplate resource_template, TemplateReader reader) {
  std::unique_lock lock(mu_);
  templates_.push_back(std::make_shared<TemplateEntry>(
      TemplateEntry{std::move(resource_template), std::move(reader)}));
}

void Server::add_prompt(Prompt prompt, PromptHandler handler) {
  {
    std::unique_lock lock(mu_);
    prompts_.push_back(
        std::make_shared<PromptEntry>(PromptEntry{std::move(prompt), std::move(handler)}));
  }
  broadcast("notifications/prompts/list_changed", nullptr);
}

void Server::set_completer(Completer completer) {
  std::unique_lock lock(mu_);
  completer_ = std::move(completer);
}

void Server::set_task_options(TaskOptions options) {
  std::unique_lock lock(mu_);
  task_options_ = std::move(options);
}

TaskOptions Server::task_options() const {
  std::shared_lock lock(mu_);
  return task_options_;
}

std::vector<Tool> Server::tools() const {
  std::shared_lock lock(mu_);
  std::vector<Tool> out;
  for (const auto& t : tools_) out.push_back(t->tool);
  return out;
}

std::vector<std::shared_ptr<ServerSession>> Server::live_sessions() {
  std::vector<std::shared_ptr<ServerSession>> live;
  std::unique_lock lock(mu_);
  std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
  for (const auto& w : sessions_) {
    if (auto s = w.lock()) live.push_back(std::move(s));
  }
  return live;
}

void Server::broadcast(std::string_view method, const Json& params) {
  for (const auto& s : live_sessions()) {
    if (s->initialized()) s->rpc().notify(method, params);
  }
}

void Server::notify_resource_updated(const std::string& uri) {
  for (const auto& s : live_sessions()) {
    if (s->subscribed(uri)) s->rpc().notify("notifications/resources/updated", {{"uri", uri}});
  }
}

std::shared_ptr<ServerSession> Server::connect(std::shared_ptr<Channel> channel, Executor& executor,
                                               std::string name) {
  auto rpc = std::make_shared<Session>(std::move(name), executor);
  rpc->set_default_channel(std::move(channel));
  auto session = std::make_shared<ServerSession>(*this, std::move(rpc));
  install(session);
  std::unique_lock lock(mu_);
  std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
  sessions_.push_back(session);
  return session;
}

void Server::install(const std::shared_ptr<ServerSession>& session) {
  Session& rpc = session->rpc();
  ServerSession* s = session.get();  // the Session's handlers live no longer than s
  using D = Session::Dispatch;

  rpc.set_gate([s](const jsonrpc::Message& m) -> std::optional<Error> {
    const bool ready = s->initialized();
    if (m.method == "initialize" && ready) {
      return Error{jsonrpc::kInvalidRequest, "Invalid Request: Server already initialized",
                   nullptr};
    }
    if (!ready && m.method != "initialize" && m.method != "ping") {
      return Error{jsonrpc::kInvalidRequest, "Invalid Request: Server not initialized", nullptr};
    }
    return std::nullopt;
  });
  rpc.on_request(
      "initialize", [this, s](RequestContext& r) { return initialize(*s, r.params()); },
      D::kInline);
  rpc.on_request(
      "ping", [](RequestContext&) -> Result<Json> { return Json::object(); }, D::kInline);
  rpc.on_notification("notifications/initialized", [](const Json&) {});
  rpc.on_request(
      "tools/list", [this](RequestContext& r) { return list_tools(r.params()); }, D::kInline);
  rpc.on_request(
      "tools/call", [this, s](RequestContext& r) { return call_tool(*s, r); },
      [this](const Json& params) { return tool_dispatch(params); });
  rpc.on_request(
      "resources/list", [this](RequestContext& r) { return list_resources(r.params()); },
      D::kInline);
  rpc.on_request(
      "resources/templates/list", [this](RequestContext& r) { return list_templates(r.params()); },
      D::kInline);
  rpc.on_request("resources/read", [this](RequestContext& r) { return read_resource(r.params()); });
  auto subscription = [s](bool subscribe) {
    return [s, subscribe](RequestContext& r) -> Result<Json> {
      const Json& p = r.params();
      if (!p.contains("uri") || !p["uri"].is_string()) {
        return invalid_params("Invalid params: uri must be a string");
      }
      std::lock_guard lock(s->mu_);
      auto& subs = s->subscriptions_;
      auto uri = p["uri"].get<std::string>();
      std::erase(subs, uri);
      if (subscribe) subs.push_back(uri);
      return Json::object();
    };
  };
  rpc.on_request("resources/subscribe", subscription(true));
  rpc.on_request("resources/unsubscribe", subscription(false));
  rpc.on_request(
      "prompts/list", [this](RequestContext& r) { return list_prompts(r.params()); }, D::kInline);
  rpc.on_request("prompts/get", [this](RequestContext& r) { return get_prompt(r.params()); });
  rpc.on_request(
      "completion/complete", [this](RequestContext& r) { return complete(r.params()); },
      D::kInline);
  rpc.on_request(
      "logging/setLevel",
      [s](RequestContext& r) -> Result<Json> {
        const Json& p = r.params();
        LogLevel level{};
        if (!p.contains("level") || !p["level"].is_string() ||
            !parse_log_level(p["level"].get<std::string>(), level)) {
          return invalid_params(
              "Invalid params: level must be one of debug, info, notice, "
              "warning, error, critical, alert, emergency");
        }
        std::lock_guard lock(s->mu_);
        s->log_level_ = level;
        return Json::object();
      },
      D::kInline);
  install_tasks(s);
}

Session::Dispatch Server::tool_dispatch(const Json& params) const {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string())
    return Session::Dispatch::kInline;  // refused at once
  std::shared_lock lock(mu_);
  for (const auto& t : tools_) {
    if (t->tool.name == *name) {
      return t->tool.run_inline ? Session::Dispatch::kInline : Session::Dispatch::kPool;
    }
  }
  return Session::Dispatch::kInline;  // unknown tool: answered at once
}

Result<Json> Server::initialize(ServerSession& s, const Json& params) {
  if (!params.contains("protocolVersion") || !params["protocolVersion"].is_string()) {
    return invalid_params("Invalid params: protocolVersion must be a string");
  }
  if (params.contains("capabilities") && !params["capabilities"].is_object()) {
    return invalid_params("Invalid params: capabilities must be an object");
  }
  const auto requested = params["protocolVersion"].get<std::string>();
  const auto version = negotiate_protocol_version(requested);
  // Tasks came with 2025-11-25: an older client is not offered them (nor its task metadata read).
  const bool tasks = version >= std::string("2025-11-25") && any_tool_supports_tasks();
  {
    std::lock_guard lock(s.mu_);
    s.initialized_ = true;
    s.tasks_enabled_ = tasks;
    s.protocol_version_ = version;
    s.client_capabilities_ = params.value("capabilities", Json::object());
    s.client_info_ = params.value("clientInfo", Json::object());
  }
  spdlog::info("[{}] initialized: client {} requested {}, speaking {}", s.rpc().name(),
               s.client_info().value("name", std::string("?")), requested, version);
  Json result = {{"protocolVersion", version},
                 {"capabilities",
                  {{"tools", {{"listChanged", true}}},
                   {"resources", {{"subscribe", true}, {"listChanged", true}}},
                   {"prompts", {{"listChanged", true}}},
                   {"logging", Json::object()},
                   {"completions", Json::object()}}},
                 {"serverInfo", options_.info.to_json()}};
  if (tasks) {
    result["capabilities"]["tasks"] = {{"list", Json::object()},
                                       {"cancel", Json::object()},
                                       {"requests", {{"tools", {{"call", Json::object()}}}}}};
  }
  if (!options_.instructions.empty()) result["instructions"] = options_.instructions;
  return result;
}

// --- ServerSession ------------------------------------------------------------

ServerSession::ServerSession(Server& server, std::shared_ptr<Session> rpc)
    : server_(server), rpc_(std::move(rpc)), log_level_(server.options().default_log_level) {
  // Status changes go to the client as notifications/tasks/status (optional in the spec, and
  // cheap), on the session's default channel: the call that created the task has been answered.
  tasks_ = std::make_unique<TaskStore>(server.task_options(), [this](const Json& task) {
    if (initialized()) rpc_->notify("notifications/tasks/status", task);
  });
}

bool ServerSession::initialized() const {
  std::lock_guard lock(mu_);
  return initialized_;
}

std::string ServerSession::protocol_version() const {
  std::lock_guard lock(mu_);
  return protocol_version_;
}

Json ServerSession::client_capabilities() const {
  std::lock_guard lock(mu_);
  return client_capabilities_;
}

Json ServerSession::client_info() const {
  std::lock_guard lock(mu_);
  return client_info_;
}

bool ServerSession::tasks_enabled() const {
  std::lock_guard lock(mu_);
  return tasks_enabled_;
}

bool ServerSession::subscribed(const std::string& uri) const {
  std::lock_guard lock(mu_);
  return std::find(subscriptions_.begin(), subscriptions_.end(), uri) != subscriptions_.end();
}

void ServerSession::log(LogLevel level, const std::string& logger, const std::string& data,
                        const std::shared_ptr<Channel>& via) {
  {
    std::lock_guard lock(mu_);
    if (!initialized_ || level < log_level_) return;
  }
  Json params = {{"level", to_string(level)}, {"data", data}};
  if (!logger.empty()) params["logger"] = logger;
  rpc_->notify("notifications/message", std::move(params), via);
}

Status ServerSession::ping(std::chrono::milliseconds timeout) {
  return rpc_->ping(timeout);
}

}  // namespace mcp
