// fuzz_http_request: whole HTTP requests against a live Streamable HTTP server on loopback.
//
// Why a socket: the transport's request handling (HttpServerTransport::Impl: checks, routing,
// handle_post/get/delete, sessions, SSE) is private behind http::Front, which takes requests
// only from its sockets. So the target serves a real Server on 127.0.0.1:<ephemeral> and
// writes each input to it as one request: slower than an in-process call, but every byte takes
// the path a client's would. The pure header checks are fuzzed in-process by fuzz_http_checks.
//
// Input: the request line, header lines, an empty line, the body (like HTTP, with '\n' or
// "\r\n"). The harness keeps the framing its own: it drops Connection, Content-Length,
// Transfer-Encoding, Expect and Accept-Encoding lines and adds "Connection: close" and the
// body's Content-Length. "$SID" anywhere is replaced by the id of a live session the harness
// opened, so the fuzzer reaches the paths behind Mcp-Session-Id. Each response must arrive in
// time, carry a status the transport documents (never 500), and a JSON body must be JSON-RPC.
// The server answers a malformed request (an empty request line, a header line without a colon,
// control bytes) 400 and closes with part of the request unread, which can reset the connection
// and cut the answer: no response, or a cut one, is accepted for those only. A hang never is.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "mcp/jsonrpc.hpp"
#include "mcp/server.hpp"
#include "mcp/transport_http_server.hpp"

namespace {

using mcp::Json;
using Clock = std::chrono::steady_clock;

constexpr auto kResponseDeadline = std::chrono::seconds(20);

[[noreturn]] void fail(const char* what, const std::string& request, const std::string& response) {
  std::fprintf(stderr,
               "fuzz_http_request invariant broken: %s\n--- request\n%s\n--- response\n%s\n", what,
               request.c_str(), response.substr(0, 4000).c_str());
  std::abort();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Live {
  mcp::Executor executor{16};
  mcp::Server server{mcp::ServerOptions{{"fuzz-http", "0", ""}, "", 2, mcp::LogLevel::kInfo}};
  mcp::HttpServerTransport* transport = nullptr;
  int port = 0;
  std::string session_id;  // "$SID"; re-opened when the server no longer knows it
};

Live& live() {
  static Live* l = [] {
    auto* l = new Live;
    mcp::Tool echo;
    echo.name = "echo";
    echo.input_schema = Json::parse(
        R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})");
    (void)l->server.add_tool(echo, [](const Json& args, mcp::ToolContext& ctx) {
      ctx.report_progress(1, 1);
      return mcp::Result<mcp::ToolResult>(mcp::ToolResult::text(args.value("text", "")));
    });
    mcp::HttpServerOptions o;
    o.allowed_hosts = {"mcp.example", "gateway:8443"};
    o.allowed_origins = {"https://app.example"};
    o.bearer_token = "fuzz-token";
    o.max_body_bytes = 64 * 1024;
    o.max_header_bytes = 8 * 1024;
    o.max_sessions = 16;
    o.session_idle_timeout = std::chrono::seconds(3);
    o.worker_threads = 128;
    o.keepalive_interval = std::chrono::seconds(1);  // an abandoned SSE stream is noticed soon
    o.io_timeout = std::chrono::seconds(5);
    l->transport = new mcp::HttpServerTransport(l->server, l->executor, o);
    if (auto bound = l->transport->bind(); !bound) {
      std::fprintf(stderr, "fuzz_http_request: bind failed: %s\n", bound.error().message.c_str());
      std::abort();
    }
    l->port = l->transport->port();
    std::thread([t = l->transport] { t->run(); }).detach();
    return l;
  }();
  return *l;
}

// exchange writes `request` on a new connection and reads the response: to EOF, or to the end
// of the headers of an SSE stream that is not a POST's (GET streams never end by themselves).
// nullopt when the server neither answered nor closed before the deadline.
std::optional<std::string> exchange(const std::string& request, bool is_post) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(live().port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    fail("cannot connect to the server", request, "");
  }
  std::size_t written = 0;
  while (written < request.size()) {
    const auto n = ::send(fd, request.data() + written, request.size() - written, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413, 431) and close before reading it all
    written += static_cast<std::size_t>(n);
  }
  // No shutdown(SHUT_WR) after the request (cpp-httplib 0.11.4, the server before http::Front,
  // then closed about one connection in a few hundred without answering); "Connection: close"
  // ends it.
  std::string response;
  const auto deadline = Clock::now() + kResponseDeadline;
  bool complete = false;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[16384];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      complete = true;
      break;
    }
    response.append(buffer, static_cast<std::size_t>(n));
    const auto end = response.find("\r\n\r\n");
    if (!is_post && end != std::string::npos &&
        lower(response.substr(0, end)).find("content-type: text/event-stream") !=
            std::string::npos) {
      complete = true;
      break;
    }
  }
  ::close(fd);
  if (!complete) return std::nullopt;
  return response;
}

std::string header(const std::string& head, std::string_view name) {
  const std::string h = lower(head);
  const auto at = h.find("\r\n" + lower(name) + ":");
  if (at == std::string::npos) return "";
  auto start = at + 2 + name.size() + 1;
  while (start < head.size() && head[start] == ' ') ++start;
  return head.substr(start, head.find("\r\n", start) - start);
}

