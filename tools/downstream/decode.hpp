// decode.hpp — turning a tools/call result into a value or an Error, the way
// ../shared/reference/downstream-servers.md §3 describes the SecOps servers' encodings.
#pragma once

#include <string>
#include <vector>

#include "mcp/result.hpp"
#include "tools/downstream/facades.hpp"

namespace downstream {

// Decoded is one successful tool result.
struct Decoded {
  Json value;          // structuredContent.result, else the parsed text (JSON or a string)
  std::string text;    // the text blocks, concatenated
  bool empty = false;  // content: [] with no structuredContent
};

enum class Shape {
  kSingle,  // one value: a dict or a string
  kList,    // GTI list tools: one text block per item (value is always an array)
};

// decode_tool_result: isError → kToolError (the tool's text); otherwise structuredContent.result
// when present, else the text blocks (kList: one item per block).
mcp::Result<Decoded> decode_tool_result(const Json& call_result, Shape shape);

// in_band_error: an object with a non-null "error" → kNotFound when it says the thing is unknown
// ("not found", "could not be found", NotFoundError), else kToolError; Ok otherwise. `what`
// prefixes the message (e.g. "search_udm").
mcp::Status in_band_error(const Json& value, const std::string& what);

// text_error: a text that starts with one of the servers' error prefixes ("Error looking up
// entity:", "No information found for entity:" → kNotFound, "Error retrieving threat
// intelligence:", "Error retrieving IoC matches:", "Error executing tool", …).
mcp::Status text_error(const std::string& text, const std::string& what);

// is_transient: worth retrying — a timeout, a lost or unavailable connection, or rate limiting
// (429, RESOURCE_EXHAUSTED, Too Many Requests) in the message; not a server that keeps failing
// to start (data.start_failed).
bool is_transient(const mcp::Error& error);

// parse_events reads {"events":[{"name","udm"}…], "more_data_available"} into a SearchResult
// (events oldest first by metadata.event_timestamp).
mcp::Result<SearchResult> parse_events(const Json& value, const std::string& what);

// parse_case_page reads one list_cases answer: a bare array or {"cases": [...]} with
// next_page_token / nextPageToken; `next` gets the token ("" for the last page).
mcp::Result<std::vector<CaseSummary>> parse_case_page(const Json& value, std::string& next);

// parse_case_summary normalises one case object (id/identifier/name, displayName, priority, …).
CaseSummary parse_case_summary(const Json& raw);

// parse_case_details reads get_case_full_details ("case_details:" or "case_details",
// case_alerts, case_comments) or a remote get_case object.
mcp::Result<CaseDetails> parse_case_details(const Json& value);

// comment_text returns a comment object's text ("comment", "Comment", "text", "body").
std::string comment_text(const Json& comment);

}  // namespace downstream
