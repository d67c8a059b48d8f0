// lmhunt_bench_ceiling: the harness's ceilings, not an MCP server. It answers
// the load generator's four messages (initialize, notifications/initialized,
// tools/call echo, DELETE) and nothing else, on a loop with no framework: over
// HTTP one epoll thread (--http HOST:PORT; the first stdout line is the URL),
// over stdio one read/write loop. bench/run.sh measures it beside lmhunt and
// the TypeScript SDK server, answering in one of four ways (--answer):
//   scan      finds the id and the text by searching the request's bytes and
//             builds the answer by concatenation: the most requests/s this
//             load generator lets any server reach on this machine;
//   ondemand  reads each request for real, once, with simdjson's on-demand
//             parser and no tree (checks jsonrpc, unescapes the text, escapes
//             it back): what reading JSON costs a server that builds no tree;
//   parse     parses each request with nlohmann::json first: that library's
//             share of the cost;
//   core      hands each message to lmhunt's MCP core (mcp::Server, one
//             session per connection, the same echo tool as
//             lmhunt_bench_server): the core's cost without the product's
//             transports, so the table shows how much of lmhunt's time is its
//             transport.
//
// The HTTP/1.1 handling is hand-written on purpose: a library's costs are
// exactly what a ceiling must leave out. It reads a request line, headers and
// a Content-Length body, and nothing else (no chunked bodies, no limits, no
// checks); it serves the benchmark on loopback and nothing else.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "ceiling_answers.hpp"
#include "echo_tool.hpp"
#include "mcp/server.hpp"

namespace {

using mcp::Json;

enum class Answer { kScan, kOnDemand, kParse, kCore };

// Core is lmhunt's MCP core with the echo tool, one session per connection
// (the load generator initializes once per connection). A handler that runs
// inline (initialize, the echo tool) has sent its answer when receive_frame
// returns; Capture keeps it.
class Core {
 public:
  Core() : server_(options()) {
    if (auto added = bench::add_echo_tool(server_); !added) {
      std::fprintf(stderr, "lmhunt_bench_ceiling: %s\n", added.error().message.c_str());
      std::exit(1);
    }
  }

  static mcp::ServerOptions options() {
    mcp::ServerOptions options;
    options.info = {"lmhunt-bench-ceiling", "0.1.0", "the benchmark's ceiling"};
    return options;
  }

  std::string answer(int connection, std::string_view text) {
    auto& session = sessions_[connection];
    if (!session) session = server_.connect(capture_, executor_, "ceiling");
    capture_->frame.clear();
    session->rpc().receive_frame(text, capture_);
    return std::move(capture_->frame);
  }

  void forget(int connection) {
    if (auto it = sessions_.find(connection); it != sessions_.end()) {
      it->second->close("connection closed");
      sessions_.erase(it);
    }
  }

 private:
  struct Capture : mcp::Channel {
    std::string frame;
    bool send(const Json& message) override {
      frame = mcp::jsonrpc::encode(message);
      return true;
    }
  };
  mcp::Server server_;
  mcp::Executor executor_;
  std::shared_ptr<Capture> capture_ = std::make_shared<Capture>();
  std::unordered_map<int, std::shared_ptr<mcp::ServerSession>> sessions_;
};

Answer g_answer = Answer::kScan;
Core* g_core = nullptr;  // --answer core

// answer is the JSON-RPC answer to one message on `connection`, or empty for
// a notification.
std::string answer(int connection, std::string_view text) {
  switch (g_answer) {
    case Answer::kScan:
      return bench::scan_answer(text);
    case Answer::kOnDemand:
      return bench::ondemand_answer(text);
    case Answer::kParse:
      return bench::parse_answer(text);
    case Answer::kCore:
      break;
  }
  return g_core->answer(connection, text);
}

bool write_all(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    const auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// serve_stdio writes answers once 512 bytes are waiting and at the end of
// each read, as lmhunt's stdio transport does (FdChannel::kCorkBytes), so the
// client reads the first answers while the rest are being made.
int serve_stdio() {
  constexpr std::size_t kWriteBytes = 512;
  std::string in;
  std::string out;
  char chunk[1 << 16];
  for (ssize_t n; (n = ::read(0, chunk, sizeof chunk)) > 0;) {
    in.append(chunk, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t end; (end = in.find('\n', start)) != std::string::npos; start = end + 1) {
      if (auto reply = answer(0, std::string_view(in).substr(start, end - start)); !reply.empty()) {
        out += reply + "\n";
      }
      if (out.size() >= kWriteBytes) {
        if (!write_all(1, out)) return 1;
        out.clear();
      }
    }
    in.erase(0, start);
    if (!write_all(1, out)) return 1;
    out.clear();
  }
  return 0;
}

// content_length reads the Content-Length header of `head` (0 when absent).
std::size_t content_length(std::string_view head) {
  constexpr std::string_view kName = "\r\ncontent-length:";
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
       at = head.find("\r\n", at + 2)) {
    if (head.size() - at < kName.size()) break;
    bool match = true;
    for (std::size_t i = 0; i < kName.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(head[at + i])) == kName[i];
    }
    if (match) return std::strtoul(head.data() + at + kName.size(), nullptr, 10);
  }
  return 0;
}

