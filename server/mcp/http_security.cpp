#include "mcp/http_security.hpp"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

#include "mcp/http_message.hpp"  // iequals

namespace mcp::http {
namespace {

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

// HostPort is an authority split into its name (brackets kept for IPv6) and
// port ("" when absent).
struct HostPort {
  std::string name;
  std::string port;
  bool ok = false;
};

HostPort split_authority(std::string_view authority) {
  HostPort out;
  if (authority.empty()) return out;
  std::string_view rest;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return out;
    out.name = lower(authority.substr(0, close + 1));
    rest = authority.substr(close + 1);
  } else {
    auto colon = authority.find(':');
    out.name = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) rest = authority.substr(colon);
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || !is_port(rest.substr(1))) return out;
    out.port = std::string(rest.substr(1));
  }
  out.ok = !out.name.empty() && out.name.find_first_of(" \t/@\\") == std::string::npos;
  return out;
}

bool is_loopback_name(const std::string& name) {
  return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
}

}  // namespace

bool is_loopback_address(std::string_view host) {
  std::string h = lower(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
    return std::equal(std::begin(v6.s6_addr), std::end(v6.s6_addr), std::begin(loopback.s6_addr));
  }
  return false;
}

bool host_allowed(std::string_view host_header, bool loopback_bind,
                  const std::vector<std::string>& allowed) {
  const HostPort host = split_authority(host_header);
  if (!host.ok) return false;
  if (loopback_bind && is_loopback_name(host.name)) return true;
  for (const auto& entry : allowed) {
    const HostPort want = split_authority(entry);
    if (!want.ok || want.name != host.name) continue;
    if (want.port.empty() || want.port == host.port) return true;
  }
  return false;
}

bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed) {
  for (const auto& entry : allowed) {
    if (iequals(entry, origin)) return true;
  }
  std::string_view authority;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.size() > scheme.size() && iequals(origin.substr(0, scheme.size()), scheme)) {
      authority = origin.substr(scheme.size());
    }
  }
  if (authority.empty()) return false;  // "null", other schemes, garbage
  const HostPort host = split_authority(authority);
  return host.ok && is_loopback_name(host.name);
}

namespace {
std::array<unsigned char, 32> sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}
}  // namespace

BearerToken::BearerToken(const std::string& token) : required_(!token.empty()) {
  if (required_) digest_ = sha256(token);
}

bool BearerToken::accepts(std::string_view authorization_header) const {
  if (!required_) return true;
  constexpr std::string_view kScheme = "bearer ";
  if (authorization_header.size() <= kScheme.size() ||
      !iequals(authorization_header.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  auto presented = authorization_header.substr(kScheme.size());
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  const auto digest = sha256(presented);
  return CRYPTO_memcmp(digest.data(), digest_.data(), digest.size()) == 0;
}

Result<std::string> random_session_id() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Error{-32603, "the system random number generator failed", nullptr};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * sizeof bytes);
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

}  // namespace mcp::http
