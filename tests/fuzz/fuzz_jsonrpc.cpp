// fuzz_jsonrpc: the JSON-RPC frame decoder and the whole server request path behind it.
//
// The input is split at '\n' into frames, as the stdio transport splits its input. Each frame is
// decoded (jsonrpc::decode) and the decoded message must survive a re-encode round trip; then the
// frames are fed, in order, into a fresh ServerSession of a Server with a tool, a resource, a
// resource template, a prompt and a completer, so initialize, the gate, tools/call with schema
// validation, resources/*, prompts/*, completion, logging, cancellation and responses all run.
// Unless the input starts with '!', the session is initialized first so the fuzzer does not have
// to find the handshake before reaching the rest. Every message the server sends must itself be
// a valid JSON-RPC message that encodes to one frame.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mcp/jsonrpc.hpp"
#include "mcp/server.hpp"
#include "support/memory_channel.hpp"

namespace {

using mcp::Json;
namespace jsonrpc = mcp::jsonrpc;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_jsonrpc invariant broken: %s: %s\n", what, detail.c_str());
  std::abort();
}

// rebuild turns a decoded message back into the JSON it stands for.
Json rebuild(const jsonrpc::Message& m) {
  switch (m.kind) {
    case jsonrpc::Kind::kRequest:
      return jsonrpc::make_request(m.id, m.method, m.params);
    case jsonrpc::Kind::kNotification:
      return jsonrpc::make_notification(m.method, m.params);
    case jsonrpc::Kind::kResponse:
      return jsonrpc::make_result(m.id, m.result);
    case jsonrpc::Kind::kErrorResponse:
      return jsonrpc::make_error(m.id, m.error);
  }
  return nullptr;
}

// check_round_trip: a decoded message, rebuilt and encoded, is one frame that decodes to the same
// kind, id, method and params.
void check_round_trip(const jsonrpc::Message& m) {
  const std::string frame = jsonrpc::encode(rebuild(m));
  if (frame.find('\n') != std::string::npos) fail("encode wrote a newline", frame);
  auto again = jsonrpc::decode(frame);
  auto* back = std::get_if<jsonrpc::Message>(&again);
  if (back == nullptr) fail("a rebuilt message does not decode", frame);
  if (back->kind != m.kind || back->id != m.id || back->method != m.method ||
      back->params != m.params) {
    fail("round trip changed the message", frame);
  }
  if (m.kind == jsonrpc::Kind::kErrorResponse && back->error.code != m.error.code) {
    fail("round trip changed the error code", frame);
  }
}

mcp::Server& server() {
  static mcp::Server* s = [] {
    mcp::ServerOptions o;
    o.info = {"fuzz", "0", "Fuzz"};
    o.page_size = 2;  // so list cursors are exercised
    auto* srv = new mcp::Server(o);
    mcp::Tool echo;
    echo.name = "echo";
    echo.input_schema = Json::parse(R"({"type":"object","properties":{
        "text":{"type":"string","maxLength":64},"n":{"type":"integer","minimum":0}},
        "required":["text"],"additionalProperties":false})");
    (void)srv->add_tool(echo, [](const Json& args, mcp::ToolContext& ctx) {
      ctx.report_progress(1, 2, "half");
      ctx.log(mcp::LogLevel::kWarning, "echo");
      return mcp::Result<mcp::ToolResult>(mcp::ToolResult::text(args.value("text", "")));
    });
    mcp::Tool quick = echo;
    quick.name = "quick";
    quick.run_inline = true;
    (void)srv->add_tool(quick, [](const Json&, mcp::ToolContext&) {
      return mcp::Result<mcp::ToolResult>(mcp::Error{-1, "refused", nullptr});
    });
    srv->add_resource({"fuzz://a", "a", "A", "", "text/plain"}, [](const std::string& uri) {
      return mcp::Result<Json>(Json::array({{{"uri", uri}, {"text", "a"}}}));
    });
    srv->add_resource_template(
        {"fuzz://items/{id}", "item", "", "", "text/plain"},
        [](const std::string& uri, const std::map<std::string, std::string>& vars) {
          const auto id = vars.find("id");
          const std::string text = id == vars.end() ? "" : id->second;
          return mcp::Result<Json>(Json::array({{{"uri", uri}, {"text", text}}}));
        });
    srv->add_prompt(
        {"greet", "", "", {{"who", "", true}}}, [](const std::map<std::string, std::string>& args) {
          const auto who = args.find("who");
          const std::string text = who == args.end() ? "" : who->second;
          Json message = {{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}};
          return mcp::Result<Json>(Json{{"messages", Json::array({message})}});
        });
    srv->set_completer([](const Json&, const std::string&, const std::string& value) {
      return std::vector<std::string>{value, value + "x"};
    });
    return srv;
  }();
  return *s;
}

mcp::Executor& executor() {
  static auto* e = new mcp::Executor(4);
  return *e;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool raw = !input.empty() && input.front() == '!';
  if (raw) input.remove_prefix(1);

  std::vector<std::string_view> frames;
  while (!input.empty()) {
    const auto nl = input.find('\n');
    frames.push_back(input.substr(0, nl));
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
  }
  for (auto frame : frames) {
    auto decoded = jsonrpc::decode(frame);
    if (auto* m = std::get_if<jsonrpc::Message>(&decoded)) check_round_trip(*m);
  }

  auto channel = std::make_shared<test::MemoryChannel>();
  auto session = server().connect(channel, executor(), "fuzz");
  if (!raw) {
    session->rpc().receive_frame(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
        R"("capabilities":{},"clientInfo":{"name":"fuzz","version":"0"}}})",
        channel);
    session->rpc().receive_frame(R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                                 channel);
  }
  for (auto frame : frames) session->rpc().receive_frame(frame, channel);
  // Pool handlers must finish before the next input; none of ours blocks.
  if (!session->rpc().wait_idle(std::chrono::seconds(10))) {
    fail("handlers still running after 10 s", std::string(frames.empty() ? "" : frames.front()));
  }
  session->rpc().close("fuzz input done");

  for (const auto& sent : channel->messages()) {
    const std::string frame = jsonrpc::encode(sent);
    if (frame.find('\n') != std::string::npos) fail("server sent a newline", frame);
    if (!std::holds_alternative<jsonrpc::Message>(jsonrpc::validate(sent))) {
      fail("server sent an invalid JSON-RPC message", frame);
    }
  }
  return 0;
}
