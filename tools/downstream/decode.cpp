// decode.cpp — result decoding and in-band error detection (decode.hpp).
#include "tools/downstream/decode.hpp"

#include <algorithm>
#include <regex>

#include "mcp/jsonrpc.hpp"

namespace downstream {
namespace {

Json parse_or_string(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return text;
  return parsed;
}

std::string first_string(const Json& object, std::initializer_list<const char*> keys) {
  if (!object.is_object()) return {};
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
  }
  return {};
}

bool says_not_found(const std::string& text) {
  static const std::regex pattern(R"(not found|could not be found|NotFoundError|404)",
                                  std::regex::icase);
  return std::regex_search(text, pattern);
}

}  // namespace

mcp::Result<Decoded> decode_tool_result(const Json& call_result, Shape shape) {
  Decoded out;
  std::vector<std::string> blocks;
  if (call_result.is_object()) {
    for (const auto& block : call_result.value("content", Json::array())) {
      if (block.is_object() && block.value("type", "") == "text")
        blocks.push_back(block.value("text", ""));
    }
  }
  for (const auto& b : blocks) out.text += b;
  if (call_result.is_object() && call_result.value("isError", false)) {
    return mcp::Error{kToolError, out.text.empty() ? "the tool reported an error" : out.text};
  }
  const Json structured =
      call_result.is_object() ? call_result.value("structuredContent", Json()) : Json();
  if (structured.is_object() && structured.contains("result")) {
    out.value = structured["result"];
    if (shape == Shape::kList && !out.value.is_array()) out.value = Json::array({out.value});
    return out;
  }
  if (blocks.empty()) {
    out.empty = true;
    out.value = shape == Shape::kList ? Json::array() : Json();
    return out;
  }
  if (shape == Shape::kList) {
    out.value = Json::array();
    for (const auto& b : blocks) out.value.push_back(parse_or_string(b));
    return out;
  }
  out.value = parse_or_string(out.text);
  return out;
}

mcp::Status in_band_error(const Json& value, const std::string& what) {
  if (!value.is_object()) return mcp::Ok{};
  auto it = value.find("error");
  if (it == value.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
    return mcp::Ok{};
  std::string message = it->is_string() ? it->get<std::string>() : it->dump();
  const std::string details = first_string(value, {"details"});
  if (!details.empty()) message += " (" + details + ")";
  const int code = says_not_found(message) ? kNotFound : kToolError;
  return mcp::Error{code, what + ": " + message};
}

mcp::Status text_error(const std::string& text, const std::string& what) {
  struct Prefix {
    const char* text;
    int code;
  };
  static const Prefix prefixes[] = {
      {"No information found for entity:", kNotFound},
      {"Error looking up entity:", kToolError},
      {"Error retrieving threat intelligence:", kToolError},
      {"Error retrieving IoC matches:", kToolError},
      {"Error retrieving security alerts:", kToolError},
      {"Error executing tool", kToolError},
  };
  for (const auto& p : prefixes) {
    if (text.rfind(p.text, 0) == 0) return mcp::Error{p.code, what + ": " + text};
  }
  return mcp::Ok{};
}

bool is_transient(const mcp::Error& error) {
  // A server that keeps failing to start (ServerConnection::acquire) would only fail again.
  if (error.data.is_object() && error.data.value("start_failed", false)) return false;
  if (error.code == kTimeout || error.code == kUnavailable) return true;
  static const std::regex rate_limited(R"(\b429\b|RESOURCE_EXHAUSTED|Too Many Requests)",
                                       std::regex::icase);
  return std::regex_search(error.message, rate_limited);
}

mcp::Result<SearchResult> parse_events(const Json& value, const std::string& what) {
  if (!value.is_object() || !value.contains("events") || !value["events"].is_array())
    return mcp::Error{kBadResponse, what + " answered without an events array"};
  SearchResult result;
  for (const auto& item : value["events"]) {
    if (item.is_object() && item.contains("udm"))
      result.events.push_back(item["udm"]);
    else
      result.events.push_back(item);
  }
  auto timestamp = [](const Json& udm) {
    const Json* metadata = udm.is_object() && udm.contains("metadata") ? &udm["metadata"] : nullptr;
    return metadata ? first_string(*metadata, {"event_timestamp", "eventTimestamp"})
                    : std::string();
  };
  std::stable_sort(result.events.begin(), result.events.end(),
                   [&](const Json& a, const Json& b) { return timestamp(a) < timestamp(b); });
  result.more_data_available =
      value.value("more_data_available", value.value("moreDataAvailable", false));
  result.tool = what;
  return result;
}

CaseSummary parse_case_summary(const Json& raw) {
  CaseSummary c;
  c.id = first_string(raw, {"id", "identifier", "caseId", "case_id", "name"});
  c.name = first_string(raw, {"name", "displayName", "display_name", "title"});
  if (c.name == c.id) c.name = first_string(raw, {"displayName", "display_name", "title"});
  c.description = first_string(raw, {"description", "Description"});
  c.priority = first_string(raw, {"priority", "Priority"});
  c.status = first_string(raw, {"status", "Status", "state"});
  c.raw = raw;
  return c;
}

mcp::Result<std::vector<CaseSummary>> parse_case_page(const Json& value, std::string& next) {
  next.clear();
  const Json* items = nullptr;
  if (value.is_array()) {
    items = &value;
  } else if (value.is_object() && value.contains("cases") && value["cases"].is_array()) {
    items = &value["cases"];
    next = first_string(value, {"next_page_token", "nextPageToken"});
  } else {
    return mcp::Error{kBadResponse, "list_cases answered neither an array nor {\"cases\": [...]}"};
  }
  std::vector<CaseSummary> cases;
  for (const auto& raw : *items) {
    if (raw.is_object()) cases.push_back(parse_case_summary(raw));
  }
  return cases;
}

std::string comment_text(const Json& comment) {
  if (comment.is_string()) return comment.get<std::string>();
  return first_string(comment, {"comment", "Comment", "comment_text", "text", "body", "content"});
}

mcp::Result<CaseDetails> parse_case_details(const Json& value) {
  if (!value.is_object()) return mcp::Error{kBadResponse, "case details are not an object"};
  CaseDetails details;
  details.raw = value;
  const Json* summary = nullptr;
  for (const char* key : {"case_details:", "case_details"}) {
    if (value.contains(key) && value[key].is_object()) {
      summary = &value[key];
      break;
    }
  }
  details.summary = parse_case_summary(summary ? *summary : value);
  for (const char* key : {"case_alerts", "alerts"}) {
    if (value.contains(key) && value[key].is_array()) details.alerts = value[key];
  }
  for (const char* key : {"case_comments", "comments"}) {
    const Json* comments = value.contains(key) ? &value[key] : nullptr;
    if (!comments && summary && summary->contains(key)) comments = &(*summary)[key];
    if (comments && comments->is_object() && comments->contains("comments"))
      comments = &(*comments)["comments"];
    if (comments && comments->is_array()) {
      for (const auto& c : *comments) {
        Json normal = c.is_object() ? c : Json::object();
        normal["comment"] = comment_text(c);
        details.comments.push_back(normal);
      }
    }
  }
  if (details.summary.id.empty() && !summary)
    return mcp::Error{kBadResponse, "case details carry no case_details and no id"};
  return details;
}

}  // namespace downstream
