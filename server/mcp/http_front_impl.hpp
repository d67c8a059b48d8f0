#pragma once
// Inside http::Front (http_front.cpp: threads, accepting, workers;
// http_connection.cpp: one connection's requests and responses). Included by
// those two files only: it brings in Boost.Asio and Beast.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "mcp/http_front.hpp"

namespace mcp::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Link is what the front holds of a connection.
class Link {
 public:
  virtual ~Link() = default;
  // start begins reading requests.
  virtual void start() = 0;
  // close ends the connection; callable from any thread.
  virtual void close() = 0;
  // expire closes the connection if its read or write under way was due to
  // finish before `now`; callable from any thread.
  virtual void expire(Clock::time_point now) = 0;
};

struct Front::Impl {
  Impl(FrontOptions o, Handler h, ErrorReply e)
      : options(std::move(o)), handler(std::move(h)), error_reply(std::move(e)) {}

  FrontOptions options;
  Handler handler;
  ErrorReply error_reply;

  // Declared before `ios`: destroying an io_context destroys the handlers it
  // still holds, and with them connections, which forget() themselves here.
  std::mutex mu;
  std::condition_variable changed;
  // Set under mu (run() waits on `changed` for it); read without it per response.
  std::atomic<bool> stopping{false};
  std::size_t workers = 0;  // threads running a wait or a streamed body
  std::map<std::uint64_t, std::weak_ptr<Link>> connections;
  std::uint64_t next_connection = 0;

  // One io_context per I/O thread, each run by that thread alone: a
  // connection lives on one of them (round robin), so its handlers never
  // overlap without a strand, and the threads share no reactor lock.
  std::vector<std::unique_ptr<net::io_context>> ios = contexts(options.io_threads);
  std::size_t next_io = 0;  // the accept handler's only
  tcp::acceptor acceptor{*ios.front()};
  int port = -1;
  // sweeper runs sweep() a few times per timeout (on the first I/O thread).
  net::steady_timer sweeper{*ios.front()};

  static std::vector<std::unique_ptr<net::io_context>> contexts(std::size_t count) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (std::size_t k = 0; k < std::max<std::size_t>(count, 1); ++k) {
      out.push_back(std::make_unique<net::io_context>(1));  // 1: one thread runs it
    }
    return out;
  }
  void accept();
  // sweep closes connections whose read or write is overdue, then re-arms.
  void sweep();
  // spawn runs `job` on a thread of its own, counted in `workers`; false
  // when max_workers run already.
  bool spawn(std::function<void()> job);
  void forget(std::uint64_t id) {
    std::lock_guard lock(mu);
    connections.erase(id);
  }
};

// make_connection serves `socket`, accepted by `front`; the connection
// forgets itself (Impl::forget) when it ends.
std::shared_ptr<Link> make_connection(Front::Impl& front, tcp::socket socket, std::uint64_t id);

}  // namespace mcp::http
