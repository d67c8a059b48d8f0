#pragma once
// Request checks of the HTTP transport (basic/security_best_practices.mdx,
// mcp-protocol.md §6–7): DNS-rebinding protection (Host and Origin), the
// optional static bearer token, and session ids from a CSPRNG.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/result.hpp"

namespace mcp::http {

// is_loopback_address: "localhost", 127.0.0.0/8 or ::1 (bracketed or not).
bool is_loopback_address(std::string_view host);

// host_allowed checks a Host header. Loopback names (localhost, 127.0.0.1,
// [::1], any port) pass only when the server is bound to a loopback address;
// `allowed` entries without a port match any port, entries with a port only
// that port. Case-insensitive. A missing or malformed Host never passes.
bool host_allowed(std::string_view host_header, bool loopback_bind,
                  const std::vector<std::string>& allowed);

// origin_allowed checks an Origin header that is present: http(s) to a
// loopback name on any port, or an exact (case-insensitive) entry of
// `allowed`. "null" and anything else fail.
bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed);

// BearerToken checks "Authorization: Bearer <token>" in constant time: both
// sides are hashed with SHA-256 and the digests compared with CRYPTO_memcmp,
// so neither the token's length nor its matching prefix leaks through timing.
class BearerToken {
 public:
  explicit BearerToken(const std::string& token);
  bool required() const { return required_; }
  // accepts is true when no token is required or the header carries it.
  bool accepts(std::string_view authorization_header) const;

 private:
  bool required_;
  std::array<unsigned char, 32> digest_{};
};

// random_session_id returns 256 bits from OpenSSL's CSPRNG as 64 hex digits
// (visible ASCII, as Mcp-Session-Id requires).
Result<std::string> random_session_id();

}  // namespace mcp::http
