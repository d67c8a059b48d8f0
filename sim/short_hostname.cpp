// short_hostname.cpp — host name normalisation shared by the mapping, the store and the hunt.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "sim/windows_mapping.hpp"
#include "sim/windows_values.hpp"

namespace sim {

namespace {

bool looks_like_ip(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

// Each cut (the UNC prefix, the domain) can expose spaces, which are trimmed
// again, so that the result is its own short name ("WO2 .corp" → "WO2").
std::string short_hostname(std::string_view host) {
  host = winvalues::trim(host);
  while (host.starts_with("\\\\"))
    host = winvalues::trim(host.substr(2));  // \\HOST as in UNC paths
  if (looks_like_ip(host)) return std::string(host);
  host = winvalues::trim(host.substr(0, host.find('.')));
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace sim
