// HttpServerTransport: lifecycle (bind, run, stop), routing and the checks
// every request passes first. The endpoints live in http_streamable.cpp and
// http_legacy.cpp; the pieces in http_{channel,reply,security,sessions}.
#include "mcp/transport_http_server.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <thread>

#include "mcp/http_impl.hpp"

namespace mcp {

using HandlerResponse = httplib::Server::HandlerResponse;
using jsonrpc::kServerError;

namespace {

constexpr auto kStopGrace = std::chrono::seconds(5);  // for handlers to honour their stop token

// regex_escape: cpp-httplib takes route patterns as regular expressions.
std::string regex_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string http_reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "HTTP error " + std::to_string(status);
  }
}

// close_after_reply makes cpp-httplib close the connection once `res` is
// written. 0.11.4 has no direct way; a fixed-length content provider that
// writes the whole body and then reports failure ends the connection after a
// complete response ("Connection: close" tells the client not to reuse it).
void close_after_reply(httplib::Response& res) {
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  const auto type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");  // set_content_provider sets it again
  res.set_header("Connection", "close");
  res.set_content_provider(body->size(), type,
                           [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;
                           });
}

int local_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return -1;
}

// shutdown_connections shuts down the accepted connections of the listener on
// `port`. cpp-httplib 0.11.4 exposes no handle on them, and an idle
// keep-alive connection holds its worker for up to the keep-alive timeout,
// which would delay stop(); found through /proc/self/fd, they are shut down
// (not closed: their workers still own the descriptors) and end at once. Only
// connected, non-listening stream sockets whose local port is ours qualify.
void shutdown_connections(int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return;
  std::vector<int> fds;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the DIR stream is private to this call.
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && fd != ::dirfd(dir)) fds.push_back(int(fd));
  }
  ::closedir(dir);
  for (int fd : fds) {
    struct stat st {};
    int type = 0;
    int listening = 0;
    socklen_t len = sizeof type;
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) continue;
    len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening) continue;
    if (local_port(fd) != port) continue;
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    ::shutdown(fd, SHUT_RDWR);
  }
}

}  // namespace

HttpServerTransport::Impl::Impl(Server& server, Executor& executor, HttpServerOptions options)
    : server_(server),
      executor_(executor),
      options_(std::move(options)),
      registry_(options_.max_sessions, options_.session_idle_timeout),
      token_(options_.bearer_token) {
  if (::pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
    spdlog::error("HTTP transport: pipe2 failed: {}", std::generic_category().message(errno));
  }
}

HttpServerTransport::Impl::~Impl() {
  svr_.close_unused_socket();  // no listen loop runs any more
  for (int fd : wake_fds_) {
    if (fd >= 0) ::close(fd);
  }
}

void HttpServerTransport::Impl::wake() noexcept {
  const char byte = 1;
  if (wake_fds_[1] >= 0 && ::write(wake_fds_[1], &byte, 1) < 0) {
    // Full pipe: a wake-up is pending anyway.
  }
}

void HttpServerTransport::Impl::install_routes() {
  const std::string endpoint = regex_escape(options_.endpoint);
  // A response already filled in was refused by guard() (see there).
  auto bind = [this](void (Impl::*handler)(const Request&, Response&)) {
    return [this, handler](const Request& req, Response& res) {
      if (res.status == -1) (this->*handler)(req, res);
    };
  };
  svr_.Post(endpoint, bind(&Impl::handle_post));
  svr_.Get(endpoint, bind(&Impl::handle_get));
  svr_.Delete(endpoint, bind(&Impl::handle_delete));
  auto not_allowed = [](const Request&, Response& res) {
    if (res.status != -1) return;
    res.set_header("Allow", "GET, POST, DELETE");
    http::reply_error(res, 405, kServerError, "Method Not Allowed");
  };
  svr_.Put(endpoint, not_allowed);
  svr_.Patch(endpoint, not_allowed);
  svr_.Options(endpoint, not_allowed);
  svr_.Get("/healthz", [](const Request&, Response& res) {
    if (res.status == -1) http::reply_json(res, 200, R"({"status":"ok"})");
  });
  if (options_.legacy_sse) {
    svr_.Get("/sse", bind(&Impl::handle_legacy_stream));
    svr_.Post("/messages", bind(&Impl::handle_legacy_post));
  }

  svr_.set_pre_routing_handler(
      [this](const Request& req, Response& res) { return guard(req, res); });
  // Statuses cpp-httplib produces itself (404, 413, 414, 400 for a malformed
  // request) get a JSON-RPC error body like ours. 413 replaces a refusal
  // deferred by guard(): the body was too large to read.
  svr_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const Request&, Response& res) {
        if (res.status != 413 && !res.body.empty()) return HandlerResponse::Unhandled;
        std::string message = http_reason(res.status);
        if (res.status == 413) {
          message = "Payload Too Large: the body exceeds " +
                    std::to_string(options_.max_body_bytes) + " bytes";
        }
        http::reply_error(res, res.status, kServerError, message);
        // A malformed request (400) or an over-long URI (414) is abandoned by
        // cpp-httplib part way: the rest of it would be read as the next
        // request on the keep-alive connection. Answer, then close.
        if (res.status == 400 || res.status == 414) close_after_reply(res);
        return HandlerResponse::Handled;
      }));
  svr_.set_exception_handler(
      [](const Request& req, Response& res, const std::exception_ptr& error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          spdlog::error("HTTP {} {} failed: {}", req.method, req.path, e.what());
        } catch (...) {
          spdlog::error("HTTP {} {} failed", req.method, req.path);
        }
        http::reply_error(res, 500, jsonrpc::kInternalError, "Internal error");
      });
  svr_.set_logger([](const Request& req, const Response& res) {
    spdlog::debug("HTTP {} {} -> {}", req.method, req.path, res.status);
  });
}

