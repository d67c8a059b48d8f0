// config.cpp — parsing mcpServers + the lmhunt section (config.hpp).
#include "tools/downstream/config.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "mcp/schema.hpp"
#include "tools/schemas.hpp"

namespace downstream {
namespace {

using Json = nlohmann::json;

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Ptr builds JSON pointers ("/mcpServers/secops/args/1") for error messages.
struct Ptr {
  std::string text;
  Ptr operator/(const std::string& token) const {
    return {text + "/" + escape_pointer_token(token)};
  }
  Ptr operator/(std::size_t index) const { return {text + "/" + std::to_string(index)}; }
};

mcp::Error config_error(const std::string& source, const Ptr& where, const std::string& reason) {
  return mcp::Error{kConfigError,
                    source + ": " + (where.text.empty() ? "/" : where.text) + ": " + reason};
}

// schema_path_to_pointer turns JsonSchema's "routes.search" / "admin_sources[2]" into
// "/routes/search" / "/admin_sources/2".
std::string schema_path_to_pointer(const std::string& path) {
  std::string out;
  std::string token;
  auto flush = [&] {
    if (!token.empty()) out += "/" + escape_pointer_token(token);
    token.clear();
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      flush();
    } else if (c == '[') {
      flush();
      const auto end = path.find(']', i);
      if (end == std::string::npos) break;
      out += "/" + path.substr(i + 1, end - i - 1);
      i = end;
    } else {
      token += c;
    }
  }
  flush();
  return out;
}

const char* type_name(const Json& j) {
  return j.type_name();
}

mcp::Result<std::string> read_string(const Json& value, const std::string& source, const Ptr& at) {
  if (!value.is_string())
    return config_error(source, at, std::string("must be a string, not ") + type_name(value));
  return value.get<std::string>();
}

mcp::Result<std::map<std::string, std::string>> read_string_map(const Json& value,
                                                                const std::string& source,
                                                                const Ptr& at,
                                                                const mcp::EnvLookup& lookup) {
  if (!value.is_object())
    return config_error(source, at, std::string("must be an object, not ") + type_name(value));
  std::map<std::string, std::string> out;
  for (const auto& [key, item] : value.items()) {
    auto text = read_string(item, source, at / key);
    if (!text) return text.error();
    out[key] = mcp::expand_env_refs(*text, lookup);
  }
  return out;
}

// normalise_type maps the transport names clients use onto ours; empty when unknown.
std::string normalise_type(const std::string& type) {
  if (type == "stdio") return "stdio";
  if (type == "sse") return "sse";
  if (type == "streamableHttp" || type == "streamable-http" || type == "http") {
    return "streamableHttp";
  }
  return "";
}

mcp::Status parse_server(const std::string& name, const Json& entry, const std::string& source,
                         const mcp::EnvLookup& lookup, ServerConfig& server) {
  const Ptr at = Ptr{} / "mcpServers" / name;
  if (!entry.is_object())
    return config_error(source, at, std::string("must be an object, not ") + type_name(entry));
  server.name = name;
  std::string declared_type;
  for (const auto& [key, value] : entry.items()) {
    const Ptr here = at / key;
    if (key == "type" || key == "transportType") {
      auto text = read_string(value, source, here);
      if (!text) return text.error();
      declared_type = normalise_type(*text);
      if (declared_type.empty())
        return config_error(source, here,
                            "unknown transport '" + *text + "' (use stdio, sse or streamableHttp)");
    } else if (key == "command") {
      auto text = read_string(value, source, here);
      if (!text) return text.error();
      server.command = mcp::expand_env_refs(*text, lookup);
    } else if (key == "args") {
      if (!value.is_array()) return config_error(source, here, "must be an array of strings");
      for (std::size_t i = 0; i < value.size(); ++i) {
        auto text = read_string(value[i], source, here / i);
        if (!text) return text.error();
        server.args.push_back(mcp::expand_env_refs(*text, lookup));
      }
    } else if (key == "cwd") {
      auto text = read_string(value, source, here);
      if (!text) return text.error();
      server.cwd = mcp::expand_env_refs(*text, lookup);
    } else if (key == "env" || key == "headers") {
      auto map = read_string_map(value, source, here, lookup);
      if (!map) return map.error();
      (key == "env" ? server.env : server.headers) = std::move(*map);
    } else if (key == "url") {
      auto text = read_string(value, source, here);
      if (!text) return text.error();
      server.url = mcp::expand_env_refs(*text, lookup);
    } else if (key == "timeout") {
      if (!value.is_number_integer() || value.get<long long>() < 1 ||
          value.get<long long>() > 86400)
        return config_error(source, here, "must be a whole number of seconds from 1 to 86400");
      server.timeout_seconds = value.get<int>();
    } else if (key == "disabled") {
      if (!value.is_boolean()) return config_error(source, here, "must be true or false");
      server.disabled = value.get<bool>();
    } else {
      spdlog::debug("{}: {}: ignored (not used by lmhunt)", source, here.text);
    }
  }
  if (declared_type.empty()) declared_type = server.url.empty() ? "stdio" : "sse";  // as Cline
  server.type = declared_type;
  if (server.type == "stdio" && server.command.empty())
    return config_error(source, at / "command", "a stdio server needs a command");
  if (server.type != "stdio" && server.url.rfind("http://", 0) != 0 &&
      server.url.rfind("https://", 0) != 0)
    return config_error(source, at / "url",
                        "a " + server.type + " server needs an http:// or https:// url");
  return mcp::Ok{};
}

void derive_identity(ServerConfig& server, const Json& overrides) {
  auto env = [&](const char* key) {
    auto it = server.env.find(key);
    return it == server.env.end() ? std::string() : it->second;
  };
  server.project_id = overrides.value("project_id", env("CHRONICLE_PROJECT_ID"));
  server.customer_id = overrides.value("customer_id", env("CHRONICLE_CUSTOMER_ID"));
  server.region = overrides.value("region", env("CHRONICLE_REGION"));
  if (server.project_id.empty()) {
    for (const auto& [key, value] : server.headers) {
      std::string lower = key;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "x-goog-user-project") server.project_id = value;
    }
  }
  static const std::regex regional(R"(://chronicle\.([a-z0-9-]+)\.rep\.googleapis\.com)");
  std::smatch m;
  if (server.region.empty() && std::regex_search(server.url, m, regional)) server.region = m[1];
}

