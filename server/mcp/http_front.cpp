// http::Front (http_front.hpp): the I/O threads, the listening socket, the
// worker threads, and stopping. One connection's work is in
// http_connection.cpp.
#include "mcp/http_front_impl.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <thread>

#include "mcp/jsonrpc.hpp"

namespace mcp::http {

namespace beast = boost::beast;

void Front::Impl::accept() {
  auto& io = *ios[next_io++ % ios.size()];
  acceptor.async_accept(io, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);  // SSE events are small and must not wait
      std::shared_ptr<Link> connection;
      {
        std::lock_guard lock(mu);
        if (!stopping) {
          const auto id = next_connection++;
          connection = make_connection(*this, std::move(socket), id);
          connections.emplace(id, connection);
        }
      }
      if (connection) connection->start();
    } else {
      spdlog::warn("HTTP accept failed: {}", ec.message());
    }
    accept();
  });
}

void Front::Impl::sweep() {
  // A quarter of the shortest timeout: a connection closes at most that long
  // after its deadline.
  const auto shortest = std::min(options.io_timeout, options.keepalive_idle);
  const auto every = std::clamp<Clock::duration>(shortest / 4, std::chrono::milliseconds(50),
                                                 std::chrono::seconds(1));
  sweeper.expires_after(every);
  sweeper.async_wait([this](beast::error_code ec) {
    if (ec || stopping) return;  // cancelled, or about to be: stopping
    const auto now = Clock::now();
    std::vector<std::shared_ptr<Link>> open;
    {
      std::lock_guard lock(mu);
      open.reserve(connections.size());
      for (auto& [id, weak] : connections) {
        if (auto connection = weak.lock()) open.push_back(std::move(connection));
      }
    }
    for (auto& connection : open) connection->expire(now);
    sweep();
  });
}

bool Front::Impl::spawn(std::function<void()> job) {
  {
    std::lock_guard lock(mu);
    if (workers >= options.max_workers) return false;
    ++workers;
  }
  std::thread([this, job = std::move(job)]() mutable {
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("HTTP worker failed: {}", e.what());
    }
    job = nullptr;  // what it holds (a connection) goes before run() may return
    std::lock_guard lock(mu);
    --workers;
    changed.notify_all();
  }).detach();
  return true;
}

Front::Front(FrontOptions options, Handler handler, ErrorReply error_reply)
    : impl_(
          std::make_unique<Impl>(std::move(options), std::move(handler), std::move(error_reply))) {}

Front::~Front() = default;

Status Front::bind() {
  Impl& i = *impl_;
  beast::error_code ec;
  tcp::resolver resolver(*i.ios.front());
  const auto found = resolver.resolve(i.options.host, std::to_string(i.options.port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  auto fail = [&](const std::string& what) {
    return Error{
        jsonrpc::kServerError,
        "cannot bind " + i.options.host + ":" + std::to_string(i.options.port) + ": " + what,
        nullptr};
  };
  if (ec || found.empty()) return fail(ec ? ec.message() : "no address");
  const tcp::endpoint endpoint = *found.begin();
  i.acceptor.open(endpoint.protocol(), ec);
  if (!ec) i.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) i.acceptor.bind(endpoint, ec);
  if (!ec) i.acceptor.listen(std::max(i.options.backlog, 1), ec);
  if (ec) {
    beast::error_code ignored;
    i.acceptor.close(ignored);
    return fail(ec.message());
  }
  i.port = i.acceptor.local_endpoint(ec).port();
  return Ok{};
}

int Front::port() const {
  return impl_->port;
}

void Front::run() {
  Impl& i = *impl_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  for (auto& io : i.ios) {
    guards.push_back(net::make_work_guard(*io));
    threads.emplace_back([&io = *io] { io.run(); });
  }
  net::post(*i.ios.front(), [&i] {
    i.accept();
    i.sweep();
  });
  std::vector<std::shared_ptr<Link>> open;
  {
    std::unique_lock lock(i.mu);
    i.changed.wait(lock, [&i] { return i.stopping.load(); });
    for (auto& [id, weak] : i.connections) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  net::post(i.acceptor.get_executor(), [&i] {
    beast::error_code ignored;
    i.acceptor.close(ignored);
    i.sweeper.cancel();
  });
  for (auto& connection : open) connection->close();
  open.clear();
  {
    // Waiting handlers and streams end once their channels close (the
    // transport closes them on stop) or their writes fail on the closed
    // sockets; both need the I/O threads, which still run.
    std::unique_lock lock(i.mu);
    i.changed.wait(lock, [&i] { return i.workers == 0; });
  }
  guards.clear();
  for (auto& thread : threads) thread.join();
}

void Front::stop() {
  std::lock_guard lock(impl_->mu);
  impl_->stopping = true;
  impl_->changed.notify_all();
}

}  // namespace mcp::http
