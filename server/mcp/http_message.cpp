#include "mcp/http_message.hpp"

#include <algorithm>

namespace mcp::http {
namespace {

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

const std::string* nth(const Fields& fields, std::string_view name, std::size_t index) {
  for (const auto& [key, value] : fields) {
    if (key.size() == name.size() && iequals(key, name) && index-- == 0) return &value;
  }
  return nullptr;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

bool icontains(std::string_view haystack, std::string_view needle) {
  // Clients send media types in lower case: an exact search (memchr and
  // memcmp) finds them; the character-by-character folding search is for
  // the rest.
  if (haystack.find(needle) != std::string_view::npos) return true;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char x, char y) { return ascii_lower(x) == ascii_lower(y); }) !=
         haystack.end();
}

bool Request::has_header(std::string_view name) const {
  return nth(headers, name, 0) != nullptr;
}

std::string_view Request::header(std::string_view name) const {
  const auto* value = nth(headers, name, 0);
  return value ? std::string_view(*value) : std::string_view();
}

std::string Request::get_header_value(std::string_view name, std::size_t index) const {
  const auto* value = nth(headers, name, index);
  return value ? *value : std::string();
}

std::string Request::get_param_value(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

void Response::set_header(std::string name, std::string value) {
  // One pass per string: find_first_of calls memchr over its set once per
  // character, and a session id is 64 of them on every answer.
  const auto breaks_line = [](char c) { return c == '\r' || c == '\n'; };
  if (std::any_of(value.begin(), value.end(), breaks_line) ||
      std::any_of(name.begin(), name.end(), [&](char c) { return breaks_line(c) || c == ':'; })) {
    return;
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::set_content(std::string content, std::string content_type) {
  body = std::move(content);
  headers.erase(
      std::remove_if(headers.begin(), headers.end(),
                     [](const auto& field) { return iequals(field.first, "Content-Type"); }),
      headers.end());
  set_header("Content-Type", std::move(content_type));
}

}  // namespace mcp::http
