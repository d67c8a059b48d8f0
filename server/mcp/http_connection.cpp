// One connection of http::Front: reads requests with Beast's parser, hands
// them to the front's handler and writes the answers (see http_front.hpp).
#include "mcp/http_front_impl.hpp"

#include <httplib.h>

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <tuple>

namespace mcp::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

std::string reason(int status) {
  const auto text = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
  return text.empty() ? std::string("Status") : std::string(text);
}

// head_of is the status line and header fields of `res`, framed by
// Content-Length `length`, or chunked when there is none.
std::string head_of(const Response& res, bool keep_alive, std::optional<std::size_t> length) {
  std::string out;
  out.reserve(256);
  out.append("HTTP/1.1 ").append(std::to_string(res.status)).append(" ");
  out.append(reason(res.status)).append("\r\n");
  bool has_connection = false;
  for (const auto& [name, value] : res.headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding")) continue;
    has_connection = has_connection || iequals(name, "Connection");
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (length) {
    out.append("Content-Length: ").append(std::to_string(*length)).append("\r\n");
  } else {
    out.append("Transfer-Encoding: chunked\r\n");
  }
  if (!keep_alive && !has_connection) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

// request_of copies what the handlers read out of Beast's parsed message.
void request_of(bhttp::request<bhttp::string_body>& message, Request& req) {
  req.method = std::string(message.method_string());
  const std::string_view target(message.target().data(), message.target().size());
  const auto query_at = target.find('?');
  req.path = std::string(target.substr(0, query_at));
  // cpp-httplib's decoding, as its server did: declared in its header,
  // exported by Debian's compiled library.
  if (req.path.find('%') != std::string::npos) {
    req.path = httplib::detail::decode_url(req.path, false);
  }
  if (query_at != std::string::npos) {
    httplib::Params params;
    httplib::detail::parse_query_text(std::string(target.substr(query_at + 1)), params);
    req.params.assign(params.begin(), params.end());
  }
  req.headers.reserve(16);
  for (const auto& field : message) {
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(message.body());
}

bool quiet_end(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::operation_aborted || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::bad_descriptor;
}

// Connection is one accepted socket; every handler of it runs on the one
// thread of its io_context.
class Connection : public Link, public std::enable_shared_from_this<Connection> {
 public:
  Connection(Front::Impl& front, tcp::socket socket, std::uint64_t id)
      : front_(front), socket_(std::move(socket)), id_(id) {}
  ~Connection() override { front_.forget(id_); }

  void start() override {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->read_head(); });
  }

  // close ends the connection from any thread.
  void close() override {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->shut(); });
  }

  // expire closes the connection when its read or write is overdue.
  void expire(Clock::time_point now) override {
    if (!overdue(now)) return;
    // Checked again on the connection's thread: the operation may have
    // finished, and another begun, in between.
    net::post(socket_.get_executor(), [self = shared_from_this(), now] {
      if (self->overdue(now)) self->shut();
    });
  }

 private:
  const FrontOptions& options() const { return front_.options; }

  // arm and disarm bracket a read or write: the front's sweep closes the
  // connection once one runs past its deadline. A sweep instead of a timer
  // per operation (Beast's tcp_stream) spares a timerfd_settime per call.
  void arm(std::chrono::seconds timeout) {
    deadline_.store((Clock::now() + timeout).time_since_epoch().count(), std::memory_order_relaxed);
  }
  void disarm() { deadline_.store(0, std::memory_order_relaxed); }
  bool overdue(Clock::time_point now) const {
    const auto deadline = deadline_.load(std::memory_order_relaxed);
    return deadline != 0 && deadline <= now.time_since_epoch().count();
  }

  void shut() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  void read_head() {
    if (closed_) return;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options().max_header_bytes + options().max_target_bytes + 16384, UINT32_MAX)));
    parser_->body_limit(options().max_body_bytes);
    arm(options().keepalive_idle);
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->disarm();
                               self->on_head(ec);
                             });
  }

  void on_head(beast::error_code ec) {
    if (ec) return failed(ec);
    const auto& message = parser_->get();
    if (message.target().size() > options().max_target_bytes) return refuse(414);
    for (const auto& field : message) {
      if (field.name_string().size() + field.value().size() + 2 > options().max_field_bytes) {
        return refuse(400);
      }
    }
    if (beast::iequals(message[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      auto ack = std::make_shared<std::string>("HTTP/1.1 100 Continue\r\n\r\n");
      arm(options().io_timeout);
      net::async_write(socket_, net::buffer(*ack),
                       [self = shared_from_this(), ack](beast::error_code wec, std::size_t) {
                         self->disarm();
                         if (wec) return self->shut();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    // A small request's body arrives with its head: parse what is buffered
    // here instead of starting a read that would complete at once but take
    // another trip through the I/O loop.
    parser_->eager(true);
    while (!parser_->is_done() && buffer_.size() > 0) {
      beast::error_code ec;
      const auto used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != bhttp::error::need_more) return failed(ec);
      if (ec || used == 0) break;  // the rest is still on its way
    }
    if (parser_->is_done()) return serve();
    arm(options().io_timeout);
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->disarm();
                        if (ec) return self->failed(ec);
                        self->serve();
                      });
  }

  // failed handles a read error: a head over its limit is answered 431, a
  // body over its limit (as soon as Content-Length announces it) 413, other
  // parse errors 400; a gone or idle peer just closes.
  void failed(const beast::error_code& ec) {
    if (ec == bhttp::error::header_limit) return refuse(431);
    if (ec == bhttp::error::body_limit) return refuse(413);
    if (quiet_end(ec) || closed_) return shut();
    refuse(400);
  }

  // refuse answers a request the front will not read on, then closes.
  void refuse(int status) {
    auto exchange = std::make_shared<Exchange>();
    front_.error_reply(exchange->res, status);
    keep_alive_ = false;
    reply(std::move(exchange));
  }

  void serve() {
    ++served_;
    auto exchange = std::make_shared<Exchange>();
    auto& message = parser_->get();
    auto& req = exchange->req;
    request_of(message, req);
    if (remote_.second < 0) {  // once per connection: a system call
      beast::error_code ec;
      const auto remote = socket_.remote_endpoint(ec);
      if (!ec) remote_ = {remote.address().to_string(), remote.port()};
    }
    std::tie(req.remote_addr, req.remote_port) = remote_;
    keep_alive_ = message.keep_alive() && served_ < options().keepalive_max_requests;
    parser_.reset();

    front_.handler(*exchange);
    if (!exchange->wait) return reply(std::move(exchange));
    // The handler waits: off the I/O thread, then back on it.
    // The worker hands its copy of `exchange` on (see stream_body).
    const bool spawned = front_.spawn([self = shared_from_this(), exchange]() mutable {
      exchange->wait(exchange->res);
      exchange->wait = nullptr;
      net::post(self->socket_.get_executor(), [self, exchange = std::move(exchange)]() mutable {
        self->reply(std::move(exchange));
      });
    });
    if (!spawned) busy(std::move(exchange));
  }

  // busy answers 503 for a request that needs a worker when none is free.
  void busy(std::shared_ptr<Exchange> exchange) {
    auto& res = exchange->res;
    res = Response();  // releases a stream's hold (a session's GET slot)
    res.set_header("Retry-After", "5");
    front_.error_reply(res, 503);
    reply(std::move(exchange));
  }

  void reply(std::shared_ptr<Exchange> exchange) {
    if (closed_) return;
    auto& res = exchange->res;
    if (res.status == -1) res.status = 500;
    // The path only: a query may carry a session id.
    spdlog::debug("HTTP {} {} -> {}", exchange->req.method, exchange->req.path, res.status);
    if (front_.stopping) keep_alive_ = false;
    if (res.stream) return stream_body(std::move(exchange));
    // The head and the body go out as two buffers of one write: the body is
    // not copied. `exchange` keeps both alive until the write completes.
    exchange->head = head_of(res, keep_alive_, res.body.size());
    const bool head_only = exchange->req.method == "HEAD";
    const std::array<net::const_buffer, 2> buffers{
        net::buffer(exchange->head), head_only ? net::const_buffer() : net::buffer(res.body)};
    arm(options().io_timeout);
    net::async_write(socket_, buffers,
                     [self = shared_from_this(), exchange = std::move(exchange)](
                         beast::error_code ec, std::size_t) {
                       self->disarm();
                       if (ec || !self->keep_alive_) return self->shut();
                       self->read_head();
                     });
  }

  // write_from_worker writes `bytes` on the I/O thread and waits for the
  // result. Called only from a worker thread, never from the I/O thread.
  bool write_from_worker(std::string bytes) {
    auto done = std::make_shared<std::promise<bool>>();
    auto result = done->get_future();
    auto data = std::make_shared<std::string>(std::move(bytes));
    net::post(socket_.get_executor(), [self = shared_from_this(), data, done] {
      if (self->closed_) return done->set_value(false);
      self->arm(self->options().io_timeout);
      net::async_write(self->socket_, net::buffer(*data),
                       [self, data, done](beast::error_code ec, std::size_t) {
                         self->disarm();
                         done->set_value(!ec);
                       });
    });
    return result.get();
  }

  // stream_body sends a response whose body is a stream (SSE), pumped on a
  // worker thread, chunked.
  void stream_body(std::shared_ptr<Exchange> exchange) {
    auto head = head_of(exchange->res, keep_alive_, std::nullopt);
    // The worker's copy of `exchange` is the last one: it hands it to the I/O
    // thread at the end, so what the stream holds (a session's GET slot) is
    // released before the connection reads its next request.
    const bool spawned = front_.spawn([self = shared_from_this(), exchange,
                                       head = std::move(head)]() mutable {
      bool ok = self->write_from_worker(std::move(head));
      const BodyWrite write = [&](std::string_view data) {
        if (!ok) return false;
        if (data.empty()) return true;  // an empty chunk would end the body
        char hex[24];
        const int n = std::snprintf(hex, sizeof hex, "%zx\r\n", data.size());
        std::string bytes;
        bytes.reserve(data.size() + static_cast<std::size_t>(n) + 2);
        bytes.append(hex, static_cast<std::size_t>(n)).append(data).append("\r\n");
        ok = self->write_from_worker(std::move(bytes));
        return ok;
      };
      auto step = BodyStep::kMore;
      while (ok && step == BodyStep::kMore) step = exchange->res.stream(write);
      ok = ok && step == BodyStep::kDone && self->write_from_worker("0\r\n\r\n");
      net::post(self->socket_.get_executor(), [self, exchange = std::move(exchange), ok]() mutable {
        exchange.reset();  // releases what the stream holds
        if (!ok || !self->keep_alive_) return self->shut();
        self->read_head();
      });
    });
    if (!spawned) busy(std::move(exchange));
  }

  Front::Impl& front_;
  tcp::socket socket_;
  // The deadline of the read or write under way (0: none), in steady-clock
  // ticks. Set on the connection's thread; read by the front's sweep.
  std::atomic<Clock::rep> deadline_{0};
  const std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::size_t served_ = 0;
  std::pair<std::string, int> remote_{"", -1};  // address and port, known after the first request
  bool keep_alive_ = true;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<Link> make_connection(Front::Impl& front, tcp::socket socket, std::uint64_t id) {
  return std::make_shared<Connection>(front, std::move(socket), id);
}

}  // namespace mcp::http
