#pragma once
// Client: the client side of an MCP connection over a Session (basic/lifecycle.mdx,
// server/tools.mdx). It negotiates the protocol version, lists tools across
// pages and calls them; many calls may be in flight from many threads, since
// Session multiplexes request ids. The transport (ChildProcess, in-memory
// link, HTTP) owns the Session's channel and feeds it frames.
//
// Incoming requests: `ping` is answered; anything else gets "method not found"
// (we declare no client capabilities). notifications/message is logged with
// the session's name; notifications/progress reaches CallOptions::on_progress.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mcp/session.hpp"
#include "mcp/types.hpp"

namespace mcp {

// ClientInfo is what initialize announces about us.
struct ClientInfo {
  Implementation implementation{"lmhunt", "0", ""};
  Json capabilities = Json::object();
};

// InitializeResult is the server's side of the handshake.
struct InitializeResult {
  std::string protocol_version;
  Implementation server_info;
  Json capabilities = Json::object();
  std::string instructions;
};

// kMaxListPages bounds tools/list pagination against servers whose cursors
// never end.
inline constexpr std::size_t kMaxListPages = 100;

class Client {
 public:
  // Client installs its handlers on `session`; the transport must already
  // send on the session's default channel.
  explicit Client(std::shared_ptr<Session> session);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // initialize offers kLatestProtocolVersion and accepts any version we
  // support back; another answer is an Error naming it (the caller should then
  // close the transport, as the spec says the client disconnects). On success
  // notifications/initialized has been sent.
  Result<InitializeResult> initialize(const ClientInfo& info = {},
                                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // list_tools follows nextCursor through every page; each page gets
  // `timeout`. A repeated cursor or more than kMaxListPages pages is an Error.
  Result<std::vector<Tool>> list_tools(std::chrono::milliseconds timeout = std::chrono::seconds(60),
                                       std::stop_token stop = {});

  // call_tool returns the CallToolResult object as the server sent it
  // (isError included: a tool failure is a value, not an Error). Errors are
  // protocol failures: timeout (-32001, after notifications/cancelled was
  // sent), the caller's stop (-32000), the connection closing (-32000 with the
  // transport's reason), or the server's JSON-RPC error.
  Result<Json> call_tool(const std::string& name, Json arguments, CallOptions options = {});

  Status ping(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // close fails calls in flight with `reason`; the transport is not touched.
  void close(const std::string& reason) { session_->close(reason); }

  bool initialized() const;
  // The negotiated state; empty before initialize succeeds.
  InitializeResult server() const;
  std::string protocol_version() const;
  const std::string& name() const { return session_->name(); }
  Session& session() { return *session_; }
  const std::shared_ptr<Session>& session_ptr() const { return session_; }

 private:
  Status require_initialized(std::string_view what) const;

  std::shared_ptr<Session> session_;
  mutable std::mutex mu_;
  bool initialized_ = false;
  InitializeResult server_;
};

// parse_tool reads one tools/list entry; Error when it has no string name.
Result<Tool> parse_tool(const Json& json);

}  // namespace mcp
