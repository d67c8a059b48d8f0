#pragma once
// The HTTP plumbing of the client transports: URLs (parse, resolve, origin)
// and Requester, which performs one exchange on cpp-httplib with the
// transport's timeouts, streams the body to a callback, follows redirects on
// the same origin only, and can abort every exchange in flight (close()).

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "mcp/result.hpp"

namespace mcp::httpc {

// Url is an absolute http(s) URL split for cpp-httplib.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path and query, starts with "/"

  std::string origin() const;  // scheme://host:port
  std::string str() const;     // origin + target
  // redacted is str() with the query's content replaced by "…": the form every log line and
  // error message uses, since a query may carry an API key (issue 7: secrets never reach logs,
  // reports or comments).
  std::string redacted() const;
  bool same_origin(const Url& other) const {
    return scheme == other.scheme && host == other.host && port == other.port;
  }
};

// parse_url accepts http://host[:port][/path][?query]; fragments are dropped.
// Error names what is wrong (scheme, host, port).
Result<Url> parse_url(std::string_view text);
// resolve_url resolves a reference (absolute URL, "/path", or a relative path)
// against base, as a browser would for an href.
Result<Url> resolve_url(const Url& base, std::string_view ref);

// excerpt returns at most max bytes of text on one line, for error messages.
std::string excerpt(std::string_view text, std::size_t max = 300);

// Exchange describes one request. on_head sees the status line and headers of
// the final (non-redirect) response before its body; on_body receives the body
// as it arrives. Either returning false aborts the exchange.
struct Exchange {
  std::string method = "POST";
  Url url;
  httplib::Headers headers;
  std::string body;
  std::string content_type;
  std::chrono::milliseconds read_timeout{std::chrono::seconds(300)};
  std::function<bool(const httplib::Response&)> on_head;
  std::function<bool(std::string_view)> on_body;
};

// Outcome: a response (status > 0) or why there is none (error).
struct Outcome {
  int status = 0;
  std::string reason;  // the status line's reason phrase
  httplib::Headers headers;
  Url url;               // where the final response came from
  bool aborted = false;  // a callback returned false or abort_all() ran
  std::string error;     // non-empty when the exchange failed without a usable response
  std::string location;  // internal: a redirect's Location, resolved by perform()
  std::string header(const std::string& name) const;
};

struct RequesterOptions {
  std::string name = "http";
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::string ca_cert_file;  // empty: the system CA store
  bool verify_certificates = true;
  int max_redirects = 5;
};

class Requester {
 public:
  explicit Requester(RequesterOptions options) : options_(std::move(options)) {}
  // perform runs the exchange on its own connection (so exchanges run in
  // parallel). Redirects (301, 302, 303, 307, 308) are followed, method and
  // body kept, while the Location stays on the same origin; another origin
  // is an error naming both. Blocks until the body has been read.
  Outcome perform(Exchange exchange);
  // abort_all aborts every exchange in flight (their sockets are shut down) and
  // makes later ones fail until resume(); returns once none is in flight.
  void abort_all();
  void resume();

 private:
  Outcome perform_once(const Exchange& exchange, const Url& url);
  bool enter(httplib::Client* client);
  void leave(httplib::Client* client);

  RequesterOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<httplib::Client*> active_;
  bool aborting_ = false;
};

}  // namespace mcp::httpc
