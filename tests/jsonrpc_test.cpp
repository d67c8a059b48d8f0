#include <catch2/catch.hpp>

#include "mcp/jsonrpc.hpp"

using mcp::Json;
namespace rpc = mcp::jsonrpc;

namespace {
rpc::DecodeError decode_error(std::string_view frame) {
  auto r = rpc::decode(frame);
  REQUIRE(std::holds_alternative<rpc::DecodeError>(r));
  return std::get<rpc::DecodeError>(r);
}
rpc::Message decode_ok(std::string_view frame) {
  auto r = rpc::decode(frame);
  REQUIRE(std::holds_alternative<rpc::Message>(r));
  return std::get<rpc::Message>(r);
}
}  // namespace

TEST_CASE("a request, a notification and both kinds of response decode", "[jsonrpc]") {
  auto req = decode_ok(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})");
  CHECK(req.kind == rpc::Kind::kRequest);
  CHECK(req.id == 7);
  CHECK(req.method == "tools/list");
  CHECK(req.params["cursor"] == "x");

  auto note = decode_ok(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  CHECK(note.kind == rpc::Kind::kNotification);

  auto res = decode_ok(R"({"jsonrpc":"2.0","id":"a","result":{}})");
  CHECK(res.kind == rpc::Kind::kResponse);
  CHECK(res.id == "a");

  auto anonymous =
      decode_ok(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}})");
  CHECK(anonymous.kind == rpc::Kind::kErrorResponse);
  CHECK(anonymous.id.is_null());

  auto err = decode_ok(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"nope"}})");
  CHECK(err.kind == rpc::Kind::kErrorResponse);
  CHECK(err.error.code == -32601);
  CHECK(err.error.message == "nope");
}

TEST_CASE("frames that are not JSON-RPC messages get the error the spec prescribes", "[jsonrpc]") {
  struct Row {
    const char* frame;
    int code;
    Json id;
  };
  const Row rows[] = {
      {"{not json", rpc::kParseError, nullptr},
      {"", rpc::kParseError, nullptr},
      {"[]", rpc::kInvalidRequest, nullptr},
      {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", rpc::kInvalidRequest, nullptr},
      {"42", rpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"1.0","id":1,"method":"ping"})", rpc::kInvalidRequest, 1},
      {R"({"id":1,"method":"ping"})", rpc::kInvalidRequest, 1},
      {R"({"jsonrpc":"2.0","id":1})", rpc::kInvalidRequest, 1},
      {R"({"jsonrpc":"2.0","id":null,"method":"ping"})", rpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", rpc::kInvalidRequest, nullptr},
      {R"({"jsonrpc":"2.0","id":2,"method":7})", rpc::kInvalidRequest, 2},
      {R"({"jsonrpc":"2.0","id":3,"method":""})", rpc::kInvalidRequest, 3},
      {R"({"jsonrpc":"2.0","id":4,"method":"ping","params":"x"})", rpc::kInvalidParams, 4},
      {R"({"jsonrpc":"2.0","id":5,"result":{},"error":{"code":1}})", rpc::kInvalidRequest, 5},
      {R"({"jsonrpc":"2.0","method":"x","id":{"a":1}})", rpc::kInvalidRequest, nullptr},
  };
  for (const auto& row : rows) {
    INFO(row.frame);
    auto e = decode_error(row.frame);
    CHECK(e.error.code == row.code);
    CHECK(e.id == row.id);
  }
}

TEST_CASE("encoded frames are compact single lines even for awkward strings", "[jsonrpc]") {
  Json msg = rpc::make_result(1, {{"text", "line1\nline2\t\"quoted\""}});
  auto frame = rpc::encode(msg);
  CHECK(frame.find('\n') == std::string::npos);
  CHECK(Json::parse(frame) == msg);

  Json bad = {{"text", std::string("\xff\xfe broken utf8")}};
  auto encoded = rpc::encode(bad);
  CHECK_NOTHROW(Json::parse(encoded));
}

TEST_CASE("request ids keep strings and integers apart", "[jsonrpc]") {
  CHECK(rpc::id_key(1) != rpc::id_key("1"));
  CHECK(rpc::id_key(1) == rpc::id_key(Json(1)));
  CHECK(rpc::id_key(Json::parse("7")) == rpc::id_key(Json(7)));  // unsigned and signed parse
  CHECK(rpc::id_key(Json::parse("-7")) != rpc::id_key(Json::parse("7")));
  CHECK(rpc::id_key(Json::parse("18446744073709551615")) == "n:18446744073709551615");
}

TEST_CASE("builders produce well-formed messages", "[jsonrpc]") {
  CHECK(rpc::make_request(1, "ping", nullptr) ==
        Json::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping"})"));
  CHECK(rpc::make_notification("n", {{"a", 1}}) ==
        Json::parse(R"({"jsonrpc":"2.0","method":"n","params":{"a":1}})"));
  CHECK(rpc::make_result("x", nullptr)["result"] == Json::object());
  auto err = rpc::make_error(nullptr, {-32700, "Parse error", {{"at", 3}}});
  CHECK(err["id"].is_null());
  CHECK(err["error"]["data"]["at"] == 3);
}
