// The HTTP transport's refusals: each bad request gets the status and
// JSON-RPC code of mcp-protocol.md §6, and the server keeps serving.
#include <catch2/catch.hpp>

#include <latch>
#include <optional>
#include <thread>

#include "support/http_loopback.hpp"

using lmhunt::test::LoopbackServer;
using lmhunt::test::McpHttp;
using lmhunt::test::request;
using mcp::Json;

namespace {

// Row is one request and the answer expected, built fluently from a valid
// ping on the session.
struct Row {
  Row(std::string row_name, int row_status, std::optional<int> row_code = std::nullopt)
      : name(std::move(row_name)), status(row_status), code(row_code) {}
  Row& with_method(std::string m) { return method = std::move(m), *this; }
  Row& with_path(std::string p) { return path = std::move(p), *this; }
  Row& with_body(std::string b) { return body = std::move(b), *this; }
  Row& with_content_type(std::string t) { return content_type = std::move(t), *this; }
  // with_header replaces a header of the valid request; "" removes it.
  Row& with_header(std::string header, std::string value) {
    changes.emplace_back(std::move(header), std::move(value));
    return *this;
  }
  Row& with_id(Json i) { return id = std::move(i), *this; }

  std::string name;
  int status;
  std::optional<int> code;  // JSON-RPC error code expected in the body
  std::string method = "POST";
  std::string path = "/mcp";
  std::string body = request(7, "ping").dump();
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> changes;
  Json id = nullptr;  // the error's id
};

httplib::Result send(httplib::Client& cli, httplib::Headers headers, const Row& row) {
  for (const auto& [name, value] : row.changes) {
    headers.erase(name);
    if (!value.empty()) headers.emplace(name, value);
  }
  if (row.method == "GET") return cli.Get(row.path.c_str(), headers);
  if (row.method == "DELETE") return cli.Delete(row.path.c_str(), headers);
  if (row.method == "PUT") {
    return cli.Put(row.path.c_str(), headers, row.body, row.content_type.c_str());
  }
  return cli.Post(row.path.c_str(), headers, row.body, row.content_type.c_str());
}

void check_row(McpHttp& c, const Row& row) {
  INFO(row.name);
  auto res = send(c.raw(), c.headers(), row);
  REQUIRE(res);
  CHECK(res->status == row.status);
  if (row.code) {
    REQUIRE(res->get_header_value("Content-Type") == "application/json");
    auto body = Json::parse(res->body);
    CHECK(body["jsonrpc"] == "2.0");
    CHECK(body["error"]["code"] == *row.code);
    CHECK(body["error"]["message"].is_string());
    CHECK(body["id"] == row.id);
  }
  // The server keeps serving the session after every refusal.
  auto ping = c.post(request(99, "ping"));
  REQUIRE(ping);
  CHECK(ping->status == 200);
}

}  // namespace

TEST_CASE("bad requests get the status and JSON-RPC code of the transport's table", "[http]") {
  mcp::HttpServerOptions options;
  options.max_body_bytes = 4096;
  LoopbackServer srv(options);
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);

  const std::string pad(8000, 'a');
  const std::vector<Row> rows = {
      Row("malformed JSON", 400, -32700).with_body("{not json"),
      Row("wrong jsonrpc version", 400, -32600)
          .with_body(R"({"jsonrpc":"1.0","id":5,"method":"ping"})")
          .with_id(5),
      Row("missing method", 400, -32600).with_body(R"({"jsonrpc":"2.0","id":6})").with_id(6),
      Row("a batch", 400, -32600).with_body(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"),
      Row("missing session id", 400, -32000).with_header("Mcp-Session-Id", ""),
      Row("unknown session id", 404, -32001).with_header("Mcp-Session-Id", "deadbeef"),
      Row("unsupported protocol version", 400, -32000)
          .with_header("MCP-Protocol-Version", "1999-01-01"),
      Row("Accept without text/event-stream", 406, -32000)
          .with_header("Accept", "application/json"),
      Row("Accept without application/json", 406, -32000)
          .with_header("Accept", "text/event-stream"),
      Row("Content-Type not JSON", 415, -32000).with_content_type("text/plain"),
      Row("foreign Origin", 403, -32000).with_header("Origin", "http://evil.example.com"),
      Row("null Origin", 403, -32000).with_header("Origin", "null"),
      Row("foreign Host", 403, -32000).with_header("Host", "evil.example.com"),
      Row("oversize body", 413, -32000)
          .with_body(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" +
                     std::string(8192, 'x') + "\"}}"),
      Row("oversize headers", 431, -32000)
          .with_header("X-Pad-1", pad)
          .with_header("X-Pad-2", pad)
          .with_header("X-Pad-3", pad)
          .with_header("X-Pad-4", pad)
          .with_header("X-Pad-5", pad)
          .with_header("X-Pad-6", pad)
          .with_header("X-Pad-7", pad)
          .with_header("X-Pad-8", pad)
          .with_header("X-Pad-9", pad),
      Row("a header line over cpp-httplib's 8192 bytes", 400, -32000)
          .with_header("X-Long", std::string(9000, 'a')),
      Row("second initialize", 400, -32600)
          .with_body(request(8, "initialize",
                             {{"protocolVersion", "2025-11-25"},
                              {"capabilities", Json::object()},
                              {"clientInfo", {{"name", "again"}, {"version", "1"}}}})
                         .dump())
          .with_id(8),
      Row("GET without Accept: text/event-stream", 406, -32000)
          .with_method("GET")
          .with_header("Accept", "application/json"),
      Row("PUT on the endpoint", 405, -32000).with_method("PUT"),
      Row("DELETE without a session id", 400, -32000)
          .with_method("DELETE")
          .with_header("Mcp-Session-Id", ""),
      Row("DELETE of an unknown session", 404, -32001)
          .with_method("DELETE")
          .with_header("Mcp-Session-Id", "deadbeef"),
      Row("unknown path", 404, -32000).with_path("/nope"),
      Row("legacy POST to an unknown session", 404, -32001)
          .with_path("/messages?sessionId=deadbeef"),
  };
  for (const auto& row : rows) check_row(c, row);
}

