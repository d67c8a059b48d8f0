// short_hostname.cpp — host name normalisation shared by the mapping, the store and the hunt.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "sim/windows_mapping.hpp"

namespace sim {

namespace {

bool looks_like_ip(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

std::string short_hostname(std::string_view host) {
  while (!host.empty() && std::isspace(static_cast<unsigned char>(host.front())))
    host.remove_prefix(1);
  while (!host.empty() && std::isspace(static_cast<unsigned char>(host.back())))
    host.remove_suffix(1);
  if (host.starts_with("\\\\")) host.remove_prefix(2);  // \\HOST as written in UNC paths
  if (looks_like_ip(host)) return std::string(host);
  host = host.substr(0, host.find('.'));
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace sim
