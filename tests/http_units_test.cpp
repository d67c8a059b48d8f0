// Units of the HTTP transport: Host/Origin/token checks, session ids, the
// stream channel, and session expiry in the registry (with a fake clock).
#include <catch2/catch.hpp>

#include <set>

#include "mcp/http_channel.hpp"
#include "mcp/http_security.hpp"
#include "mcp/http_sessions.hpp"

using mcp::Json;
using mcp::http::StreamChannel;

TEST_CASE("Host checks accept loopback names only on a loopback bind", "[http]") {
  using mcp::http::host_allowed;
  const std::vector<std::string> none;
  for (std::string host : {"localhost", "localhost:8080", "LOCALHOST", "127.0.0.1", "127.0.0.1:1",
                           "[::1]", "[::1]:3000"}) {
    INFO(host);
    CHECK(host_allowed(host, true, none));
    CHECK_FALSE(host_allowed(host, false, none));
  }
  for (std::string host : {"", "evil.example.com", "localhost.evil.com", "127.0.0.2", "::1",
                           "localhost:", "localhost:abc", "user@localhost", "[::1"}) {
    INFO(host);
    CHECK_FALSE(host_allowed(host, true, none));
  }
  const std::vector<std::string> allowed = {"mcp.internal", "gateway:8443"};
  CHECK(host_allowed("mcp.internal", false, allowed));
  CHECK(host_allowed("MCP.internal:9000", false, allowed));
  CHECK(host_allowed("gateway:8443", false, allowed));
  CHECK_FALSE(host_allowed("gateway:8444", false, allowed));
  CHECK_FALSE(host_allowed("gateway", false, allowed));
}

TEST_CASE("Origin checks accept loopback origins and the allowlist", "[http]") {
  using mcp::http::origin_allowed;
  const std::vector<std::string> allowed = {"https://app.example.com"};
  for (std::string origin : {"http://localhost", "http://localhost:6274", "https://127.0.0.1:1",
                             "http://[::1]:8080", "HTTP://LOCALHOST", "https://app.example.com"}) {
    INFO(origin);
    CHECK(origin_allowed(origin, allowed));
  }
  for (std::string origin :
       {"null", "", "http://evil.example.com", "http://localhost.evil.com", "file://localhost",
        "http://app.example.com", "https://app.example.com:444", "localhost"}) {
    INFO(origin);
    CHECK_FALSE(origin_allowed(origin, allowed));
  }
}

TEST_CASE("loopback addresses are recognised for the bind check", "[http]") {
  using mcp::http::is_loopback_address;
  for (std::string host : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
    CHECK(is_loopback_address(host));
  }
  for (std::string host : {"0.0.0.0", "::", "10.0.0.1", "example.com", "", "::ffff:10.0.0.1"}) {
    CHECK_FALSE(is_loopback_address(host));
  }
}

TEST_CASE("the bearer token matches exactly, scheme case-insensitively", "[http]") {
  mcp::http::BearerToken none("");
  CHECK_FALSE(none.required());
  CHECK(none.accepts(""));
  mcp::http::BearerToken token("s3cret");
  CHECK(token.required());
  CHECK(token.accepts("Bearer s3cret"));
  CHECK(token.accepts("bearer s3cret"));
  for (std::string header : {"", "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret2",
                             "Basic s3cret", "s3cret", "Bearer S3CRET"}) {
    INFO(header);
    CHECK_FALSE(token.accepts(header));
  }
}

TEST_CASE("session ids are 256 random bits in hex", "[http]") {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto id = mcp::http::random_session_id();
    REQUIRE(id);
    CHECK(id->size() == 64);
    CHECK(id->find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(*id);
  }
  CHECK(ids.size() == 100);
}

TEST_CASE("a request channel classifies frames and finishes with its request", "[http]") {
  StreamChannel channel(StreamChannel::Mode::kRequest, 7);
  const auto now = std::chrono::steady_clock::now();
  CHECK(channel.wait_first(now) == StreamChannel::First::kTimeout);
  CHECK(channel.send({{"jsonrpc", "2.0"}, {"method", "notifications/progress"}}));
  CHECK(channel.wait_first(now) == StreamChannel::First::kOther);
  CHECK(channel.send({{"jsonrpc", "2.0"}, {"id", "7"}, {"result", Json::object()}}));
  CHECK(channel.send({{"jsonrpc", "2.0"}, {"id", 7}, {"result", Json::object()}}));
  channel.request_done(8, true);  // another request's: ignored
  auto batch = channel.take(now);
  REQUIRE(batch.frames.size() == 3);
  CHECK(batch.frames[0].is_notification);
  CHECK_FALSE(batch.frames[1].answers_request);  // "7" is not 7
  CHECK(batch.frames[2].answers_request);
  CHECK_FALSE(batch.finished);
  channel.request_done(7, true);
  CHECK(channel.wait_first(now) == StreamChannel::First::kFinished);
  CHECK_FALSE(channel.send({{"jsonrpc", "2.0"}, {"method", "late"}}));
}