HandlerResponse HttpServerTransport::Impl::guard(const Request& req, Response& res) {
  if (!refuse(req, res)) return HandlerResponse::Unhandled;
  // cpp-httplib 0.11.4 does not drain a body its pre-routing handler left
  // unread: the next request on the keep-alive connection would be parsed
  // from the body's bytes. So a refused request with a body is routed on:
  // httplib reads the body (bounded by max_body_bytes), and the handlers
  // return at once when they see the response already filled in.
  const bool has_body =
      req.has_header("Transfer-Encoding") ||
      (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
  return has_body ? HandlerResponse::Unhandled : HandlerResponse::Handled;
}

bool HttpServerTransport::Impl::refuse(const Request& req, Response& res) {
  std::size_t header_bytes = 0;
  for (const auto& [name, value] : req.headers) header_bytes += name.size() + value.size();
  if (header_bytes > options_.max_header_bytes) {
    http::reply_error(res, 431, kServerError, "Request Header Fields Too Large");
    return true;
  }
  const bool health = req.path == "/healthz" && (req.method == "GET" || req.method == "HEAD");
  // DNS rebinding: a browser page can reach a loopback server under a name
  // the attacker controls; only names clients legitimately use pass.
  if (!health &&
      !http::host_allowed(req.get_header_value("Host"), loopback_bind_, options_.allowed_hosts)) {
    spdlog::warn("refused {} {}: Host '{}' is not allowed", req.method, req.path,
                 req.get_header_value("Host").substr(0, 100));
    http::reply_error(res, 403, kServerError, "Forbidden: invalid Host header");
    return true;
  }
  if (req.has_header("Origin") &&
      !http::origin_allowed(req.get_header_value("Origin"), options_.allowed_origins)) {
    spdlog::warn("refused {} {}: Origin '{}' is not allowed", req.method, req.path,
                 req.get_header_value("Origin").substr(0, 100));
    http::reply_error(res, 403, kServerError, "Forbidden: invalid Origin header");
    return true;
  }
  if (!health && !token_.accepts(req.get_header_value("Authorization"))) {
    std::string challenge = R"(Bearer realm="lmhunt")";
    if (req.has_header("Authorization")) challenge += R"(, error="invalid_token")";
    res.set_header("WWW-Authenticate", challenge);
    http::reply_error(res, 401, kServerError, "Unauthorized: a valid bearer token is required");
    return true;
  }
  return false;
}

void HttpServerTransport::Impl::housekeeping() noexcept {
  try {
    const auto interval = std::clamp<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_idle_timeout) / 4,
        std::chrono::milliseconds(100), std::chrono::seconds(30));
    while (!stopping_) {
      pollfd wake{wake_fds_[0], POLLIN, 0};
      ::poll(&wake, 1, static_cast<int>(interval.count()));
      char drain[64];
      while (::read(wake_fds_[0], drain, sizeof drain) > 0) {
      }
      if (!stopping_) registry_.sweep();
    }
    shut_down();
  } catch (const std::exception& e) {
    spdlog::error("HTTP housekeeping failed: {}", e.what());
  }
}

