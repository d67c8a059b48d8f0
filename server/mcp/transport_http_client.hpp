#pragma once
// HttpClientTransport: the client side of Streamable HTTP (basic/transports.mdx §Streamable HTTP)
// and of the legacy HTTP+SSE transport (2024-11-05), feeding a Session like ChildProcess does.
//
// Streamable HTTP: every frame is a POST with `Accept: application/json, text/event-stream`; the
// answer is JSON or an SSE stream (read incrementally), `Mcp-Session-Id` and
// `MCP-Protocol-Version` are sent once known, a 404 on a session re-initializes once, close()
// sends DELETE. Legacy SSE: GET the SSE stream, wait for the `endpoint` event, POST frames there.
// HTTPS through cpp-httplib with OpenSSL; configured headers (Authorization, x-goog-user-project)
// on every request; redirects to another host are refused.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "mcp/executor.hpp"
#include "mcp/result.hpp"
#include "mcp/session.hpp"

namespace mcp {

struct HttpClientOptions {
  std::string name = "http";  // in logs and error messages
  std::string url;            // http:// or https://, path included (e.g. https://host/mcp)
  bool legacy_sse = false;    // type "sse" in mcpServers
  std::map<std::string, std::string> headers;  // values may hold ${env:VAR} (expanded by caller)
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(300)};
};

class HttpClientTransport {
 public:
  // open prepares the transport (and for legacy SSE connects the stream and waits for the
  // endpoint); handlers of session() run on `executor`, which must outlive the transport.
  static Result<std::shared_ptr<HttpClientTransport>> open(HttpClientOptions options,
                                                           Executor& executor);
  ~HttpClientTransport();  // close()
  HttpClientTransport(const HttpClientTransport&) = delete;
  HttpClientTransport& operator=(const HttpClientTransport&) = delete;

  const std::shared_ptr<Session>& session() const;
  // close ends open streams, sends DELETE for a Streamable HTTP session, closes the Session.
  // Blocks; idempotent.
  void close();
  // connected is false once the transport has failed for good (the Session is closed).
  bool connected() const;

 private:
  HttpClientTransport() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcp
