#include "mcp/client.hpp"

#include <spdlog/spdlog.h>

#include <set>

namespace mcp {

namespace {

spdlog::level::level_enum spdlog_level(const std::string& mcp_level) {
  LogLevel level = LogLevel::kInfo;
  if (!parse_log_level(mcp_level, level)) return spdlog::level::info;
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
    case LogLevel::kNotice:
      return spdlog::level::info;
    case LogLevel::kWarning:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    default:
      return spdlog::level::critical;
  }
}

std::string string_field(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string joined_versions() {
  std::string out;
  for (const auto& v : supported_protocol_versions()) out += (out.empty() ? "" : ", ") + v;
  return out;
}

}  // namespace

Result<Tool> parse_tool(const Json& json) {
  if (!json.is_object() || !json.contains("name") || !json["name"].is_string()) {
    return Error{jsonrpc::kInternalError, "tools/list entry without a string name", json};
  }
  Tool tool;
  tool.name = json["name"].get<std::string>();
  tool.title = string_field(json, "title");
  tool.description = string_field(json, "description");
  if (json.contains("inputSchema") && json["inputSchema"].is_object()) {
    tool.input_schema = json["inputSchema"];
  }
  tool.output_schema = json.value("outputSchema", Json());
  tool.annotations = json.value("annotations", Json());
  tool.execution = json.value("execution", Json());
  return tool;
}

Client::Client(std::shared_ptr<Session> session) : session_(std::move(session)) {
  session_->on_request(
      "ping", [](RequestContext&) -> Result<Json> { return Json::object(); },
      Session::Dispatch::kInline);
  session_->on_notification("notifications/message", [name = session_->name()](const Json& p) {
    if (!p.is_object()) return;
    const auto level = spdlog_level(string_field(p, "level"));
    const Json data = p.value("data", Json());
    const std::string text = data.is_string() ? data.get<std::string>() : data.dump();
    const std::string logger = string_field(p, "logger");
    if (logger.empty()) {
      spdlog::log(level, "[{}] {}", name, text);
    } else {
      spdlog::log(level, "[{}] {}: {}", name, logger, text);
    }
  });
}

Result<InitializeResult> Client::initialize(const ClientInfo& info,
                                            std::chrono::milliseconds timeout) {
  CallOptions options;
  options.timeout = timeout;
  Json params = {
      {"protocolVersion", std::string(kLatestProtocolVersion)},
      {"capabilities", info.capabilities.is_object() ? info.capabilities : Json::object()},
      {"clientInfo", info.implementation.to_json()}};
  auto answer = session_->call("initialize", std::move(params), std::move(options));
  if (!answer) {
    Error e = answer.error();
    e.message = "initialize failed: " + e.message;
    return e;
  }
  const Json& r = answer.value();
  if (!r.is_object() || !r.contains("protocolVersion") || !r["protocolVersion"].is_string()) {
    return Error{jsonrpc::kInternalError,
                 "initialize failed: server '" + name() + "' sent no protocolVersion", r};
  }
  InitializeResult result;
  result.protocol_version = r["protocolVersion"].get<std::string>();
  if (!is_supported_protocol_version(result.protocol_version)) {
    spdlog::error("[{}] unsupported protocol version {}", name(), result.protocol_version);
    return Error{
        jsonrpc::kInvalidParams,
        "initialize failed: server '" + name() + "' answered protocol version \"" +
            result.protocol_version +
            "\", which we do not support (supported: " + joined_versions() + ")",
        Json{{"supported", supported_protocol_versions()}, {"received", result.protocol_version}}};
  }
  if (r.contains("serverInfo") && r["serverInfo"].is_object()) {
    const Json& s = r["serverInfo"];
    result.server_info = {string_field(s, "name"), string_field(s, "version"),
                          string_field(s, "title")};
  }
  if (r.contains("capabilities") && r["capabilities"].is_object()) {
    result.capabilities = r["capabilities"];
  }
  result.instructions = string_field(r, "instructions");
  {
    std::lock_guard lock(mu_);
    initialized_ = true;
    server_ = result;
  }
  session_->notify("notifications/initialized", nullptr);
  spdlog::info("[{}] initialized: {} {} speaking {}", name(), result.server_info.name,
               result.server_info.version, result.protocol_version);
  return result;
}

Result<std::vector<Tool>> Client::list_tools(std::chrono::milliseconds timeout,
                                             std::stop_token stop) {
  if (auto s = require_initialized("tools/list"); !s) return s.error();
  std::vector<Tool> tools;
  std::set<std::string> seen_cursors;
  Json cursor;  // null on the first page
  for (std::size_t page = 0; page < kMaxListPages; ++page) {
    CallOptions options;
    options.timeout = timeout;
    options.stop = stop;
    Json params = Json::object();
    if (!cursor.is_null()) params["cursor"] = cursor;
    auto r = session_->call("tools/list", std::move(params), std::move(options));
    if (!r) return r.error();
    const Json& result = r.value();
    if (!result.is_object() || !result.contains("tools") || !result["tools"].is_array()) {
      return Error{jsonrpc::kInternalError, "tools/list: result has no tools array", result};
    }
    for (const auto& entry : result["tools"]) {
      auto tool = parse_tool(entry);
      if (!tool) {
        spdlog::warn("[{}] skipped a tool: {}", name(), tool.error().message);
        continue;
      }
      tools.push_back(std::move(tool.value()));
    }
    auto next = result.find("nextCursor");
    if (next == result.end() || next->is_null()) return tools;
    if (!next->is_string()) {
      return Error{jsonrpc::kInternalError, "tools/list: nextCursor is not a string", *next};
    }
    if (!seen_cursors.insert(next->get<std::string>()).second) {
      return Error{jsonrpc::kInternalError,
                   "tools/list: server '" + name() + "' repeated cursor " + next->dump(), *next};
    }
    cursor = *next;
  }
  return Error{jsonrpc::kInternalError, "tools/list: server '" + name() + "' sent more than " +
                                            std::to_string(kMaxListPages) + " pages"};
}

Result<Json> Client::call_tool(const std::string& tool, Json arguments, CallOptions options) {
  if (auto s = require_initialized("tools/call"); !s) return s.error();
  if (arguments.is_null()) arguments = Json::object();
  auto r = session_->call("tools/call", {{"name", tool}, {"arguments", std::move(arguments)}},
                          std::move(options));
  if (!r) return r;
  if (!r.value().is_object()) {
    return Error{jsonrpc::kInternalError, "tools/call " + tool + ": result is not an object",
                 r.value()};
  }
  return r;
}

Status Client::ping(std::chrono::milliseconds timeout) {
  return session_->ping(timeout);
}

bool Client::initialized() const {
  std::lock_guard lock(mu_);
  return initialized_;
}

InitializeResult Client::server() const {
  std::lock_guard lock(mu_);
  return server_;
}

std::string Client::protocol_version() const {
  std::lock_guard lock(mu_);
  return server_.protocol_version;
}

Status Client::require_initialized(std::string_view what) const {
  if (initialized()) return Ok{};
  return Error{jsonrpc::kInvalidRequest,
               std::string(what) + ": client for '" + name() + "' is not initialized"};
}

}  // namespace mcp
