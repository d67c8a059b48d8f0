// Units of the HTTP server's carriers (http_message.hpp) and the replies built
// on them (http_reply.hpp): header lookup, content negotiation, and an SSE
// response's stream, which releases what it holds when the response goes.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "mcp/http_message.hpp"
#include "mcp/http_reply.hpp"

using mcp::Json;
using mcp::http::BodyStep;
using mcp::http::Request;
using mcp::http::Response;
using mcp::http::StreamChannel;

namespace {

Request with_headers(mcp::http::Fields headers) {
  Request req;
  req.headers = std::move(headers);
  return req;
}

}  // namespace

TEST_CASE("header names match ASCII case-insensitively, values as sent", "[http]") {
  using mcp::http::icontains;
  using mcp::http::iequals;
  CHECK(iequals("Mcp-Session-Id", "mcp-session-id"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Host", "Hosts"));
  CHECK_FALSE(iequals("K", "\xC3\xAA"));  // no locale folding beyond ASCII
  CHECK(icontains("Application/JSON, text/event-stream", "application/json"));
  CHECK(icontains("text/event-stream", ""));
  CHECK_FALSE(icontains("text/event", "text/event-stream"));

  const auto req = with_headers(
      {{"Accept", "application/json"}, {"HOST", "localhost"}, {"accept", "text/event-stream"}});
  CHECK(req.has_header("host"));
  CHECK(req.get_header_value("Host") == "localhost");
  CHECK(req.get_header_value("Accept", 1) == "text/event-stream");
  CHECK(req.get_header_value("Accept", 2).empty());
  CHECK_FALSE(req.has_header("Origin"));
  CHECK(req.get_header_value("Origin").empty());
  CHECK(req.header("accept") == "application/json");  // the first of two, without a copy
  CHECK(req.header("Host") == "localhost");
  CHECK(req.header("Origin").empty());
}

TEST_CASE("query parameters: the first value of a name, empty without one", "[http]") {
  Request req;
  req.params = {{"sessionId", "abc"}, {"sessionId", "def"}, {"SessionId", "x"}};
  CHECK(req.get_param_value("sessionId") == "abc");
  CHECK(req.get_param_value("sessionid").empty());  // names are case-sensitive
}

TEST_CASE("content negotiation reads every Accept field and Content-Type's type", "[http]") {
  using mcp::http::accepts;
  using mcp::http::has_json_body;
  const auto split = with_headers({{"Accept", "application/json"},
                                   {"Accept", "TEXT/EVENT-STREAM"},
                                   {"Content-Type", "Application/Json; charset=utf-8"}});
  CHECK(accepts(split, "application/json"));
  CHECK(accepts(split, "text/event-stream"));
  CHECK(has_json_body(split));
  CHECK_FALSE(accepts(with_headers({{"Accept", "*/*"}}), "application/json"));
  CHECK_FALSE(has_json_body(with_headers({{"Content-Type", "application/jsonx"}})));
  CHECK_FALSE(has_json_body(with_headers({{"Content-Type", "text/plain"}})));
  CHECK_FALSE(has_json_body(Request()));
}

TEST_CASE("a response drops header values that could end its head early", "[http]") {
  Response res;
  res.set_header("X-Ok", "fine");
  res.set_header("X-Bad", "a\r\nInjected: yes");
  res.set_header("X-Bad:", "b");
  res.set_content("{}", "text/plain");
  res.set_content("{}", "application/json");
  REQUIRE(res.headers.size() == 2);
  CHECK(res.headers[0] == std::pair<std::string, std::string>("X-Ok", "fine"));
  CHECK(res.headers[1] == std::pair<std::string, std::string>("Content-Type", "application/json"));
  CHECK(res.body == "{}");
}

TEST_CASE("an SSE response streams its channel and releases its hold when it goes", "[http]") {
  auto channel = std::make_shared<StreamChannel>(StreamChannel::Mode::kRequest, 3);
  auto lease = std::make_shared<int>(0);
  int closed = 0;
  std::uint64_t next_id = 1;
  std::vector<std::string> written;
  const mcp::http::BodyWrite write = [&](std::string_view data) {
    written.emplace_back(data);
    return true;
  };
  {
    Response res;
    mcp::http::SseStream sse;
    sse.channel = channel;
    sse.next_event_id = [&] { return next_id++; };
    sse.preamble = mcp::http::sse_event("", "", 9);
    sse.on_close = [&] { ++closed; };
    sse.lease = lease;
    mcp::http::start_sse(res, std::move(sse));
    CHECK(res.status == 200);
    REQUIRE(res.stream);

    CHECK(res.stream(write) == BodyStep::kMore);  // the preamble
    CHECK(channel->send({{"jsonrpc", "2.0"}, {"method", "notifications/progress"}}));
    CHECK(res.stream(write) == BodyStep::kMore);
    CHECK(channel->send({{"jsonrpc", "2.0"}, {"id", 3}, {"result", Json::object()}}));
    channel->request_done(3, true);
    CHECK(res.stream(write) == BodyStep::kDone);
    CHECK(closed == 0);
    CHECK(lease.use_count() == 2);
  }
  CHECK(closed == 1);
  CHECK(lease.use_count() == 1);
  REQUIRE(written.size() == 3);
  CHECK(written[0] == "id: 9\ndata: \n\n");
  CHECK(written[1] == R"(event: message
id: 1
data: {"jsonrpc":"2.0","method":"notifications/progress"}

)");
  CHECK(written[2].find(R"("id":3)") != std::string::npos);
}

TEST_CASE("an SSE response whose write fails reports it and still releases", "[http]") {
  auto channel = std::make_shared<StreamChannel>(StreamChannel::Mode::kRequest, 1);
  int closed = 0;
  auto res = std::make_unique<Response>();
  mcp::http::SseStream sse;
  sse.channel = channel;
  sse.preamble = ": hello\n\n";
  sse.on_close = [&] { ++closed; };
  mcp::http::start_sse(*res, std::move(sse));
  CHECK(res->stream([](std::string_view) { return false; }) == BodyStep::kFailed);
  *res = Response();  // replaced, as a 503 replaces an unsent stream
  CHECK(closed == 1);
  res.reset();
  CHECK(closed == 1);
}