TEST_CASE("requests that pass the checks are accepted as the table allows", "[http]") {
  LoopbackServer srv;
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  const std::vector<Row> rows = {
      Row("localhost Host with a port", 200).with_header("Host", "localhost:1234"),
      Row("IPv6 loopback Host", 200).with_header("Host", "[::1]:80"),
      Row("localhost Origin", 200).with_header("Origin", "http://localhost:6274"),
      Row("no protocol version header (2025-03-26 assumed)", 200)
          .with_header("MCP-Protocol-Version", ""),
      Row("an older supported version", 200).with_header("MCP-Protocol-Version", "2024-11-05"),
      Row("JSON content type with charset", 200)
          .with_content_type("application/json; charset=utf-8"),
      Row("a notification", 202).with_body(R"({"jsonrpc":"2.0","method":"notifications/x"})"),
      Row("a response to an unknown request", 202)
          .with_body(R"({"jsonrpc":"2.0","id":"s-1","result":{}})"),
  };
  for (const auto& row : rows) check_row(c, row);
}

TEST_CASE("DNS rebinding: initialize from a foreign Host or Origin is refused", "[http]") {
  LoopbackServer srv;
  McpHttp c(srv.port());
  auto init = request(1, "initialize",
                      {{"protocolVersion", "2025-11-25"},
                       {"capabilities", Json::object()},
                       {"clientInfo", {{"name", "evil"}, {"version", "1"}}}});
  auto headers = c.headers();
  headers.emplace("Host", "evil.example.com");
  headers.emplace("Origin", "http://evil.example.com");
  auto refused = c.raw().Post("/mcp", headers, init.dump(), "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(Json::parse(refused->body)["error"]["code"] == -32000);
  CHECK(c.initialize()->status == 200);
}

TEST_CASE("a bearer token is required on every request when configured", "[http]") {
  mcp::HttpServerOptions options;
  options.bearer_token = "correct-horse";
  LoopbackServer srv(options);
  McpHttp c(srv.port());

  auto missing = c.initialize();
  REQUIRE(missing);
  CHECK(missing->status == 401);
  CHECK(missing->get_header_value("WWW-Authenticate") == R"(Bearer realm="lmhunt")");
  CHECK(Json::parse(missing->body)["error"]["code"] == -32000);

  for (std::string wrong : {"correct-hors", "correct-horsf", "correct-horse-battery", "x"}) {
    c.token = wrong;
    auto refused = c.initialize();
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(refused->get_header_value("WWW-Authenticate").find("invalid_token") != std::string::npos);
  }
  httplib::Client cli("127.0.0.1", srv.port());
  auto basic = cli.Get("/sse", {{"Authorization", "Basic Y29ycmVjdC1ob3JzZQ=="}});
  REQUIRE(basic);
  CHECK(basic->status == 401);

  c.token = "correct-horse";
  REQUIRE(c.initialize()->status == 200);
  CHECK(c.post(request(2, "tools/list"))->status == 200);
}

TEST_CASE("a second GET stream on a session is refused with 409", "[http]") {
  LoopbackServer srv;
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  auto headers = c.headers();
  headers.erase("Accept");
  headers.emplace("Accept", "text/event-stream");
  std::latch opened(1);
  std::thread reader([&] {
    httplib::Client listener("127.0.0.1", srv.port());
    listener.Get(
        "/mcp", headers,
        [&](const httplib::Response&) {
          opened.count_down();
          return true;
        },
        [&](const char*, std::size_t) { return true; });
  });
  opened.wait();
  auto second = c.raw().Get("/mcp", headers);
  REQUIRE(second);
  CHECK(second->status == 409);
  CHECK(Json::parse(second->body)["error"]["code"] == -32000);
  CHECK(c.post(request(3, "ping"))->status == 200);
  // Ending the session ends its stream, so the reader returns.
  CHECK(c.raw().Delete("/mcp", c.headers())->status == 204);
  reader.join();
}

TEST_CASE("bind refuses a non-loopback address without a bearer token", "[http]") {
  mcp::Server server(mcp::ServerOptions{{"t", "1", ""}, "", 100, mcp::LogLevel::kInfo});
  mcp::Executor executor(1);
  for (std::string host : {"0.0.0.0", "::", "192.0.2.1"}) {
    mcp::HttpServerOptions options;
    options.host = host;
    mcp::HttpServerTransport transport(server, executor, options);
    auto bound = transport.bind();
    REQUIRE_FALSE(bound);
    CHECK(bound.error().message.find("bearer token") != std::string::npos);
  }
  mcp::HttpServerOptions loopback;
  mcp::HttpServerTransport transport(server, executor, loopback);
  CHECK(transport.bind());
  CHECK(transport.port() > 0);
}
