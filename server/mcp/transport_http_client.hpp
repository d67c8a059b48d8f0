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
//
// Details (transport_http_client.cpp, http_client_legacy.cpp):
// - MCP-Protocol-Version is read from the initialize result as it passes through; the Client
//   does nothing. The Mcp-Session-Id comes from the initialize answer's header.
// - Request POSTs run on the transport's own pool (calls proceed in parallel and keep their
//   timeouts); notifications and responses are POSTed on the sending thread, in order.
// - An HTTP error (401, 403, 5xx, a refused redirect, a connection failure) fails that call with
//   an Error naming the server, the status (also in data.httpStatus) and a body excerpt; the
//   connection stays usable. A 404 while a session is set replays the stored initialize and
//   notifications/initialized once, then resends; a 404 again closes the Session for good.
// - The optional GET stream for server-initiated messages is not opened: what a server sends
//   about a request (progress, logs) arrives on that request's SSE answer. No resumption.
// - Each exchange has its own connection (no keep-alive pool yet).
// - Legacy SSE: the endpoint must be on the SSE URL's origin; the stream has no read timeout
//   (servers may send no keep-alives); its end closes the Session with the reason.

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
  // HTTPS: certificates are verified against the system CA store, or against
  // this PEM file (e.g. a corporate proxy's CA) when set.
  std::string ca_cert_file;
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
  // session_id is the Streamable HTTP session (Mcp-Session-Id) the server
  // assigned, empty before initialize or when the server assigns none.
  std::string session_id() const;

  struct Impl;  // internal (http_client_impl.hpp)

 private:
  HttpClientTransport() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcp
