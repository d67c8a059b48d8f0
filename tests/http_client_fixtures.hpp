#pragma once
// Fixtures for the HTTP client transport tests: MCP tools on our own server,
// a recording reverse proxy in front of it (which can also answer 404, fail,
// redirect, or serve TLS), and a helper that opens a Client over HTTP.

#include <httplib.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mcp/client.hpp"
#include "mcp/transport_http_client.hpp"
#include "support/http_loopback.hpp"

namespace lmhunt::test {

// Peers lets `together` calls wait for each other: all return "together" only
// when `expected` of them ran at the same time.
struct Peers {
  explicit Peers(int n) : expected(n) {}
  int expected;
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
};

// Gate lets a test know a `block` call is running on the server.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool cancelled = false;  // the call ended because the client cancelled it
  bool wait_entered() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [this] { return entered; });
  }
  bool wait_cancelled() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [this] { return cancelled; });
  }
};

// add_client_tools registers echo (text: "echo: <text>"), progress (three
// progress reports, then "progress done"), together (see Peers) and block
// (runs until cancelled or 10 s).
inline void add_client_tools(mcp::Server& server, std::shared_ptr<Peers> peers = nullptr,
                             std::shared_ptr<Gate> gate = nullptr) {
  using mcp::Json;
  auto ok =
      server.add_tool(make_tool("echo", "echoes its text argument"),
                      [](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                        return mcp::ToolResult::text("echo: " + args.value("text", ""));
                      });
  ok = server.add_tool(make_tool("progress", "reports progress three times"),
                       [](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                         for (double p : {1.0, 2.0, 3.0}) ctx.report_progress(p, 3.0, "step");
                         return mcp::ToolResult::text("progress done");
                       });
  ok = server.add_tool(make_tool("together", "waits for its peers"),
                       [peers](const Json&, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
                         if (!peers) return mcp::ToolResult::error("no peers configured");
                         std::unique_lock lock(peers->mu);
                         ++peers->arrived;
                         peers->cv.notify_all();
                         const bool all = peers->cv.wait_for(lock, std::chrono::seconds(10), [&] {
                           return peers->arrived >= peers->expected;
                         });
                         return mcp::ToolResult::text(all ? "together" : "alone");
                       });
  ok = server.add_tool(make_tool("block", "runs until cancelled"),
                       [gate](const Json&, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
                         if (gate) {
                           std::lock_guard lock(gate->mu);
                           gate->entered = true;
                           gate->cv.notify_all();
                         }
                         std::mutex mu;
                         std::condition_variable_any cv;
                         std::unique_lock lock(mu);
                         auto stop = ctx.stop_token();
                         cv.wait_for(lock, stop, std::chrono::seconds(10), [] { return false; });
                         if (gate && stop.stop_requested()) {
                           std::lock_guard done(gate->mu);
                           gate->cancelled = true;
                           gate->cv.notify_all();
                         }
                         return mcp::ToolResult::text("block ended");
                       });
  (void)ok;
}

// Seen is one request as the proxy received it, with the status it answered.
struct Seen {
  std::string method;
  std::string path;
  httplib::Headers headers;
  std::string body;
  int status = 0;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
  std::string rpc_method() const {
    auto json = mcp::Json::parse(body, nullptr, false);
    return json.is_object() ? json.value("method", std::string{}) : std::string{};
  }
};

