#pragma once
// http::Request and http::Response: what http::Front hands the transport's
// handlers (http_streamable.cpp, http_legacy.cpp, http_reply.cpp) and writes
// back. Plain carriers with only what those handlers use.
//
// They replaced cpp-httplib's Request and Response as server-side carriers:
// those keep headers in a multimap compared with the C library's tolower
// (≈ 7 % of the server's time per call) and end streamed bodies through a
// releaser their move assignment drops without calling. Here header names
// are compared ASCII case-insensitively over a short vector, and a streamed
// body's owner is released by destroying it (see Response::stream).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcp::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

// iequals compares ASCII case-insensitively, as HTTP field names are.
bool iequals(std::string_view a, std::string_view b);
// icontains: `needle` occurs in `haystack`, ASCII case-insensitively.
bool icontains(std::string_view haystack, std::string_view needle);

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // the target's path, percent-decoded
  std::string body;
  Fields headers;  // in the order received
  Fields params;   // the query's parameters, decoded
  std::string remote_addr;
  int remote_port = -1;

  bool has_header(std::string_view name) const;
  // header is the first value of `name`, "" without one; valid as long as
  // the request's headers are.
  std::string_view header(std::string_view name) const;
  // get_header_value is the index-th value of `name`, "" without one.
  std::string get_header_value(std::string_view name, std::size_t index = 0) const;
  // get_param_value is the first value of query parameter `name`, or "".
  std::string get_param_value(std::string_view name) const;
};

// BodyStream writes a streamed body (SSE) piece by piece: http::Front calls
// it on a worker thread with a `write` that sends one piece and says whether
// it could, until it answers kDone (the body is complete) or kFailed (abort:
// the connection closes). What the stream holds is released when the
// Response holding it is destroyed.
using BodyWrite = std::function<bool(std::string_view)>;
enum class BodyStep { kMore, kDone, kFailed };
using BodyStream = std::function<BodyStep(const BodyWrite& write)>;

struct Response {
  int status = -1;  // -1: not answered (written as 500)
  Fields headers;
  std::string body;
  // stream, when set, is the body instead of `body`: sent chunked.
  BodyStream stream;

  // set_header adds a field; a value holding CR or LF is dropped, as it
  // could end the head early.
  void set_header(std::string name, std::string value);
  void set_content(std::string content, std::string content_type);
};

}  // namespace mcp::http