mcp::Status parse_settings(const Json& section, const std::string& source,
                           const std::vector<ServerConfig>& servers, Settings& s) {
  static const auto schema = [] {
    auto json = tools::load_schema("lmhunt_config.schema.json");
    return json ? mcp::JsonSchema::compile(*json) : mcp::Result<mcp::JsonSchema>(json.error());
  }();
  if (!schema) return mcp::Error{kConfigError, "internal: " + schema.error().message};
  // valijson's propertyNames failure names no key; say which route key is unknown ourselves.
  const Json& names = schema->source()["properties"]["routes"]["propertyNames"]["enum"];
  if (section.is_object() && section.contains("routes") && section["routes"].is_object()) {
    for (const auto& [key, value] : section["routes"].items()) {
      if (std::find(names.begin(), names.end(), Json(key)) == names.end()) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n.get<std::string>();
        return config_error(source, Ptr{} / "lmhunt" / "routes" / key,
                            "unknown operation or role (known: " + known + ")");
      }
    }
  }
  if (auto problem = schema->validate(section)) {
    const auto colon = problem->find(": ");
    const std::string path = problem->substr(0, colon);
    const std::string reason = colon == std::string::npos ? *problem : problem->substr(colon + 2);
    return config_error(
        source, Ptr{"/lmhunt" + (path == "arguments" ? "" : schema_path_to_pointer(path))}, reason);
  }
  auto known = [&](const std::string& name) {
    for (const auto& server : servers)
      if (server.name == name) return true;
    return false;
  };
  const Ptr at = Ptr{} / "lmhunt";
  const Json routes = section.value("routes", Json::object());
  for (const auto& [op, server] : routes.items()) {
    if (!known(server.get<std::string>()))
      return config_error(source, at / "routes" / op,
                          "no server named '" + server.get<std::string>() + "' in mcpServers");
    s.routes[op] = server.get<std::string>();
  }
  const Json per_server = section.value("servers", Json::object());
  for (const auto& [name, value] : per_server.items()) {
    if (!known(name))
      return config_error(source, at / "servers" / name, "no server of that name in mcpServers");
  }
  s.concurrency = section.value("concurrency", s.concurrency);
  s.call_timeout_seconds = section.value("call_timeout_seconds", s.call_timeout_seconds);
  s.cold_start_timeout_seconds =
      section.value("cold_start_timeout_seconds", s.cold_start_timeout_seconds);
  s.admin_sources = section.value("admin_sources", s.admin_sources);
  s.spool_dir = section.value("spool_dir", s.spool_dir);
  s.research_cache_ttl_seconds =
      section.value("research_cache_ttl_seconds", s.research_cache_ttl_seconds);
  s.max_events_per_query = section.value("max_events_per_query", s.max_events_per_query);
  const Json retry = section.value("retry", Json::object());
  s.retry.max_attempts = retry.value("max_attempts", s.retry.max_attempts);
  s.retry.initial_backoff_ms = retry.value("initial_backoff_ms", s.retry.initial_backoff_ms);
  s.retry.max_backoff_ms = retry.value("max_backoff_ms", s.retry.max_backoff_ms);
  const Json restart = section.value("restart", Json::object());
  s.restart.initial_backoff_ms = restart.value("initial_backoff_ms", s.restart.initial_backoff_ms);
  s.restart.max_backoff_ms = restart.value("max_backoff_ms", s.restart.max_backoff_ms);
  return mcp::Ok{};
}

