// Sessions and streams of the HTTP server transport over loopback: DELETE,
// the GET stream, the legacy /sse endpoint, the session and worker limits,
// stop().
#include <catch2/catch.hpp>

#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "support/http_loopback.hpp"

using lmhunt::test::body_json;
using lmhunt::test::LoopbackServer;
using lmhunt::test::McpHttp;
using lmhunt::test::request;
using lmhunt::test::SseParser;
using mcp::Json;

TEST_CASE("DELETE ends the session; later requests get 404", "[http]") {
  LoopbackServer srv;
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  auto del = c.raw().Delete("/mcp", c.headers());
  REQUIRE(del);
  CHECK(del->status == 204);
  auto ping = c.post(request(2, "ping"));
  REQUIRE(ping);
  CHECK(ping->status == 404);
  CHECK(body_json(ping)["error"]["code"] == -32001);
  auto again = c.raw().Delete("/mcp", c.headers());
  REQUIRE(again);
  CHECK(again->status == 404);
}

TEST_CASE("the GET stream carries notifications unrelated to a request", "[http]") {
  LoopbackServer srv;
  McpHttp c(srv.port());
  REQUIRE(c.initialize()->status == 200);
  std::latch opened(1);
  int status = 0;
  bool got = false;
  std::thread reader([&] {
    McpHttp listener(srv.port());
    listener.session = c.session;
    auto headers = listener.headers();
    headers.erase("Accept");
    headers.emplace("Accept", "text/event-stream");
    SseParser parser;
    listener.raw().Get(
        "/mcp", headers,
        [&](const httplib::Response& r) {
          status = r.status;
          opened.count_down();
          return r.status == 200;
        },
        [&](const char* data, std::size_t size) {
          parser.feed({data, size});
          for (const auto& e : parser.take()) {
            if (Json::parse(e.data)["method"] == "notifications/resources/list_changed") got = true;
          }
          return !got;
        });
  });
  opened.wait();
  REQUIRE(status == 200);

  // A second GET stream for the same session is refused while one is open.
  auto second_headers = c.headers();
  second_headers.erase("Accept");
  second_headers.emplace("Accept", "text/event-stream");
  auto second = c.raw().Get("/mcp", second_headers);
  REQUIRE(second);
  CHECK(second->status == 409);

  srv.server().broadcast("notifications/resources/list_changed", nullptr);
  reader.join();
  CHECK(got);
}

TEST_CASE("the legacy /sse endpoint names its POST endpoint and answers on the stream", "[http]") {
  LoopbackServer srv;
  httplib::Client cli("127.0.0.1", srv.port());
  cli.set_read_timeout(std::chrono::seconds(30));
  httplib::Client poster("127.0.0.1", srv.port());
  std::string endpoint;
  std::vector<int> post_statuses;
  Json init_result;
  Json tools_result;
  SseParser parser;
  auto post = [&](const Json& message) {
    auto res = poster.Post(endpoint.c_str(), message.dump(), "application/json");
    post_statuses.push_back(res ? res->status : -1);
  };
  auto res = cli.Get("/sse", httplib::Headers{{"Accept", "text/event-stream"}},
                     [&](const char* data, std::size_t size) {
                       parser.feed({data, size});
                       for (const auto& e : parser.take()) {
                         if (e.event == "endpoint") {
                           endpoint = e.data;
                           post(request(1, "initialize",
                                        {{"protocolVersion", "2024-11-05"},
                                         {"capabilities", Json::object()},
                                         {"clientInfo", {{"name", "legacy"}, {"version", "1"}}}}));
                           continue;
                         }
                         REQUIRE(e.event == "message");
                         auto message = Json::parse(e.data);
                         if (message["id"] == 1) {
                           init_result = message["result"];
                           post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
                           post(request(2, "tools/list"));
                         } else if (message["id"] == 2) {
                           tools_result = message["result"];
                           return false;
                         }
                       }
                       return true;
                     });
  CHECK(endpoint.rfind("/messages?sessionId=", 0) == 0);
  CHECK(post_statuses == std::vector<int>{202, 202, 202});
  CHECK(init_result["protocolVersion"] == "2024-11-05");
  CHECK(tools_result["tools"].is_array());
}