// RecordingProxy forwards /mcp to our server on `upstream_port` (buffering
// answers, SSE included) and records what it saw. /moved redirects to /mcp on
// itself; /elsewhere redirects to the upstream under another host name.
class RecordingProxy {
 public:
  explicit RecordingProxy(int upstream_port, std::unique_ptr<httplib::Server> server = nullptr)
      : upstream_(upstream_port),
        tls_(server != nullptr),
        server_(server ? std::move(server) : std::make_unique<httplib::Server>()) {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res);
    };
    server_->Post(".*", handler);
    server_->Delete(".*", handler);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }
  ~RecordingProxy() {
    while (!server_->is_running()) std::this_thread::yield();  // stop() needs a running loop
    server_->stop();
    thread_.join();
  }
  RecordingProxy(const RecordingProxy&) = delete;
  RecordingProxy& operator=(const RecordingProxy&) = delete;

  std::string url(const std::string& path = "/mcp") const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  // forget answers 404 to every later request carrying `session`.
  void forget(const std::string& session) {
    std::lock_guard lock(mu_);
    forgotten_.insert(session);
  }
  // forget_all answers 404 to every later request carrying any session id.
  void forget_all() {
    std::lock_guard lock(mu_);
    forget_all_ = true;
  }
  // fail_next answers the next request itself with `status` and `body`.
  void fail_next(int status, std::string body) {
    std::lock_guard lock(mu_);
    fail_status_ = status;
    fail_body_ = std::move(body);
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    Seen seen{req.method, req.path, req.headers, req.body, 0};
    const auto session = req.get_header_value("Mcp-Session-Id");
    bool lost = false;
    int fail_status = 0;
    std::string fail_body;
    {
      std::lock_guard lock(mu_);
      lost = !session.empty() && (forget_all_ || forgotten_.count(session) > 0);
      fail_status = std::exchange(fail_status_, 0);
      fail_body = fail_body_;
    }
    if (req.path == "/moved") {
      res.status = 308;
      res.set_header("Location", "/mcp");
    } else if (req.path == "/elsewhere") {
      res.status = 307;
      res.set_header("Location", "http://localhost:" + std::to_string(upstream_) + "/mcp");
    } else if (lost) {
      res.status = 404;
      res.set_content(
          R"({"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}})",
          "application/json");
    } else if (fail_status != 0) {
      res.status = fail_status;
      res.set_content(fail_body, "text/plain");
    } else {
      forward(req, res);
    }
    seen.status = res.status;
    std::lock_guard lock(mu_);
    seen_.push_back(std::move(seen));
  }

  void forward(const httplib::Request& req, httplib::Response& res) {
    httplib::Client up("127.0.0.1", upstream_);
    up.set_read_timeout(std::chrono::seconds(30));
    httplib::Headers headers;
    for (const auto& [name, value] : req.headers) {
      static const std::set<std::string> skip = {"Host",       "Content-Length", "Content-Type",
                                                 "Connection", "REMOTE_ADDR",    "REMOTE_PORT",
                                                 "LOCAL_ADDR", "LOCAL_PORT"};
      if (!skip.count(name)) headers.emplace(name, value);
    }
    auto answer = req.method == "DELETE"
                      ? up.Delete(req.path, headers)
                      : up.Post(req.path, headers, req.body, req.get_header_value("Content-Type"));
    if (!answer) {
      res.status = 502;
      return;
    }
    res.status = answer->status;
    for (const char* name : {"Mcp-Session-Id", "WWW-Authenticate"}) {
      if (answer->has_header(name)) res.set_header(name, answer->get_header_value(name));
    }
    if (!answer->body.empty()) {
      res.set_content(answer->body, answer->get_header_value("Content-Type"));
    }
  }

  int upstream_;
  bool tls_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::set<std::string> forgotten_;
  bool forget_all_ = false;
  int fail_status_ = 0;
  std::string fail_body_;
};

// HttpPeer is a Client over an HttpClientTransport.
struct HttpPeer {
  std::shared_ptr<mcp::HttpClientTransport> transport;
  std::unique_ptr<mcp::Client> client;
};

inline mcp::Result<HttpPeer> open_peer(mcp::HttpClientOptions options, mcp::Executor& executor) {
  auto transport = mcp::HttpClientTransport::open(std::move(options), executor);
  if (!transport) return transport.error();
  HttpPeer peer;
  peer.transport = transport.value();
  peer.client = std::make_unique<mcp::Client>(peer.transport->session());
  return peer;
}

inline std::string loopback_url(int port, const std::string& path = "/mcp") {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

// first_text is the text of a CallToolResult's first content block.
inline std::string first_text(const mcp::Json& result) {
  if (!result.contains("content") || result["content"].empty()) return {};
  return result["content"][0].value("text", std::string{});
}

}  // namespace lmhunt::test