// open_session initializes a session the way a client does; "" when the server refuses (full).
std::string open_session() {
  const std::string body =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
      R"("capabilities":{},"clientInfo":{"name":"fuzz","version":"0"}}})";
  const std::string response =
      exchange(
          "POST /mcp HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer fuzz-token\r\n"
          "Accept: application/json, text/event-stream\r\nContent-Type: application/json\r\n"
          "Connection: close\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n" + body,
          true)
          .value_or("");
  return header(response.substr(0, response.find("\r\n\r\n")), "Mcp-Session-Id");
}

// build turns the fuzz input into a request whose framing the harness controls.
std::string build(std::string_view input, const std::string& sid, bool& is_post) {
  auto next_line = [&input] {
    const auto nl = input.find('\n');
    std::string line(input.substr(0, nl));
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  auto with_sid = [&sid](std::string text) {
    for (auto at = text.find("$SID"); at != std::string::npos; at = text.find("$SID", at)) {
      text.replace(at, 4, sid);
      at += sid.size();
    }
    return text;
  };
  static const std::set<std::string> kDropped = {"connection", "content-length",
                                                 "transfer-encoding", "expect", "accept-encoding"};
  std::string request_line = with_sid(next_line());
  for (auto& c : request_line) {
    if (c == '\r') c = ' ';
  }
  is_post = request_line.rfind("POST ", 0) == 0;
  std::string out = request_line + "\r\n";
  while (!input.empty()) {
    std::string line = next_line();
    if (line.empty()) break;
    for (auto& c : line) {
      if (c == '\r') c = ' ';
    }
    if (kDropped.count(lower(line.substr(0, line.find(':'))))) continue;
    out += with_sid(line) + "\r\n";
  }
  const std::string body = with_sid(std::string(input));
  out += "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return out + body;
}

// well_formed: the request line and every header line are made of what RFC 9110/9112 allow
// (a token method, a visible target, HTTP/1.x; token names, a colon, visible or obs-text values).
bool well_formed(const std::string& request) {
  auto token = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  };
  auto field_char = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  };
  const auto head_end = request.find("\r\n\r\n");
  std::string_view head(request.data(), head_end);
  const auto line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const auto sp1 = line.find(' ');
  const auto sp2 = line.rfind(' ');
  if (sp1 == 0 || sp1 == std::string_view::npos || sp2 == sp1) return false;
  for (char c : line.substr(0, sp1)) {
    if (!token(c)) return false;
  }
  for (char c : line.substr(sp1 + 1, sp2 - sp1 - 1)) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  const auto version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return false;
  head.remove_prefix(line_end == std::string_view::npos ? head.size() : line_end + 2);
  while (!head.empty()) {
    const auto end = head.find("\r\n");
    const std::string_view field = head.substr(0, end);
    head.remove_prefix(end == std::string_view::npos ? head.size() : end + 2);
    const auto colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    for (char c : field.substr(0, colon)) {
      if (!token(c)) return false;
    }
    for (char c : field.substr(colon + 1)) {
      if (!field_char(c)) return false;
    }
  }
  return true;
}

// truncated: the headers announce a Content-Length the body falls short of.
bool truncated(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const std::string length = header(response.substr(0, end), "Content-Length");
  if (length.empty() || response.rfind("HTTP/1.1", 0) != 0) return false;
  return std::strtoull(length.c_str(), nullptr, 10) > response.size() - end - 4;
}

void check_response(const std::string& request, const std::string& response) {
  static const std::set<int> kDocumented = {200, 202, 204, 400, 401, 403, 404, 405,
                                            406, 409, 413, 414, 415, 431, 503};
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) {
    fail("no status line", request, response);
  }
  const int status = std::atoi(response.substr(9, 3).c_str());
  if (!kDocumented.count(status)) fail("an undocumented status", request, response);
  const auto end = response.find("\r\n\r\n");
  if (end == std::string::npos) fail("the headers never end", request, response);
  const std::string head = response.substr(0, end);
  if (request.rfind("HEAD ", 0) == 0 || lower(header(head, "Content-Type")) != "application/json" ||
      header(head, "Content-Length").empty()) {
    return;  // SSE, empty, or chunked: the stream's frames are the session's own checks
  }
  const Json body = Json::parse(response.substr(end + 4), nullptr, false);
  if (body.is_discarded()) fail("a JSON response that is not JSON", request, response);
  if (body.contains("status")) return;  // /healthz
  if (!std::holds_alternative<mcp::jsonrpc::Message>(mcp::jsonrpc::validate(body))) {
    fail("a JSON response that is not JSON-RPC", request, response);
  }
  if (status >= 400 && !body.contains("error"))
    fail("an error status without an error", request, response);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  (void)live();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Live& l = live();
  const bool uses_sid = input.find("$SID") != std::string_view::npos;
  if (uses_sid && l.session_id.empty()) l.session_id = open_session();
  bool is_post = false;
  const std::string request = build(input, l.session_id, is_post);
  const auto response = exchange(request, is_post);
  if (!response) fail("no response and no close in time", request, "");
  const bool head = request.rfind("HEAD ", 0) == 0;  // a HEAD answer has no body
  if (response->empty() || (!head && truncated(*response))) {
    // A malformed request is answered 400 and the connection closed with bytes unread, which
    // can reset it and cut the response short. A well-formed request gets it whole.
    if (well_formed(request)) fail("a well-formed request lost its response", request, *response);
    return 0;
  }
  check_response(request, *response);
  // A session that ended (DELETE, expiry) is opened again for the next input that uses one.
  if (uses_sid && response->rfind("HTTP/1.1 404", 0) == 0) l.session_id.clear();
  return 0;
}
