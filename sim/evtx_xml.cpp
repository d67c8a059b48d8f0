// evtx_xml.cpp — the XML libevtx renders for an EVTX record → WindowsRecord.
//
// Hand-written on purpose: none of our dependencies parses XML (nlohmann, RE2, SQLite, libevtx
// itself only renders it), and the input is narrow: libevtx's own well-formed rendering of the
// fixed Event schema. We read just <EventID>, <Provider Name>, <Channel>, <Computer>,
// <TimeCreated SystemTime> and the children of <EventData> / <UserData>, decode the five named
// entities and numeric character references, and give up cleanly (nullopt / skipped element) on
// anything unexpected. No recursion, no allocation beyond the values kept.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "sim/evtx_reader.hpp"

namespace sim {
namespace {

// Element is one XML element found in a text: its attributes and inner text (raw, not decoded).
struct Element {
  std::string_view attributes;
  std::string_view inner;
  std::size_t end = 0;  // offset just past the element
};

bool name_end(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

// element_at reads the element whose '<' is at offset open (name already known).
std::optional<Element> element_at(std::string_view xml, std::size_t open, std::string_view name) {
  const std::size_t tag_end = xml.find('>', open);
  if (tag_end == std::string_view::npos) return std::nullopt;
  Element element;
  const std::size_t attributes_start = open + 1 + name.size();
  const bool self_closing = xml[tag_end - 1] == '/';
  element.attributes =
      xml.substr(attributes_start, tag_end - attributes_start - (self_closing ? 1 : 0));
  if (self_closing) {
    element.end = tag_end + 1;
    return element;
  }
  // Built up rather than "</" + std::string(name), which GCC 12 at -O3 flags with a false
  // -Wrestrict (GCC bug 105329).
  std::string closing = "</";
  closing += name;
  const std::size_t close = xml.find(closing, tag_end + 1);
  if (close == std::string_view::npos) return std::nullopt;
  element.inner = xml.substr(tag_end + 1, close - tag_end - 1);
  const std::size_t close_end = xml.find('>', close);
  element.end = close_end == std::string_view::npos ? xml.size() : close_end + 1;
  return element;
}

// find_element returns the first element called name at or after from.
std::optional<Element> find_element(std::string_view xml, std::string_view name,
                                    std::size_t from = 0) {
  std::string opening = "<";  // built up, as `closing` above
  opening += name;
  for (std::size_t at = xml.find(opening, from); at != std::string_view::npos;
       at = xml.find(opening, at + 1)) {
    const std::size_t after = at + opening.size();
    if (after < xml.size() && name_end(xml[after])) return element_at(xml, at, name);
  }
  return std::nullopt;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// decode replaces entity and character references; an unknown one is kept as written.
std::string decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += '&';
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "amp") {
      out += '&';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string digits(entity.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long code = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end != '\0') {
        out += '&';
        continue;
      }
      append_utf8(out, static_cast<std::uint32_t>(std::min(code, 0x110000UL)));
    } else {
      out += '&';
      continue;
    }
    i = semicolon;
  }
  return out;
}

// attribute returns the decoded value of attribute name in attributes, if present.
std::optional<std::string> attribute(std::string_view attributes, std::string_view name) {
  for (std::size_t at = attributes.find(name); at != std::string_view::npos;
       at = attributes.find(name, at + 1)) {
    if (at > 0 && !name_end(attributes[at - 1])) continue;
    std::size_t pos = at + name.size();
    while (pos < attributes.size() && attributes[pos] == ' ') ++pos;
    if (pos >= attributes.size() || attributes[pos] != '=') continue;
    ++pos;
    while (pos < attributes.size() && attributes[pos] == ' ') ++pos;
    if (pos >= attributes.size() || (attributes[pos] != '"' && attributes[pos] != '\'')) continue;
    const char quote = attributes[pos];
    const std::size_t close = attributes.find(quote, pos + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return decode(attributes.substr(pos + 1, close - pos - 1));
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// read_event_data adds each <Data Name="k">v</Data> (unnamed ones as param1, param2, … the way
// Winlogbeat names them) to data.
void read_event_data(std::string_view inner, nlohmann::json& data) {
  std::size_t from = 0;
  int unnamed = 0;
  while (auto element = find_element(inner, "Data", from)) {
    from = element->end;
    std::optional<std::string> name = attribute(element->attributes, "Name");
    if (!name || name->empty()) name = "param" + std::to_string(++unnamed);
    data[*name] = decode(element->inner);
  }
}

// read_user_data adds the children of the element inside <UserData> (<EventXML><Param1>…).
void read_user_data(std::string_view inner, nlohmann::json& data) {
  const std::size_t open = inner.find('<');
  if (open == std::string_view::npos) return;
  std::size_t name_stop = open + 1;
  while (name_stop < inner.size() && !name_end(inner[name_stop])) ++name_stop;
  const std::string_view wrapper = inner.substr(open + 1, name_stop - open - 1);
  const std::optional<Element> outer = element_at(inner, open, wrapper);
  if (!outer) return;
  std::string_view children = outer->inner;
  std::size_t pos = 0;
  while ((pos = children.find('<', pos)) != std::string_view::npos) {
    std::size_t stop = pos + 1;
    while (stop < children.size() && !name_end(children[stop])) ++stop;
    const std::string_view name = children.substr(pos + 1, stop - pos - 1);
    if (name.empty() || name.front() == '/' || name.front() == '!' || name.front() == '?') {
      ++pos;
      continue;
    }
    const std::optional<Element> child = element_at(children, pos, name);
    if (!child) return;
    data[std::string(name)] = decode(trim(child->inner));
    pos = child->end;
  }
}

}  // namespace

std::optional<WindowsRecord> windows_record_from_evtx_xml(std::string_view xml, std::string* why) {
  auto fail = [&](const char* message) -> std::optional<WindowsRecord> {
    if (why != nullptr) *why = message;
    return std::nullopt;
  };
  const std::optional<Element> system = find_element(xml, "System");
  if (!system) return fail("no <System> element");
  WindowsRecord record;
  const std::optional<Element> event_id = find_element(system->inner, "EventID");
  if (!event_id) return fail("no <EventID>");
  const std::string id_text = decode(trim(event_id->inner));
  char* end = nullptr;
  const long id = std::strtol(id_text.c_str(), &end, 10);
  if (id_text.empty() || *end != '\0' || id < 0 || id > 65535)
    return fail("<EventID> is not a number");
  record.event_id = static_cast<int>(id);
  if (auto provider = find_element(system->inner, "Provider")) {
    record.provider = attribute(provider->attributes, "Name").value_or("");
  }
  if (auto channel = find_element(system->inner, "Channel")) {
    record.channel = decode(trim(channel->inner));
  }
  if (record.channel.empty() && record.provider.empty()) return fail("no <Channel> or <Provider>");
  if (auto computer = find_element(system->inner, "Computer")) {
    record.computer = decode(trim(computer->inner));
  }
  if (auto created = find_element(system->inner, "TimeCreated")) {
    if (auto text = attribute(created->attributes, "SystemTime")) {
      if (auto time = parse_time(*text)) record.time_utc = format_time(*time);
    }
  }
  if (auto event_data = find_element(xml, "EventData", system->end)) {
    read_event_data(event_data->inner, record.data);
  } else if (auto user_data = find_element(xml, "UserData", system->end)) {
    read_user_data(user_data->inner, record.data);
  }
  return record;
}

}  // namespace sim
