// windows_values.cpp — see windows_values.hpp. The time parser is hand-written because GCC 12's
// libstdc++ has no std::chrono::parse and strptime/timegm depend on the process locale and time
// zone; the HTML decoder is hand-written because no installed library offers one (five entities
// and numeric references are all Windows exporters produce).
#include "sim/windows_values.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace sim::winvalues {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// read_digits consumes exactly n digits from text at pos into out.
bool read_digits(std::string_view text, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > text.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[pos + static_cast<std::size_t>(i)];
    if (!is_digit(c)) return false;
    out = out * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// decode_entity decodes the entity body between '&' and ';' (e.g. "lt", "#39", "#x27").
std::optional<std::string> decode_entity(std::string_view body) {
  if (body == "lt") return "<";
  if (body == "gt") return ">";
  if (body == "amp") return "&";
  if (body == "quot") return "\"";
  if (body == "apos") return "'";
  if (body.size() < 2 || body[0] != '#') return std::nullopt;
  body.remove_prefix(1);
  int base = 10;
  if (body[0] == 'x' || body[0] == 'X') {
    base = 16;
    body.remove_prefix(1);
  }
  std::uint32_t cp = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), cp, base);
  if (ec != std::errc() || end != body.data() + body.size() || cp == 0 || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return std::nullopt;
  std::string out;
  append_utf8(out, cp);
  return out;
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::optional<ParsedTime> parse_time(std::string_view text) {
  text = trim(text);
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !read_digits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !read_digits(text, pos, 2, day))
    return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' '))
    return std::nullopt;
  ++pos;
  if (!read_digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
      !read_digits(text, pos, 2, minute))
    return std::nullopt;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!read_digits(text, pos, 2, second)) return std::nullopt;
  }
  int millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  ParsedTime out;
  std::chrono::minutes offset{0};
  if (pos < text.size()) {
    char z = text[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
      out.zoned = true;
    } else if (z == '+' || z == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!read_digits(text, pos, 2, oh)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (!read_digits(text, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset = std::chrono::minutes(oh * 60 + om) * (z == '-' ? -1 : 1);
      out.zoned = true;
    }
    if (pos != text.size()) return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  out.t = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
          std::chrono::seconds(second) + std::chrono::milliseconds(millis) - offset;
  return out;
}

std::string format_utc_offset(int minutes) {
  const int magnitude = minutes < 0 ? -minutes : minutes;
  std::string text(1, minutes < 0 ? '-' : '+');
  auto two = [&](int value) {
    text += static_cast<char>('0' + value / 10 % 10);
    text += static_cast<char>('0' + value % 10);
  };
  two(magnitude / 60);
  text += ':';
  two(magnitude % 60);
  return text;
}

std::optional<std::chrono::minutes> quarter_hour_offset(std::chrono::milliseconds gap,
                                                        std::chrono::milliseconds tolerance) {
  const auto quarter = std::chrono::round<std::chrono::minutes>(gap / 15.0);
  const auto offset = std::chrono::duration_cast<std::chrono::minutes>(quarter * 15);
  if (std::chrono::abs(gap - offset) > tolerance) return std::nullopt;
  if (std::chrono::abs(offset) > std::chrono::hours(14)) return std::nullopt;
  return offset;
}

std::string html_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      std::size_t semi = text.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10) {
        if (auto decoded = decode_entity(text.substr(i + 1, semi - i - 1))) {
          out += *decoded;
          i = semi + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string collapse_doubled_percent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') {
      bool message_reference = i + 2 < text.size() && is_digit(text[i + 2]);
      if (message_reference) {
        out += '%';
      }
      ++i;  // the second '%' is consumed either way
    }
  }
  return out;
}

std::string clean_string(std::string_view text) {
  return collapse_doubled_percent(html_unescape(text));
}

bool is_absent(std::string_view text) {
  text = trim(text);
  return text.empty() || text == "-";
}

std::optional<std::uint64_t> parse_windows_number(std::string_view text) {
  text = trim(text);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string normalise_ip(std::string_view text) {
  std::string input(trim(text));
  unsigned char buf[16];
  char printed[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, input.c_str(), buf) == 1) {
    return inet_ntop(AF_INET, buf, printed, sizeof printed) ? std::string(printed) : input;
  }
  if (inet_pton(AF_INET6, input.c_str(), buf) != 1) return std::string(text);
  bool v4_mapped = std::all_of(buf, buf + 10, [](unsigned char b) { return b == 0; }) &&
                   buf[10] == 0xff && buf[11] == 0xff;
  if (v4_mapped) {
    return inet_ntop(AF_INET, buf + 12, printed, sizeof printed) ? std::string(printed) : input;
  }
  return inet_ntop(AF_INET6, buf, printed, sizeof printed) ? std::string(printed) : input;
}

SplitUser split_user(std::string_view text) {
  std::size_t slash = text.rfind('\\');
  if (slash == std::string_view::npos) return {"", std::string(text)};
  return {std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace sim::winvalues
