// config.hpp — the downstream configuration: Cline / Claude Desktop `mcpServers` plus our own
// optional `lmhunt` section (schemas/lmhunt_config.schema.json, docs/configuration.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcp/result.hpp"
#include "mcp/transport_child.hpp"

namespace downstream {

// ServerConfig is one mcpServers entry. ${env:VAR} references in env, args, url and headers are
// expanded when the file is parsed (from our own environment).
struct ServerConfig {
  std::string name;
  std::string type;  // "stdio" | "sse" | "streamableHttp"
  std::string command;
  std::vector<std::string> args;
  std::string cwd;
  std::map<std::string, std::string> env;
  std::string url;
  std::map<std::string, std::string> headers;
  std::optional<int> timeout_seconds;  // Cline's per-server "timeout"
  bool disabled = false;
  // From lmhunt.servers.<name>, else derived (see remote_identity in connections): the
  // arguments every call to Google's remote server carries.
  std::string project_id, customer_id, region;
};

struct RetrySettings {
  int max_attempts = 4;  // first try included
  int initial_backoff_ms = 500;
  int max_backoff_ms = 8000;
};

struct RestartSettings {
  int initial_backoff_ms = 1000;
  int max_backoff_ms = 60000;
};

// Settings is the `lmhunt` section; every key is optional.
struct Settings {
  // routes: operation ("search", "post_comment", …) or role ("siem", "threat_intel", "soar")
  // → configured server name. An operation route beats a role route; both beat discovery.
  std::map<std::string, std::string> routes;
  int concurrency = 8;
  int call_timeout_seconds = 60;
  int cold_start_timeout_seconds = 120;
  std::vector<std::string> admin_sources;
  std::string spool_dir;
  int research_cache_ttl_seconds = 3600;
  int max_events_per_query = 200;
  RetrySettings retry;
  RestartSettings restart;
};

struct Config {
  std::string path;  // where it was read from ("" when built in memory)
  std::vector<ServerConfig> servers;
  Settings settings;
};

// kConfigError is the mcp::Error code of every configuration error.
inline constexpr int kConfigError = -41100;

// load_config reads and parses a file. Errors read "<file>: <json pointer>: <reason>".
mcp::Result<Config> load_config(const std::string& path);

// parse_config parses a document; `source` names it in errors. `lookup` expands ${env:VAR}.
mcp::Result<Config> parse_config(const nlohmann::json& document, const std::string& source,
                                 const mcp::EnvLookup& lookup = mcp::process_env);

// secops_refusal returns why lmhunt refuses to call a secops-mcp server (its command or args
// name secops_mcp / google-secops-mcp, or `looks_like_secops` because its tools do) whose env
// lacks CHRONICLE_PROJECT_ID or CHRONICLE_CUSTOMER_ID; nullopt when it may be used.
std::optional<std::string> secops_refusal(const ServerConfig& server, bool looks_like_secops);

// config_path_from_env returns $LMHUNT_CONFIG when set and non-empty.
std::optional<std::string> config_path_from_env();

}  // namespace downstream
