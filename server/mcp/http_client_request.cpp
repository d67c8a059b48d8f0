#include "mcp/http_client_request.hpp"

#include "mcp/jsonrpc.hpp"

#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mcp::httpc {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// remove_dot_segments normalises "a/./b/../c" as RFC 3986 §5.2.4 does.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    const auto slash = path.find('/', i);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view seg = path.substr(i, end - i);
    if (seg == "..") {
      if (out.size() > 1) out.pop_back();
      if (end == path.size()) out.emplace_back();
    } else if (seg == ".") {
      if (end == path.size()) out.emplace_back();
    } else {
      out.emplace_back(seg);
    }
    if (slash == std::string_view::npos) break;
    i = slash + 1;
  }
  std::string joined;
  for (std::size_t k = 0; k < out.size(); ++k) joined += (k ? "/" : "") + out[k];
  if (joined.empty() || joined.front() != '/') joined.insert(0, "/");
  return joined;
}

}  // namespace

std::string Url::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Url::str() const {
  return origin() + target;
}

std::string Url::redacted() const {
  const auto query = target.find('?');
  return query == std::string::npos ? str() : origin() + target.substr(0, query) + "?…";
}

Result<Url> parse_url(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return Error{jsonrpc::kInvalidParams, "invalid URL '" + excerpt(text, 200) + "': " + why};
  };
  Url url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad("expected http:// or https://");
  url.scheme = lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    return bad("unsupported scheme '" + url.scheme + "' (expected http or https)");
  }
  std::string_view rest = text.substr(sep + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return bad("credentials in the URL are not supported; configure an Authorization header");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    url.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("unexpected text after the IPv6 address");
      port_text = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("no host");
  url.port = url.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return bad("invalid port '" + std::string(port_text) + "'");
    }
    url.port = port;
  }
  return url;
}

Result<Url> resolve_url(const Url& base, std::string_view ref) {
  if (ref.find("://") != std::string_view::npos) return parse_url(ref);
  if (ref.starts_with("//")) return parse_url(base.scheme + ":" + std::string(ref));
  if (ref.empty()) return base;
  if (const auto hash = ref.find('#'); hash != std::string_view::npos) ref = ref.substr(0, hash);
  Url url = base;
  const std::string base_path = base.target.substr(0, base.target.find('?'));
  if (ref.front() == '?') {
    url.target = base_path + std::string(ref);
    return url;
  }
  const auto query = ref.find('?');
  const std::string_view ref_path = ref.substr(0, query);
  const std::string ref_query =
      query == std::string_view::npos ? "" : std::string(ref.substr(query));
  std::string merged;
  if (ref_path.front() == '/') {
    merged = std::string(ref_path);
  } else {
    merged = base_path.substr(0, base_path.rfind('/') + 1) + std::string(ref_path);
  }
  url.target = remove_dot_segments(merged) + ref_query;
  return url;
}

std::string excerpt(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > max) out += "…";
  return out;
}

std::string Outcome::header(const std::string& name) const {
  auto it = headers.find(name);  // httplib::Headers compares names case-insensitively
  return it == headers.end() ? std::string{} : it->second;
}

bool Requester::enter(httplib::Client* client) {
  std::lock_guard lock(mu_);
  if (aborting_) return false;
  active_.insert(client);
  return true;
}

void Requester::leave(httplib::Client* client) {
  {
    std::lock_guard lock(mu_);
    active_.erase(client);
  }
  cv_.notify_all();
}

void Requester::abort_all() {
  std::unique_lock lock(mu_);
  aborting_ = true;
  // stop() shuts down a socket in use; one still connecting is reached on a
  // later round, since connect() holds the client's socket mutex.
  while (!active_.empty()) {
    for (auto* client : active_) client->stop();
    cv_.wait_for(lock, std::chrono::milliseconds(10));
  }
}

void Requester::resume() {
  std::lock_guard lock(mu_);
  aborting_ = false;
}

Outcome Requester::perform(Exchange exchange) {
  Url url = exchange.url;
  for (int hop = 0;; ++hop) {
    Outcome outcome = perform_once(exchange, url);
    if (outcome.location.empty()) return outcome;
    auto next = resolve_url(url, outcome.location);
    if (!next) {
      outcome.error = "HTTP " + std::to_string(outcome.status) + " redirect from " +
                      url.redacted() + " to an unusable Location: " + next.error().message;
      return outcome;
    }
    if (!next->same_origin(url)) {
      outcome.error = "refused HTTP " + std::to_string(outcome.status) + " redirect from " +
                      url.redacted() + " to another origin (" + next->origin() +
                      "): only same-origin redirects are followed, so configured headers such as "
                      "Authorization never leave the configured server";
      return outcome;
    }
    if (hop + 1 >= options_.max_redirects) {
      outcome.error = "too many redirects (more than " + std::to_string(options_.max_redirects) +
                      ") from " + exchange.url.redacted();
      return outcome;
    }
    spdlog::debug("[{}] following HTTP {} redirect to {}", options_.name, outcome.status,
                  next->redacted());
    url = std::move(next.value());
  }
}

