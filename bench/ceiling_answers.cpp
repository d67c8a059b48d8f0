// bench/ceiling_answers.cpp: the bare loop's answers (lmhunt_bench_ceiling),
// each made without an MCP server. See ceiling_answers.hpp.
#include "ceiling_answers.hpp"

#include <simdjson.h>

#include <cstdio>

#include <nlohmann/json.hpp>

namespace bench {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kInitializeResult =
    R"("result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},)"
    R"("serverInfo":{"name":"lmhunt_bench_ceiling","version":"0.1.0"}})";

// put_json_string appends `text` (valid UTF-8, as simdjson checked) to `out`
// as a JSON string. Hand-written because a library's encoder wants its own
// value (nlohmann::json builds one per string), which is the cost this row
// leaves out.
void put_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

std::string scan_answer(std::string_view text) {
  const auto id_at = text.find("\"id\":");
  if (id_at == std::string_view::npos) return {};
  const auto id_end = text.find_first_of(",}", id_at);
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out.append(text.substr(id_at + 5, id_end - id_at - 5)).append(",");
  if (text.find("\"initialize\"") != std::string_view::npos) {
    return out.append(kInitializeResult) + "}";
  }
  const auto text_at = text.find("\"text\":\"");
  const auto text_end = text_at == std::string_view::npos ? text_at : text.find('"', text_at + 8);
  const auto echo = text_at == std::string_view::npos
                        ? std::string_view("\"\"")
                        : text.substr(text_at + 7, text_end - text_at - 6);
  return out.append(R"("result":{"content":[{"type":"text","text":)").append(echo) + "}]}}";
}

std::string parse_answer(std::string_view text) {
  const auto message = Json::parse(text, nullptr, false);
  if (!message.is_object() || !message.contains("id")) return {};
  std::string out = R"({"jsonrpc":"2.0","id":)" + message["id"].dump() + ",";
  if (message.value("method", "") == "initialize") return out.append(kInitializeResult) + "}";
  const auto params = message.find("params");
  const auto& arguments = params != message.end() && params->is_object()
                              ? params->value("arguments", Json::object())
                              : Json::object();
  const std::string echo = arguments.is_object() ? arguments.value("text", "") : "";
  return out + R"("result":{"content":[{"type":"text","text":)" + Json(echo).dump() + "}]}}";
}

std::string ondemand_answer(std::string_view text) {
  static simdjson::ondemand::parser parser;
  static std::string padded;
  padded.assign(text);
  padded.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document document;
  simdjson::ondemand::object message;
  if (parser.iterate(padded.data(), text.size(), padded.capacity()).get(document) ||
      document.get_object().get(message)) {
    return {};
  }
  std::string_view version;
  std::string_view id;
  std::string_view method;
  std::string_view tool;
  std::string echo;
  for (auto member : message) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (member.unescaped_key().get(key) || member.value().get(value)) return {};
    bool failed = false;
    if (key == "jsonrpc") {
      failed = value.get_string().get(version) != simdjson::SUCCESS;
    } else if (key == "id") {
      id = value.raw_json_token();  // the token as sent, trailing spaces included
    } else if (key == "method") {
      std::string_view name;
      failed = value.get_string().get(name) != simdjson::SUCCESS;
      method = name == "initialize" ? "initialize" : name == "tools/call" ? "tools/call" : "";
    } else if (key == "params") {
      simdjson::ondemand::object params;
      if (value.get_object().get(params)) return {};
      for (auto param : params) {
        std::string_view param_key;
        if (param.unescaped_key().get(param_key)) return {};
        if (param_key == "name") {
          failed = param.value().get_string().get(tool) != simdjson::SUCCESS;
          continue;
        }
        if (param_key != "arguments") continue;
        simdjson::ondemand::object arguments;
        if (param.value().get_object().get(arguments)) return {};
        std::string_view argument;
        if (arguments.find_field_unordered("text").get_string().get(argument) ==
            simdjson::SUCCESS) {
          echo.clear();
          put_json_string(echo, argument);
        }
      }
    }
    if (failed) return {};
  }
  if (version != "2.0" || id.empty()) return {};
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out.append(id).append(",");
  if (method == "initialize") return out.append(kInitializeResult) + "}";
  if (method != "tools/call" || tool != "echo") return {};
  if (echo.empty()) echo = R"("")";
  return out.append(R"("result":{"content":[{"type":"text","text":)").append(echo) + "}]}}";
}

}  // namespace bench
