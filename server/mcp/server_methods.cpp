// The list/read/get/call/complete methods of Server (server/{tools,resources,
// prompts}.mdx, server/utilities/{pagination,completion}.mdx).
#include <spdlog/spdlog.h>

#include "mcp/server.hpp"
#include "mcp/server_internal.hpp"

namespace mcp {

bool match_uri_template(const std::string& uri_template, const std::string& uri,
                        std::map<std::string, std::string>& variables) {
  std::size_t t = 0;
  std::size_t u = 0;
  variables.clear();
  while (t < uri_template.size()) {
    if (uri_template[t] != '{') {
      if (u >= uri.size() || uri[u] != uri_template[t]) return false;
      ++t;
      ++u;
      continue;
    }
    auto close = uri_template.find('}', t);
    if (close == std::string::npos) return false;
    std::string name = uri_template.substr(t + 1, close - t - 1);
    t = close + 1;
    // A variable runs to the next literal character of the template, and
    // never across '/'.
    const char stop = t < uri_template.size() ? uri_template[t] : '\0';
    std::size_t end = u;
    while (end < uri.size() && uri[end] != '/' && (stop == '\0' || uri[end] != stop)) ++end;
    if (end == u) return false;
    variables[name] = uri.substr(u, end - u);
    u = end;
  }
  return u == uri.size();
}

Result<Json> Server::paginate(const std::vector<Json>& items, const Json& params,
                              const char* key) const {
  std::size_t offset = 0;
  if (params.contains("cursor") && !params["cursor"].is_null()) {
    const Json& cursor = params["cursor"];
    bool valid = cursor.is_string();
    if (valid) {
      const auto& text = cursor.get_ref<const std::string&>();
      valid = text.size() > 1 && text.size() < 20 && text[0] == 'p' &&
              text.find_first_not_of("0123456789", 1) == std::string::npos;
      if (valid) offset = std::stoull(text.substr(1));
      valid = valid && offset > 0 && offset < items.size();
    }
    if (!valid) return invalid_params("Invalid params: unknown cursor");
  }
  const std::size_t end = std::min(items.size(), offset + options_.page_size);
  Json page = Json::array();
  for (std::size_t i = offset; i < end; ++i) page.push_back(items[i]);
  Json result = {{key, std::move(page)}};
  if (end < items.size()) {
    std::string cursor = "p";  // built in two steps: GCC 12 -O3 -Wrestrict misfires on "p" + string
    cursor += std::to_string(end);
    result["nextCursor"] = std::move(cursor);
  }
  return result;
}

Result<Json> Server::list_tools(const Json& params) const {
  std::vector<Json> items;
  {
    std::shared_lock lock(mu_);
    for (const auto& t : tools_) items.push_back(t->tool.to_json());
  }
  return paginate(items, params, "tools");
}

Result<Json> Server::call_tool(ServerSession& s, RequestContext& request) {
  const Json& params = request.params();
  if (!params.contains("name") || !params["name"].is_string()) {
    return invalid_params("Invalid params: name must be a string");
  }
  const auto name = params["name"].get<std::string>();
  std::shared_ptr<const ToolEntry> entry;
  {
    std::shared_lock lock(mu_);
    for (const auto& t : tools_) {
      if (t->tool.name == name) entry = t;
    }
  }
  if (!entry) return invalid_params("Unknown tool: " + name);
  const Json& execution = entry->tool.execution;
  const bool task = params.contains("task") && !params["task"].is_null();
  if (execution.is_object() && execution.value("taskSupport", "") == "required" && !task) {
    return Error{jsonrpc::kMethodNotFound, "Tool " + name + " must be called as a task", nullptr};
  }
  // A session that was not offered tasks has its task metadata ignored (tasks.mdx).
  if (task && s.tasks_enabled()) return call_tool_as_task(s, request, std::move(entry));
  ToolContext ctx(s, request);
  return run_tool(*entry, params, ctx);
}

Json Server::run_tool(const ToolEntry& entry, const Json& params, ToolContext& ctx) const {
  const std::string& name = entry.tool.name;
  static const Json kNoArguments = Json::object();
  auto given = params.find("arguments");
  const Json& arguments = given != params.end() && !given->is_null() ? *given : kNoArguments;
  if (!arguments.is_object()) {
    return ToolResult::error("Invalid arguments for tool " + name + ": arguments must be an object")
        .to_json();
  }
  if (auto problem = entry.input.validate(arguments)) {
    return ToolResult::error("Invalid arguments for tool " + name + ": " + *problem).to_json();
  }

  Result<ToolResult> result = Error{};
  try {
    result = entry.handler(arguments, ctx);
  } catch (const std::exception& e) {
    spdlog::error("tool {} threw: {}", name, e.what());
    return ToolResult::error("Tool " + name + " failed with an internal error").to_json();
  }
  if (!result) return ToolResult::error(result.error().message).to_json();
  ToolResult& out = result.value();
  if (entry.output && !out.is_error) {
    // A declared outputSchema obliges us to return conforming structuredContent
    // (server/tools.mdx "Structured Content"); a mismatch is our bug, reported
    // honestly rather than sent on.
    const char* why = out.structured.is_object() ? nullptr : "no structuredContent";
    std::optional<std::string> problem;
    if (!why) problem = entry.output->validate(out.structured);
    if (why || problem) {
      const std::string detail = why ? why : *problem;
      spdlog::error("tool {} broke its outputSchema: {}", name, detail);
      return ToolResult::error("Tool " + name + " produced invalid output: " + detail).to_json();
    }
  }
  return std::move(out).to_json();
}

Result<Json> Server::list_resources(const Json& params) const {
  std::vector<Json> items;
  {
    std::shared_lock lock(mu_);
    for (const auto& r : resources_) items.push_back(r->resource.to_json());
  }
  return paginate(items, params, "resources");
}

Result<Json> Server::list_templates(const Json& params) const {
  std::vector<Json> items;
  {
    std::shared_lock lock(mu_);
    for (const auto& t : templates_) items.push_back(t->resource_template.to_json());
  }
  return paginate(items, params, "resourceTemplates");
}

Result<Json> Server::read_resource(const Json& params) const {
  if (!params.contains("uri") || !params["uri"].is_string()) {
    return invalid_params("Invalid params: uri must be a string");
  }
  const auto uri = params["uri"].get<std::string>();
  ResourceReader reader;
  TemplateReader template_reader;
  std::map<std::string, std::string> variables;
  {
    std::shared_lock lock(mu_);
    for (const auto& r : resources_) {
      if (r->resource.uri == uri) reader = r->reader;
    }
    if (!reader) {
      for (const auto& t : templates_) {
        if (match_uri_template(t->resource_template.uri_template, uri, variables)) {
          template_reader = t->reader;
          break;
        }
      }
    }
  }
  Result<Json> contents = Error{jsonrpc::kResourceNotFound, "Resource not found", {{"uri", uri}}};
  if (reader) contents = reader(uri);
  if (template_reader) contents = template_reader(uri, variables);
  if (!contents) return contents.error();
  return Json{{"contents", std::move(contents.value())}};
}

Result<Json> Server::list_prompts(const Json& params) const {
  std::vector<Json> items;
  {
    std::shared_lock lock(mu_);
    for (const auto& p : prompts_) items.push_back(p->prompt.to_json());
  }
  return paginate(items, params, "prompts");
}

Result<Json> Server::get_prompt(const Json& params) const {
  if (!params.contains("name") || !params["name"].is_string()) {
    return invalid_params("Invalid params: name must be a string");
  }
  const auto name = params["name"].get<std::string>();
  std::shared_ptr<const PromptEntry> entry;
  {
    std::shared_lock lock(mu_);
    for (const auto& p : prompts_) {
      if (p->prompt.name == name) entry = p;
    }
  }
  if (!entry) return invalid_params("Unknown prompt: " + name);
  std::map<std::string, std::string> arguments;
  if (params.contains("arguments") && !params["arguments"].is_null()) {
    if (!params["arguments"].is_object()) {
      return invalid_params("Invalid params: arguments must be an object");
    }
    for (const auto& [key, value] : params["arguments"].items()) {
      if (!value.is_string())
        return invalid_params("Invalid params: argument " + key + " must be a string");
      arguments[key] = value.get<std::string>();
    }
  }
  for (const auto& a : entry->prompt.arguments) {
    if (a.required && !arguments.count(a.name)) {
      return invalid_params("Invalid params: missing required argument " + a.name);
    }
  }
  return entry->handler(arguments);
}

Result<Json> Server::complete(const Json& params) const {
  const Json ref = params.value("ref", Json());
  const Json argument = params.value("argument", Json());
  if (!ref.is_object() || !ref.contains("type") || !ref["type"].is_string()) {
    return invalid_params("Invalid params: ref must be an object with a type");
  }
  const auto type = ref["type"].get<std::string>();
  if (type != "ref/prompt" && type != "ref/resource") {
    return invalid_params("Invalid params: ref.type must be ref/prompt or ref/resource");
  }
  if (!argument.is_object() || !argument.contains("name") || !argument["name"].is_string()) {
    return invalid_params("Invalid params: argument must be an object with a name");
  }
  Completer completer;
  {
    std::shared_lock lock(mu_);
    completer = completer_;
  }
  std::vector<std::string> values;
  if (completer) {
    values = completer(ref, argument["name"].get<std::string>(), argument.value("value", ""));
  }
  constexpr std::size_t kMaxValues = 100;  // the spec's cap per response
  const bool more = values.size() > kMaxValues;
  const std::size_t total = values.size();
  if (more) values.resize(kMaxValues);
  return Json{{"completion", {{"values", values}, {"total", total}, {"hasMore", more}}}};
}

// --- ToolContext ---------------------------------------------------------------

void ToolContext::report_progress(double progress, std::optional<double> total,
                                  const std::string& message) {
  request_.report_progress(progress, total, message);
}

void ToolContext::log(LogLevel level, const std::string& message) {
  static constexpr spdlog::level::level_enum kSpd[] = {
      spdlog::level::debug,    spdlog::level::info,    spdlog::level::info,
      spdlog::level::warn,     spdlog::level::err,     spdlog::level::critical,
      spdlog::level::critical, spdlog::level::critical};
  spdlog::log(kSpd[static_cast<int>(level)], "[{}] {}", session_.rpc().name(), message);
  session_.log(level, "", message, request_.channel());
}

bool ToolContext::client_supports(std::string_view capability) const {
  const Json caps = session_.client_capabilities();
  return caps.contains(std::string(capability)) && caps[std::string(capability)].is_object();
}

Result<Json> ToolContext::create_message(Json params, std::chrono::milliseconds timeout) {
  if (!client_supports("sampling")) {
    return Error{jsonrpc::kMethodNotFound, "The client does not support sampling", nullptr};
  }
  CallOptions options;
  options.timeout = timeout;
  return request_.request("sampling/createMessage", std::move(params), std::move(options));
}

Result<Json> ToolContext::elicit(Json params, std::chrono::milliseconds timeout) {
  if (!client_supports("elicitation")) {
    return Error{jsonrpc::kMethodNotFound, "The client does not support elicitation", nullptr};
  }
  CallOptions options;
  options.timeout = timeout;
  return request_.request("elicitation/create", std::move(params), std::move(options));
}

}  // namespace mcp
