#pragma once
// Loopback helpers for the HTTP transport tests: a Server served on
// 127.0.0.1:0 on its own thread, a small MCP-over-HTTP client on
// httplib::Client, and an incremental SSE parser.

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mcp/server.hpp"
#include "mcp/transport_http_server.hpp"

namespace lmhunt::test {

struct SseEvent {
  std::string event;  // "" when the event had no event: field
  std::string id;
  bool has_id = false;
  std::string data;
};

// SseParser splits an event stream into events as bytes arrive; comments are
// counted, other fields ignored.
class SseParser {
 public:
  void feed(std::string_view bytes) {
    buffer_.append(bytes);
    std::size_t newline;
    while ((newline = buffer_.find('\n')) != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      line_(line);
    }
  }
  // take returns the events completed since the last take.
  std::vector<SseEvent> take() { return std::exchange(events_, {}); }
  std::size_t comments() const { return comments_; }

 private:
  void line_(const std::string& line) {
    if (line.empty()) {
      if (started_) events_.push_back(std::exchange(current_, {}));
      started_ = false;
      return;
    }
    if (line.front() == ':') {
      ++comments_;
      return;
    }
    auto colon = line.find(':');
    std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    started_ = true;
    if (field == "event") current_.event = value;
    if (field == "id") {
      current_.id = value;
      current_.has_id = true;
    }
    if (field == "data") current_.data += value;
  }

  std::string buffer_;
  SseEvent current_;
  bool started_ = false;
  std::vector<SseEvent> events_;
  std::size_t comments_ = 0;
};

inline std::vector<SseEvent> parse_sse(std::string_view body) {
  SseParser parser;
  parser.feed(body);
  return parser.take();
}

// LoopbackServer serves a Server (configured by `setup`) over HTTP on
// 127.0.0.1 with an ephemeral port until stop() or destruction.
class LoopbackServer {
 public:
  explicit LoopbackServer(mcp::HttpServerOptions options = {},
                          const std::function<void(mcp::Server&)>& setup = {})
      : server_(mcp::ServerOptions{{"lmhunt-test", "0.0.1", ""}, "", 100, mcp::LogLevel::kInfo}),
        executor_(8) {
    if (setup) setup(server_);
    options.host = "127.0.0.1";
    options.port = 0;
    transport_ = std::make_unique<mcp::HttpServerTransport>(server_, executor_, options);
    auto bound = transport_->bind();
    if (!bound) throw std::runtime_error("bind failed: " + bound.error().message);
    thread_ = std::thread([this] { transport_->run(); });
  }
  ~LoopbackServer() { stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  void stop() {
    if (!thread_.joinable()) return;
    transport_->stop();
    thread_.join();
  }
  mcp::Server& server() { return server_; }
  int port() const { return transport_->port(); }

 private:
  mcp::Server server_;
  mcp::Executor executor_;
  std::unique_ptr<mcp::HttpServerTransport> transport_;
  std::thread thread_;
};

// McpHttp is a minimal Streamable HTTP client: one keep-alive connection,
// the session id once initialized.
class McpHttp {
 public:
  explicit McpHttp(int port) : cli_("127.0.0.1", port) {
    cli_.set_read_timeout(std::chrono::seconds(30));
    cli_.set_keep_alive(true);
  }

  httplib::Client& raw() { return cli_; }
  std::string session;
  std::string protocol_version = "2025-11-25";
  std::string token;

  // headers: Accept for JSON and SSE, the session id and protocol version
  // once known, the bearer token when set.
  httplib::Headers headers() const {
    httplib::Headers h = {{"Accept", "application/json, text/event-stream"}};
    if (!session.empty()) {
      h.emplace("Mcp-Session-Id", session);
      h.emplace("MCP-Protocol-Version", protocol_version);
    }
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return h;
  }

  httplib::Result post(const mcp::Json& message) {
    return cli_.Post("/mcp", headers(), message.dump(), "application/json");
  }

  // initialize runs the handshake (initialize + notifications/initialized)
  // and keeps the session id; returns the initialize response.
  httplib::Result initialize(mcp::Json capabilities = mcp::Json::object()) {
    auto res = post({{"jsonrpc", "2.0"},
                     {"id", 0},
                     {"method", "initialize"},
                     {"params",
                      {{"protocolVersion", protocol_version},
                       {"capabilities", std::move(capabilities)},
                       {"clientInfo", {{"name", "http-test"}, {"version", "1"}}}}}});
    if (res && res->status == 200) {
      session = res->get_header_value("Mcp-Session-Id");
      post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    }
    return res;
  }

 private:
  httplib::Client cli_;
};

inline mcp::Json request(int id, const std::string& method,
                         mcp::Json params = mcp::Json::object()) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

inline mcp::Json call_tool(int id, const std::string& name, bool with_progress_token = false) {
  mcp::Json params = {{"name", name}, {"arguments", mcp::Json::object()}};
  if (with_progress_token) params["_meta"] = {{"progressToken", "p-1"}};
  return request(id, "tools/call", params);
}

inline mcp::Json body_json(const httplib::Result& res) {
  return mcp::Json::parse(res->body);
}

inline mcp::Tool make_tool(const std::string& name, const std::string& description) {
  mcp::Tool tool;
  tool.name = name;
  tool.description = description;
  return tool;
}

}  // namespace lmhunt::test