Outcome Requester::perform_once(const Exchange& exchange, const Url& url) {
  Outcome outcome;
  outcome.url = url;
  httplib::Client client(url.origin());
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(exchange.read_timeout);
  client.set_write_timeout(exchange.read_timeout);
  client.set_keep_alive(false);
  client.set_follow_location(false);  // perform() decides, per origin
  client.set_url_encode(false);       // targets come from URLs, already encoded
  if (url.scheme == "https") {
    if (!options_.ca_cert_file.empty()) client.set_ca_cert_path(options_.ca_cert_file);
    client.enable_server_certificate_verification(options_.verify_certificates);
  }
  if (!client.is_valid()) {
    outcome.error = "cannot create an HTTP client for " + url.origin();
    return outcome;
  }

  httplib::Request req;
  req.method = exchange.method;
  req.path = url.target;
  req.headers = exchange.headers;
  if (!exchange.body.empty() || exchange.method == "POST") {
    req.body = exchange.body;
    if (!exchange.content_type.empty()) req.set_header("Content-Type", exchange.content_type);
  }
  bool redirect = false;
  bool head_seen = false;
  bool callback_aborted = false;
  req.response_handler = [&](const httplib::Response& res) {
    outcome.status = res.status;
    outcome.reason = res.reason;
    outcome.headers = res.headers;
    if (is_redirect(res.status) && res.has_header("Location")) {
      redirect = true;
      return true;
    }
    head_seen = true;
    if (exchange.on_head && !exchange.on_head(res)) {
      callback_aborted = true;
      return false;
    }
    return true;
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (redirect) return true;
    if (exchange.on_body && !exchange.on_body(std::string_view(data, n))) {
      callback_aborted = true;
      return false;
    }
    return true;
  };

  if (!enter(&client)) {
    outcome.aborted = true;
    outcome.error = "the transport is closing";
    return outcome;
  }
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const bool sent = client.send(req, res, error);
  bool aborting;
  {
    std::lock_guard lock(mu_);
    aborting = aborting_;
  }
  long verify_result = X509_V_OK;
  if (url.scheme == "https") verify_result = client.get_openssl_verify_result();
  leave(&client);

  if (sent && !head_seen && !redirect) {  // no body (204, 1xx): no response_handler call
    outcome.status = res.status;
    outcome.reason = res.reason;
    outcome.headers = res.headers;
    if (exchange.on_head) exchange.on_head(res);
  }
  if (sent && redirect) {
    outcome.location = res.get_header_value("Location");
    outcome.error = "redirected";  // perform() resolves it or explains why not
    return outcome;
  }
  if (sent) return outcome;
  if (callback_aborted || aborting) {
    outcome.aborted = true;
    outcome.error = aborting ? "the transport is closing" : "aborted";
    return outcome;
  }
  const auto seconds = [](std::chrono::milliseconds ms) {
    return std::to_string(ms.count()) + " ms";
  };
  switch (error) {
    case httplib::Error::Connection:
      outcome.error = "cannot connect to " + url.origin() + " (connection refused or unreachable)";
      break;
    case httplib::Error::ConnectionTimeout:
      outcome.error =
          "connecting to " + url.origin() + " timed out after " + seconds(options_.connect_timeout);
      break;
    case httplib::Error::Read:
      outcome.error = "reading the response from " + url.redacted() +
                      " failed: connection closed or no data for " +
                      seconds(exchange.read_timeout) + " (read timeout)";
      break;
    case httplib::Error::Write:
      outcome.error = "sending the request to " + url.redacted() + " failed (connection closed)";
      break;
    case httplib::Error::SSLConnection:
      outcome.error = "TLS handshake with " + url.origin() +
                      " failed (not TLS on that port, no common protocol, a refused certificate, "
                      "or no answer within the connect timeout)";
      break;
    case httplib::Error::SSLLoadingCerts:
      outcome.error = "cannot load CA certificates" + (options_.ca_cert_file.empty()
                                                           ? std::string(" from the system store")
                                                           : " from " + options_.ca_cert_file);
      break;
    case httplib::Error::SSLServerVerification:
      outcome.error = "TLS certificate verification of " + url.origin() +
                      " failed: " + X509_verify_cert_error_string(verify_result);
      break;
    default:
      outcome.error = "HTTP request to " + url.redacted() + " failed: " + httplib::to_string(error);
      break;
  }
  if (outcome.status != 0) outcome.error += " (after HTTP " + std::to_string(outcome.status) + ")";
  return outcome;
}

}  // namespace mcp::httpc
