// HttpServerTransport: lifecycle (bind, run, stop), routing and the checks
// every request passes first. The endpoints live in http_streamable.cpp and
// http_legacy.cpp; the pieces in http_{channel,front,reply,security,sessions}.
#include "mcp/transport_http_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <thread>

#include "mcp/http_impl.hpp"

namespace mcp {

using jsonrpc::kServerError;

namespace {

constexpr auto kStopGrace = std::chrono::seconds(5);  // for handlers to honour their stop token

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
    case 503:
      return "Service Unavailable: too many open streams and waiting calls; retry later";
    default:
      return "HTTP error " + std::to_string(status);
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

void HttpServerTransport::Impl::error_reply(Response& res, int status) const {
  std::string message = http_reason(status);
  if (status == 413) {
    message =
        "Payload Too Large: the body exceeds " + std::to_string(options_.max_body_bytes) + " bytes";
  }
  http::reply_error(res, status, kServerError, message);
}

void HttpServerTransport::Impl::route(http::Exchange& exchange) {
  const Request& req = exchange.req;
  Response& res = exchange.res;
  try {
    if (refuse(req, res)) return;
    const bool get = req.method == "GET" || req.method == "HEAD";
    if (req.path == options_.endpoint) {
      if (req.method == "POST") return handle_post(req, res, exchange.wait);
      if (get) return handle_get(req, res);
      if (req.method == "DELETE") return handle_delete(req, res);
      res.set_header("Allow", "GET, POST, DELETE");
      return http::reply_error(res, 405, kServerError, "Method Not Allowed");
    }
    if (req.path == "/healthz" && get) return http::reply_json(res, 200, R"({"status":"ok"})");
    if (options_.legacy_sse && req.path == "/sse" && get) return handle_legacy_stream(req, res);
    if (options_.legacy_sse && req.path == "/messages" && req.method == "POST") {
      return handle_legacy_post(req, res);
    }
    error_reply(res, 404);
  } catch (const std::exception& e) {
    spdlog::error("HTTP {} {} failed: {}", req.method, req.path, e.what());
    res = Response();
    http::reply_error(res, 500, jsonrpc::kInternalError, "Internal error");
  }
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
  if (!health && !http::host_allowed(req.header("Host"), loopback_bind_, options_.allowed_hosts)) {
    spdlog::warn("refused {} {}: Host '{}' is not allowed", req.method, req.path,
                 req.get_header_value("Host").substr(0, 100));
    http::reply_error(res, 403, kServerError, "Forbidden: invalid Host header");
    return true;
  }
  if (req.has_header("Origin") &&
      !http::origin_allowed(req.header("Origin"), options_.allowed_origins)) {
    spdlog::warn("refused {} {}: Origin '{}' is not allowed", req.method, req.path,
                 req.get_header_value("Origin").substr(0, 100));
    http::reply_error(res, 403, kServerError, "Forbidden: invalid Origin header");
    return true;
  }
  if (!health && !token_.accepts(req.header("Authorization"))) {
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
  front_->stop();
  registry_.close_all("server stopping");
  channels_.close_all();  // wakes every stream writer and undecided POST
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
  http::FrontOptions front;
  front.host = o.host;
  front.port = o.port;
  front.backlog = o.listen_backlog;
  front.io_threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  front.max_workers = std::max<std::size_t>(o.worker_threads, 2);
  front.max_body_bytes = o.max_body_bytes;
  front.max_header_bytes = o.max_header_bytes;
  front.io_timeout = o.io_timeout;
  front.keepalive_idle = std::max(o.keepalive_idle_timeout, std::chrono::seconds(1));
  front.keepalive_max_requests = std::max<std::size_t>(1, o.keepalive_max_requests);
  i.front_ = std::make_unique<http::Front>(
      std::move(front), [&i](http::Exchange& exchange) { i.route(exchange); },
      [&i](Impl::Response& res, int status) { i.error_reply(res, status); });
  if (auto bound = i.front_->bind(); !bound) {
    i.front_.reset();
    return bound;
  }
  i.port_ = i.front_->port();
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
  i.front_->run();  // until housekeeping's shut_down() stops it
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
