#pragma once
// jsonrpc: JSON-RPC 2.0 message types, error codes and one-frame encode/decode
// (MCP basic/index.mdx). A frame is one compact JSON object; batches are not
// part of MCP since 2025-06-18 and are refused as invalid requests.

#include <cstddef>
#include <string>
#include <string_view>

#include "mcp/result.hpp"

namespace mcp::jsonrpc {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// Implementation-defined codes, as the TypeScript SDK uses them.
inline constexpr int kConnectionClosed = -32000;
inline constexpr int kRequestTimeout = -32001;
inline constexpr int kResourceNotFound = -32002;
// kServerError is the generic transport-level error (-32000) of HTTP replies.
inline constexpr int kServerError = -32000;

enum class Kind { kRequest, kNotification, kResponse, kErrorResponse };

// Message is one decoded JSON-RPC message.
struct Message {
  Kind kind = Kind::kNotification;
  Json id;             // requests and responses; null otherwise
  std::string method;  // requests and notifications
  Json params;         // object or null
  Json result;         // kResponse
  Error error;         // kErrorResponse

  bool is_request() const { return kind == Kind::kRequest; }
  bool is_notification() const { return kind == Kind::kNotification; }
  bool is_response() const { return kind == Kind::kResponse || kind == Kind::kErrorResponse; }
};

// DecodeError is why a frame is not a message, with the id to answer to when
// one could be recovered (null otherwise, as the spec prescribes).
struct DecodeError {
  Error error;
  Json id;
};

// decode parses and validates one frame. On failure the error is -32700 for
// bytes that are not JSON and -32600 for JSON that is not a JSON-RPC message.
std::variant<Message, DecodeError> decode(std::string_view frame);

// validate checks an already-parsed JSON value the way decode does.
std::variant<Message, DecodeError> validate(Json value);

Json make_request(const Json& id, std::string_view method, Json params);
Json make_notification(std::string_view method, Json params);
Json make_result(const Json& id, Json result);
Json make_error(const Json& id, const Error& error);

// encode serialises compactly: no newlines, invalid UTF-8 replaced, so the
// output is always one valid stdio frame.
std::string encode(const Json& message);

// id_key turns a request id (string or integer) into a map key that keeps
// "1" and 1 distinct.
std::string id_key(const Json& id);

}  // namespace mcp::jsonrpc