bool mentions_secops_mcp(const std::string& text) {
  return text.find("secops_mcp") != std::string::npos ||
         text.find("google-secops-mcp") != std::string::npos;
}

}  // namespace

mcp::Result<Config> parse_config(const Json& document, const std::string& source,
                                 const mcp::EnvLookup& lookup) {
  if (!document.is_object())
    return config_error(source, Ptr{},
                        std::string("must be an object, not ") + type_name(document));
  Config config;
  config.path = source;
  for (const auto& [key, value] : document.items()) {
    if (key != "mcpServers" && key != "lmhunt")
      spdlog::debug("{}: /{}: ignored (not used by lmhunt)", source, key);
  }
  const auto servers = document.find("mcpServers");
  if (servers == document.end())
    return config_error(source, Ptr{} / "mcpServers", "missing (the servers lmhunt may call)");
  if (!servers->is_object())
    return config_error(source, Ptr{} / "mcpServers", "must be an object of named servers");
  for (const auto& [name, entry] : servers->items()) {
    ServerConfig server;
    if (auto ok = parse_server(name, entry, source, lookup, server); !ok) return ok.error();
    config.servers.push_back(std::move(server));
  }
  const Json section = document.value("lmhunt", Json::object());
  if (auto ok = parse_settings(section, source, config.servers, config.settings); !ok)
    return ok.error();
  const Json per_server = section.value("servers", Json::object());
  for (auto& server : config.servers)
    derive_identity(server, per_server.value(server.name, Json::object()));
  return config;
}

mcp::Result<Config> load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) return mcp::Error{kConfigError, path + ": cannot be read"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json document;
  try {
    document = Json::parse(buffer.str());
  } catch (const Json::parse_error& e) {
    return mcp::Error{kConfigError, path + ": not valid JSON: " + e.what()};
  }
  return parse_config(document, path);
}

std::optional<std::string> secops_refusal(const ServerConfig& server, bool looks_like_secops) {
  bool secops = looks_like_secops || mentions_secops_mcp(server.command);
  for (const auto& arg : server.args) secops = secops || mentions_secops_mcp(arg);
  if (!secops) return std::nullopt;
  std::vector<std::string> missing;
  for (const char* key : {"CHRONICLE_PROJECT_ID", "CHRONICLE_CUSTOMER_ID"}) {
    auto it = server.env.find(key);
    if (it == server.env.end() || it->second.empty()) missing.push_back(key);
  }
  if (missing.empty()) return std::nullopt;
  std::string names = missing[0];
  if (missing.size() > 1) names += " and " + missing[1];
  return "secops-mcp server '" + server.name + "' has no " + names +
         " in its env; secops-mcp would silently use Google's built-in fallback tenant, so "
         "lmhunt refuses to call it";
}

std::optional<std::string> config_path_from_env() {
  const char* value = std::getenv("LMHUNT_CONFIG");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace downstream