// respond appends the HTTP response to one request (head and body) on
// `connection` to `out`.
void respond(int connection, std::string_view head, std::string_view body, std::string& out) {
  int status = 200;
  std::string reply;
  std::string extra;
  if (head.substr(0, 7) == "DELETE ") {
    status = 204;
  } else if (reply = answer(connection, body); reply.empty()) {
    status = 202;
  } else if (body.find("\"initialize\"") != std::string_view::npos) {
    extra = "Mcp-Session-Id: ceiling\r\n";
  }
  const char* reason = status == 200 ? " OK" : status == 202 ? " Accepted" : " No Content";
  out += "HTTP/1.1 " + std::to_string(status) + reason + "\r\nContent-Type: application/json\r\n" +
         extra + "Content-Length: " + std::to_string(reply.size()) + "\r\n\r\n" + reply;
}

// send_all writes all of `data` to the non-blocking socket `fd`, waiting
// while its send buffer is full.
void send_all(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    const auto n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      pollfd writable{fd, POLLOUT, 0};
      ::poll(&writable, 1, -1);
    } else {
      return;  // the peer is gone; its next read fails and closes it
    }
  }
}

int serve_http(const std::string& host, int port) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  socklen_t len = sizeof addr;
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(listener, 128) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::fprintf(stderr, "lmhunt_bench_ceiling: cannot listen on %s:%d\n", host.c_str(), port);
    return 1;
  }
  std::printf("http://%s:%d/mcp\n", host.c_str(), ntohs(addr.sin_port));
  std::fflush(stdout);
  const int poller = ::epoll_create1(EPOLL_CLOEXEC);
  auto watch = [poller](int fd) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    ::epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
  };
  watch(listener);
  std::unordered_map<int, std::string> pending;  // bytes read but not yet answered
  epoll_event events[64];
  char chunk[1 << 16];
  for (;;) {
    const int ready = ::epoll_wait(poller, events, 64, -1);
    for (int e = 0; e < ready; ++e) {
      const int fd = events[e].data.fd;
      if (fd == listener) {
        const int conn = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (conn < 0) continue;
        ::setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        watch(conn);
        continue;
      }
      const auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        ::close(fd);  // also leaves the epoll set
        pending.erase(fd);
        if (g_core != nullptr) g_core->forget(fd);
        continue;
      }
      std::string& in = pending[fd];
      in.append(chunk, static_cast<std::size_t>(n));
      std::string out;
      std::size_t start = 0;
      for (;;) {
        const auto head_end = in.find("\r\n\r\n", start);
        if (head_end == std::string::npos) break;
        const std::string_view head(in.data() + start, head_end - start + 2);
        const std::size_t body_len = content_length(head);
        if (in.size() < head_end + 4 + body_len) break;
        respond(fd, head, std::string_view(in).substr(head_end + 4, body_len), out);
        start = head_end + 4 + body_len;
      }
      in.erase(0, start);
      send_all(fd, out);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint;
  bool ok = true;
  for (int i = 1; i + 1 < argc && ok; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    if (flag == "--http") {
      endpoint = value;
    } else if (flag == "--answer" &&
               (value == "scan" || value == "ondemand" || value == "parse" || value == "core")) {
      g_answer = value == "scan"       ? Answer::kScan
                 : value == "ondemand" ? Answer::kOnDemand
                 : value == "parse"    ? Answer::kParse
                                       : Answer::kCore;
    } else {
      ok = false;
    }
  }
  const auto colon = endpoint.rfind(':');
  if (!ok || argc % 2 == 0 || (!endpoint.empty() && colon == std::string::npos)) {
    std::fprintf(
        stderr,
        "usage: lmhunt_bench_ceiling [--answer scan|ondemand|parse|core] [--http HOST:PORT]\n");
    return 2;
  }
  spdlog::set_default_logger(spdlog::stderr_logger_mt("ceiling"));
  spdlog::set_level(spdlog::level::warn);
  std::optional<Core> core;  // only when asked for: it adds to the RSS the table reports
  if (g_answer == Answer::kCore) g_core = &core.emplace();
  if (endpoint.empty()) return serve_stdio();
  return serve_http(endpoint.substr(0, colon), std::atoi(endpoint.c_str() + colon + 1));
}
