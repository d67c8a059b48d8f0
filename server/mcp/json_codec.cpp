// json_codec (json_codec.hpp): simdjson reads, a run-copying writer writes,
// nlohmann handles whatever the two would not do exactly as it does.
#include "mcp/json_codec.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

namespace mcp::json_codec {
namespace {

// Texts up to this size take the fast path. A simdjson parser keeps buffers
// of about 14 bytes per byte of its largest text, one parser per thread:
// 16 KiB bounds that to ≈ 220 KiB a thread, and MCP requests are far smaller.
// Larger texts (a downstream server's search results) go to nlohmann.
constexpr std::size_t kFastLimit = std::size_t{16} * 1024;
// Deeper texts go to nlohmann too (simdjson answers DEPTH_ERROR), which also
// bounds the recursion of `convert`.
constexpr std::size_t kFastDepth = 64;

// Fallback is thrown by `convert` for a value nlohmann must build itself.
struct Fallback {};

// convert builds the value nlohmann's parser builds for the same text.
// - simdjson reads 0 and -0 alike as the integer 0; nlohmann makes "-0" a
//   signed integer and "0" an unsigned one. A zero in a text holding "-0"
//   anywhere is left to nlohmann.
// - simdjson reads non-negative integers that fit as signed; nlohmann makes
//   them unsigned.
// - A repeated key: nlohmann keeps the last value, and so does this.
// - Integers beyond 64 bits, numbers out of double's range, invalid UTF-8,
//   bad escapes and unescaped control characters are errors in simdjson: the
//   text goes to nlohmann, which builds or refuses it in its own way.
Json convert(simdjson::dom::element e, bool has_negative_zero) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      Json out(Json::value_t::object);
      auto& members = out.get_ref<Json::object_t&>();
      simdjson::dom::object object;
      if (e.get(object)) throw Fallback{};
      for (const auto field : object) {
        Json member = convert(field.value, has_negative_zero);
        const auto at = members.lower_bound(field.key);
        if (at != members.end() && at->first == field.key) {
          at->second = std::move(member);  // a repeated key: the last one counts
        } else {
          members.emplace_hint(at, std::string(field.key), std::move(member));
        }
      }
      return out;
    }
    case simdjson::dom::element_type::ARRAY: {
      Json out(Json::value_t::array);
      auto& items = out.get_ref<Json::array_t&>();
      simdjson::dom::array array;
      if (e.get(array)) throw Fallback{};
      for (const auto item : array) {
        items.push_back(convert(item, has_negative_zero));
      }
      return out;
    }
    case simdjson::dom::element_type::STRING:
      return Json(std::string(e.get_string().value_unsafe()));
    case simdjson::dom::element_type::INT64: {
      const auto value = e.get_int64().value_unsafe();
      if (value < 0) return Json(value);
      if (value == 0 && has_negative_zero) throw Fallback{};
      return Json(static_cast<std::uint64_t>(value));
    }
    case simdjson::dom::element_type::UINT64:
      return Json(e.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE:
      return Json(e.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return Json(e.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      return Json(nullptr);
  }
  throw Fallback{};
}

std::optional<Json> fast_parse(std::string_view text) {
  if (text.size() > kFastLimit) return std::nullopt;
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p(kFastLimit);
    // Not checked: a failed allocation fails parse() too, and that falls back.
    const auto allocated = p.allocate(1024, kFastDepth);
    static_cast<void>(allocated);
    return p;
  }();
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root)) {
    return std::nullopt;
  }
  try {
    return convert(root, text.find("-0") != std::string_view::npos);
  } catch (const Fallback&) {
    return std::nullopt;
  }
}

// Characters JSON strings must escape, as nlohmann writes them.
constexpr bool plain(unsigned char c) {
  return c >= 0x20 && c != '"' && c != '\\';
}

void put_string(std::string& out, const std::string& s) {
  // Most strings are plain ASCII: one copy between the quotes.
  if (std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return plain(u) && u < 0x80;
      })) {
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2);
    out[at] = '"';
    s.copy(out.data() + at + 1, s.size());
    out[at + s.size() + 1] = '"';
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.push_back('"');
  unsigned char seen = 0;  // every byte ORed: bit 7 set when there is non-ASCII
  std::size_t run = 0;     // start of the bytes not yet written
  for (std::size_t k = 0; k < s.size(); ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    seen |= c;
    if (plain(c)) continue;
    out.append(s, run, k - run);
    run = k + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(s, run, s.size() - run);
  out.push_back('"');
  // Non-ASCII is written as it is when it is valid UTF-8; nlohmann replaces
  // invalid UTF-8 in its own way, so such a string is left to it.
  if ((seen & 0x80) != 0 && !simdjson::validate_utf8(s.data(), s.size())) {
    out.resize(start);
    out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

template <typename Integer>
void put_integer(std::string& out, Integer value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void put(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        put_string(out, key);
        out.push_back(':');
        put(out, member);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.get_ref<const Json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        put(out, item);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string:
      return put_string(out, value.get_ref<const std::string&>());
    case Json::value_t::number_integer:
      return put_integer(out, value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return put_integer(out, value.get<std::uint64_t>());
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::null:
      out += "null";
      return;
    default:  // floats (nlohmann's shortest round-trip form), binary, discarded
      out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

}  // namespace

Json parse(std::string_view text) {
  if (auto fast = fast_parse(text)) return std::move(*fast);
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string dump(const Json& value) {
  std::string out;
  out.reserve(256);
  put(out, value);
  return out;
}

}  // namespace mcp::json_codec
