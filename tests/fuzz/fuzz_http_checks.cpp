// fuzz_http_checks: the request checks of the Streamable HTTP transport, without a socket.
//
// The input is split at '\n' into a Host header, an Origin header, an Authorization header, an
// Accept header, a Content-Type header and allowlist entries (the rest). Each check runs on them
// and on their ASCII upper-case form, and must keep the promises of http_security.hpp and
// http_reply.hpp: loopback names pass only on a loopback bind, matching is case-insensitive, an
// allowlist entry admits its own Origin, more entries never refuse what fewer admitted, the
// bearer token is accepted exactly when presented, and content negotiation sees only what the
// header says. The full request path (parsing, routing, sessions) is fuzz_http_request's.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/http_reply.hpp"
#include "mcp/http_security.hpp"

namespace {

namespace http = mcp::http;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "fuzz_http_checks invariant broken: %s: '%.*s'\n", what,
               static_cast<int>(input.size()), input.data());
  std::abort();
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_port(std::string_view text) {
  return !text.empty() && text.size() <= 5 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// loopback_authority: localhost, 127.0.0.1 or [::1], optionally with a numeric port; written
// independently of http_security.cpp so the two can disagree.
bool loopback_authority(std::string_view authority) {
  const std::string a = lower(authority);
  for (std::string_view name : {"localhost", "127.0.0.1", "[::1]"}) {
    if (a.rfind(name, 0) != 0) continue;
    const std::string_view rest = std::string_view(a).substr(name.size());
    if (rest.empty() || (rest.front() == ':' && is_port(rest.substr(1)))) return true;
  }
  return false;
}

void check_host(std::string_view host, const std::vector<std::string>& allowed) {
  const std::vector<std::string> none;
  if (http::host_allowed(host, false, none)) fail("a Host passed a non-loopback bind", host);
  if (http::host_allowed(host, true, none) != loopback_authority(host)) {
    fail("loopback Host check disagrees", host);
  }
  for (bool loopback : {true, false}) {
    const bool ok = http::host_allowed(host, loopback, allowed);
    if (http::host_allowed(upper(host), loopback, allowed) != ok) {
      fail("Host check is case-sensitive", host);
    }
    if (!ok) continue;
    auto more = allowed;
    more.emplace_back("other.example");
    if (!http::host_allowed(host, loopback, more)) fail("a longer allowlist refused a Host", host);
  }
}

void check_origin(std::string_view origin, const std::vector<std::string>& allowed) {
  const std::vector<std::string> none;
  const bool loopback = http::origin_allowed(origin, none);
  const std::string o = lower(origin);
  const bool expected = (o.rfind("http://", 0) == 0 && loopback_authority(o.substr(7))) ||
                        (o.rfind("https://", 0) == 0 && loopback_authority(o.substr(8)));
  if (loopback != expected) fail("loopback Origin check disagrees", origin);
  if (http::origin_allowed(upper(origin), none) != loopback) {
    fail("Origin check is case-sensitive", origin);
  }
  if (!http::origin_allowed(origin, {std::string(origin)})) {
    fail("an allowlist entry did not admit itself", origin);
  }
  if (loopback && !http::origin_allowed(origin, allowed)) {
    fail("an allowlist refused a loopback Origin", origin);
  }
}

void check_token(std::string_view authorization) {
  static const http::BearerToken token("s3cret-token");
  static const http::BearerToken none("");
  if (!none.accepts(authorization)) fail("no token required, yet refused", authorization);
  std::string_view presented;
  bool bearer = authorization.size() > 7 && lower(authorization.substr(0, 7)) == "bearer ";
  if (bearer) {
    presented = authorization.substr(7);
    while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  }
  if (token.accepts(authorization) != (bearer && presented == "s3cret-token")) {
    fail("bearer token check disagrees", authorization);
  }
}

void check_negotiation(const std::string& accept, const std::string& content_type) {
  http::Request req;
  req.headers.emplace_back("Accept", accept);
  req.headers.emplace_back("Content-Type", content_type);
  for (std::string_view type : {"application/json", "text/event-stream"}) {
    if (http::accepts(req, type) != (lower(accept).find(type) != std::string::npos)) {
      fail("Accept check disagrees", accept);
    }
  }
  const std::string t = lower(content_type);
  const bool json =
      t.rfind("application/json", 0) == 0 && (t.size() == 16 || t[16] == ';' || t[16] == ' ');
  if (http::has_json_body(req) != json) fail("Content-Type check disagrees", content_type);
  (void)http::is_loopback_address(content_type);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> fields;
  while (!input.empty() || fields.size() < 5) {
    const auto nl = input.find('\n');
    fields.emplace_back(input.substr(0, nl));
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
  }
  const std::vector<std::string> allowed(fields.begin() + 5, fields.end());
  check_host(fields[0], allowed);
  check_origin(fields[1], allowed);
  check_token(fields[2]);
  check_negotiation(fields[3], fields[4]);
  return 0;
}