TEST_CASE("stop ends run promptly while a GET stream is open", "[http]") {
  auto srv = std::make_unique<LoopbackServer>();
  McpHttp c(srv->port());
  REQUIRE(c.initialize()->status == 200);
  std::latch opened(1);
  std::thread reader([&] {
    McpHttp listener(srv->port());
    listener.session = c.session;
    auto headers = listener.headers();
    headers.erase("Accept");
    headers.emplace("Accept", "text/event-stream");
    listener.raw().Get(
        "/mcp", headers,
        [&](const httplib::Response&) {
          opened.count_down();
          return true;
        },
        [&](const char*, std::size_t) { return true; });
  });
  opened.wait();
  srv->stop();  // returns only once run() has returned
  reader.join();
  CHECK(c.post(request(3, "ping")).error() != httplib::Error::Success);
}

TEST_CASE("a full server refuses new sessions with 503", "[http]") {
  mcp::HttpServerOptions options;
  options.max_sessions = 1;
  LoopbackServer srv(options);
  McpHttp first(srv.port());
  REQUIRE(first.initialize()->status == 200);
  McpHttp second(srv.port());
  auto refused = second.initialize();
  REQUIRE(refused);
  CHECK(refused->status == 503);
  CHECK(body_json(refused)["error"]["code"] == -32000);
  REQUIRE(first.raw().Delete("/mcp", first.headers())->status == 204);
  CHECK(second.initialize()->status == 200);
}

TEST_CASE("/healthz answers without a token", "[http]") {
  mcp::HttpServerOptions options;
  options.bearer_token = "s3cret";
  LoopbackServer srv(options);
  httplib::Client cli("127.0.0.1", srv.port());
  auto res = cli.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(Json::parse(res->body) == Json{{"status", "ok"}});
}

TEST_CASE("open streams hold the workers, not the server: beyond them 503, and calls still answer",
          "[http]") {
  mcp::HttpServerOptions options;
  options.worker_threads = 2;
  auto srv = std::make_unique<LoopbackServer>(options);
  std::vector<std::unique_ptr<McpHttp>> clients;
  for (int k = 0; k < 3; ++k) {
    clients.push_back(std::make_unique<McpHttp>(srv->port()));
    REQUIRE(clients.back()->initialize()->status == 200);
  }
  auto stream_headers = [](McpHttp& c) {
    auto headers = c.headers();
    headers.erase("Accept");
    headers.emplace("Accept", "text/event-stream");
    return headers;
  };
  // Two GET streams take both workers and stay open until the server stops.
  std::latch opened(2);
  std::vector<std::thread> readers;
  for (int k = 0; k < 2; ++k) {
    readers.emplace_back([&, k] {
      McpHttp listener(srv->port());
      listener.session = clients[k]->session;
      listener.raw().Get(
          "/mcp", stream_headers(listener),
          [&](const httplib::Response& r) {
            CHECK(r.status == 200);
            opened.count_down();
            return true;
          },
          [](const char*, std::size_t) { return true; });
    });
  }
  opened.wait();

  // A third stream finds no worker: 503 with Retry-After and a JSON-RPC body.
  auto third = clients[2]->raw().Get("/mcp", stream_headers(*clients[2]));
  REQUIRE(third);
  CHECK(third->status == 503);
  CHECK(third->get_header_value("Retry-After") == "5");
  CHECK(body_json(third)["error"]["code"] == -32000);
  // Calls that answer at once need no worker, on every session.
  for (auto& c : clients) CHECK(c->post(request(5, "ping"))->status == 200);

  srv->stop();
  for (auto& reader : readers) reader.join();
}