void HttpServerTransport::Impl::shut_down() {
  // httplib::Server::stop only acts once the listen loop runs; stop() may
  // have come first.
  while (!listen_done_ && !svr_.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!listen_done_) svr_.stop();
  registry_.close_all("server stopping");
  channels_.close_all();  // wakes every stream writer and undecided POST
  // Workers end with their connections; the listen loop joins them. Requests
  // may still arrive on open connections meanwhile (answered 503), so keep
  // shutting down until run() reports the loop has ended.
  while (!listen_done_) {
    shutdown_connections(port_);
    pollfd wake{wake_fds_[0], POLLIN, 0};
    ::poll(&wake, 1, 50);
  }
}

// --- HttpServerTransport -------------------------------------------------------

HttpServerTransport::HttpServerTransport(Server& server, Executor& executor,
                                         HttpServerOptions options)
    : impl_(std::make_unique<Impl>(server, executor, std::move(options))) {}

HttpServerTransport::~HttpServerTransport() = default;

Status HttpServerTransport::bind() {
  Impl& i = *impl_;
  const auto& o = i.options_;
  auto fail = [](std::string message) { return Error{kServerError, std::move(message), nullptr}; };
  if (i.bound_) return fail("already bound");
  if (o.endpoint.empty() || o.endpoint.front() != '/')
    return fail("the endpoint must start with /");
  if (o.endpoint == "/healthz" ||
      (o.legacy_sse && (o.endpoint == "/sse" || o.endpoint == "/messages"))) {
    return fail("the endpoint " + o.endpoint + " collides with a built-in path");
  }
  i.loopback_bind_ = http::is_loopback_address(o.host);
  if (!i.loopback_bind_ && !i.token_.required()) {
    return fail("refusing to serve on non-loopback address " + o.host +
                " without a bearer token (anyone who can reach it could use the server)");
  }
  if (!i.loopback_bind_ && o.allowed_hosts.empty()) {
    spdlog::warn(
        "serving on {} with no allowed hosts: every request will be refused (403) "
        "until the Host names clients use are allowed",
        o.host);
  }
  const std::size_t workers = std::max<std::size_t>(o.worker_threads, 2);
  i.svr_.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  i.svr_.set_read_timeout(o.io_timeout);
  i.svr_.set_write_timeout(o.io_timeout);
  i.svr_.set_keep_alive_timeout(std::max<time_t>(1, o.keepalive_idle_timeout.count()));
  i.svr_.set_keep_alive_max_count(std::max<std::size_t>(1, o.keepalive_max_requests));
  i.svr_.set_payload_max_length(o.max_body_bytes);
  i.svr_.set_tcp_nodelay(true);  // SSE events are small and must not wait
  i.install_routes();

  errno = 0;
  i.port_ = o.port == 0 ? i.svr_.bind_to_any_port(o.host)
                        : (i.svr_.bind_to_port(o.host, o.port) ? o.port : -1);
  if (i.port_ <= 0) {
    return fail(
        "cannot bind " + o.host + ":" + std::to_string(o.port) +
        (errno ? std::string(": ") + std::generic_category().message(errno) : std::string()));
  }
  // cpp-httplib's own backlog is 5: with more connections arriving at once than that, the
  // kernel drops the rest and clients see resets (bench/load_bench.cpp found it: 1,000
  // tools/list calls at once lost a third of them).
  if (!i.svr_.set_backlog(std::max(o.listen_backlog, 1))) {
    spdlog::warn("cannot raise the listen backlog to {}: {}", o.listen_backlog,
                 std::generic_category().message(errno));
  }
  i.bound_ = true;
  return Ok{};
}

int HttpServerTransport::port() const {
  return impl_->port_;
}

void HttpServerTransport::run() {
  Impl& i = *impl_;
  if (!i.bound_) {
    spdlog::error("HttpServerTransport::run called without a successful bind");
    return;
  }
  std::thread keeper([&i] { i.housekeeping(); });
  if (!i.stopping_) i.svr_.listen_after_bind();
  i.listen_done_ = true;
  i.stopping_ = true;
  i.wake();
  keeper.join();
  i.registry_.close_all("server stopped");
  i.channels_.close_all();
  i.registry_.wait_retired(kStopGrace);
}

void HttpServerTransport::stop() {
  // Safe in a signal handler: a lock-free store and a write(2).
  impl_->stopping_.store(true);
  impl_->wake();
}

}  // namespace mcp