TEST_CASE("a standalone channel parks notifications until a stream attaches", "[http]") {
  StreamChannel channel(StreamChannel::Mode::kStandalone);
  const auto now = std::chrono::steady_clock::now();
  CHECK_FALSE(channel.send({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}));
  for (std::size_t i = 0; i < StreamChannel::kMaxParked + 5; ++i) {
    CHECK(channel.send({{"jsonrpc", "2.0"}, {"method", "n"}, {"params", {{"i", i}}}}));
  }
  REQUIRE(channel.attach());
  CHECK_FALSE(channel.attach());  // one GET stream per session
  CHECK(channel.send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "ping"}}));
  auto batch = channel.take(now);
  REQUIRE(batch.frames.size() == StreamChannel::kMaxParked + 1);
  CHECK(Json::parse(batch.frames.front().json)["params"]["i"] == 5);  // the oldest were dropped
  CHECK(batch.frames.back().is_request);
  channel.detach();
  CHECK(channel.attach());
  channel.close();
  CHECK(channel.take(now).closed);
  CHECK_FALSE(channel.send({{"jsonrpc", "2.0"}, {"method", "n"}}));
}

TEST_CASE("a lost GET stream leaves its newest notifications parked, within the bound", "[http]") {
  StreamChannel channel(StreamChannel::Mode::kStandalone);
  const auto now = std::chrono::steady_clock::now();
  REQUIRE(channel.attach());
  const std::size_t sent = StreamChannel::kMaxParked + 10;
  for (std::size_t i = 0; i < sent; ++i) {
    CHECK(channel.send({{"jsonrpc", "2.0"}, {"method", "n"}, {"params", {{"i", i}}}}));
    if (i == 3) CHECK(channel.send({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "ping"}}));
  }
  channel.detach();  // nothing was taken: the stream went away with all of it queued
  REQUIRE(channel.attach());
  auto batch = channel.take(now);
  REQUIRE(batch.frames.size() == StreamChannel::kMaxParked);
  for (std::size_t k = 0; k < batch.frames.size(); ++k) {
    const auto& frame = batch.frames[k];
    CHECK(frame.is_notification);  // the request is not kept for a later stream
    CHECK(Json::parse(frame.json)["params"]["i"] == sent - StreamChannel::kMaxParked + k);
  }
}

namespace {

struct RegistryFixture {
  mcp::Server server{mcp::ServerOptions{{"t", "1", ""}, "", 100, mcp::LogLevel::kInfo}};
  mcp::Executor executor{2};
  mcp::http::Clock::time_point now = mcp::http::Clock::now();
  mcp::http::SessionRegistry registry{2, std::chrono::minutes(10), [this] { return now; }};

  std::shared_ptr<mcp::http::HttpSession> make(const std::string& id) {
    auto s = std::make_shared<mcp::http::HttpSession>();
    s->id = id;
    s->stream = std::make_shared<StreamChannel>(StreamChannel::Mode::kStandalone);
    s->server_session = server.connect(s->stream, executor, id);
    return s;
  }
};

}  // namespace

TEST_CASE("idle sessions expire; busy ones and ones with a GET stream do not", "[http]") {
  RegistryFixture f;
  auto a = f.make("a");
  auto b = f.make("b");
  REQUIRE(f.registry.add(a));
  REQUIRE(f.registry.add(b));
  CHECK_FALSE(f.registry.add(f.make("c")));  // max_sessions = 2
  CHECK_FALSE(f.registry.has_room());

  f.now += std::chrono::minutes(9);
  {
    auto found = f.registry.find("a");  // a use resets a's clock
    REQUIRE(found);
    REQUIRE(b->stream->attach());  // b has an open GET stream
    f.now += std::chrono::minutes(11);
    f.registry.sweep();
    CHECK(f.registry.size() == 2);  // a is leased (a request is open), b streams
  }
  b->stream->detach();
  f.registry.sweep();
  CHECK(f.registry.size() == 1);  // the end of a's request counted as a use
  f.now += std::chrono::minutes(10);
  f.registry.sweep();
  CHECK(f.registry.size() == 0);
  CHECK(a->rpc().closed());
  CHECK(b->rpc().closed());
  CHECK(b->stream->closed());
  CHECK_FALSE(f.registry.find("a"));
  CHECK(f.registry.has_room());
}

TEST_CASE("an expired session is not found even before a sweep", "[http]") {
  RegistryFixture f;
  auto a = f.make("a");
  REQUIRE(f.registry.add(a));
  f.now += std::chrono::minutes(10);
  CHECK_FALSE(f.registry.find("a"));
  CHECK(a->rpc().closed());
  CHECK(f.registry.size() == 0);
}

TEST_CASE("remove ends a session and close_all refuses new ones", "[http]") {
  RegistryFixture f;
  auto a = f.make("a");
  REQUIRE(f.registry.add(a));
  CHECK(f.registry.remove("a", "test"));
  CHECK_FALSE(f.registry.remove("a", "test"));
  CHECK(a->rpc().closed());
  f.registry.close_all("stopping");
  CHECK_FALSE(f.registry.add(f.make("b")));
  CHECK_FALSE(f.registry.has_room());
}
