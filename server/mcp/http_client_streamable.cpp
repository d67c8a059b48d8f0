// HttpClientTransport, the Streamable HTTP half. Every frame
// the Session sends is one POST; a request's POST runs on the transport's own
// pool so calls proceed in parallel and honour their timeouts, while
// notifications and responses are POSTed on the sending thread (in order:
// notifications/initialized reaches the server before the next request).
//
// MCP-Protocol-Version: read from the initialize result passing through (the
// Client needs to do nothing). The GET stream for server-initiated messages
// is not opened: the servers we call (secops-mcp, gti-mcp, the remote SecOps
// server) send nothing unrelated to a request, and messages related to a
// request (progress, logs, sampling) arrive on that request's SSE answer.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "mcp/http_client_impl.hpp"
#include "mcp/http_client_sse.hpp"
#include "mcp/transport_stdio.hpp"

namespace mcp {

using httpc::is_request;
using httpc::method_of;
using jsonrpc::kConnectionClosed;

namespace {

constexpr const char* kSessionHeader = "Mcp-Session-Id";
constexpr const char* kProtocolHeader = "MCP-Protocol-Version";
constexpr std::size_t kMaxErrorBody = 4096;
constexpr std::size_t kMaxAnswerBytes = 4 * kMaxFrameBytes;  // one JSON answer or SSE event

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Headers the transport sets itself; configured values for them are ignored.
bool transport_owned(const std::string& name) {
  const auto n = lower(name);
  return n == "accept" || n == "content-type" || n == "content-length" || n == "host" ||
         n == lower(kSessionHeader) || n == lower(kProtocolHeader);
}

}  // namespace

// --- Impl: Streamable HTTP ---------------------------------------------------

bool HttpClientTransport::Impl::send(const Json& message) {
  if (closing) return false;
  return options.legacy_sse ? send_legacy(message) : send_streamable(message);
}

bool HttpClientTransport::Impl::send_streamable(const Json& message) {
  const auto method = method_of(message);
  if (method == "initialize") {
    std::lock_guard lock(mu);
    initialize_request = message;
  }
  if (is_request(message)) {
    posts->post([this, message]() noexcept { post_request(message); });
    return true;
  }
  auto result = post(message, true, nullptr, PostMode::kNormal);
  if (result.ok && method == "notifications/initialized") {
    std::lock_guard lock(mu);
    initialized_sent = true;
  }
  if (!result.ok) {
    spdlog::warn("[{}] {} was not delivered: {}", options.name,
                 method.empty() ? std::string("a response") : method, result.error.message);
  }
  if (result.fatal) fail_for_good(result.error.message);
  return result.ok;
}

void HttpClientTransport::Impl::post_request(const Json& message) {
  auto result = post(message, true, nullptr, PostMode::kNormal);
  if (result.ok && !result.answered) {
    result.ok = false;
    result.error = Error{kConnectionClosed, where() + ": the server ended its answer to " +
                                                method_of(message) + " without a response"};
  }
  // Closing first: the call then fails with the reason the session ended.
  if (result.fatal) fail_for_good(result.error.message);
  if (!result.ok) fail_request(message["id"], result.error);
}

httplib::Headers HttpClientTransport::Impl::headers_for(const Json& message,
                                                        std::string* session_used) {
  httplib::Headers headers;
  for (const auto& [name, value] : options.headers) {
    if (!transport_owned(name)) headers.emplace(name, value);
  }
  headers.emplace("Accept", "application/json, text/event-stream");
  std::lock_guard lock(mu);
  if (!session_id.empty()) headers.emplace(kSessionHeader, session_id);
  if (!protocol_version.empty() && method_of(message) != "initialize") {
    headers.emplace(kProtocolHeader, protocol_version);
  }
  *session_used = session_id;
  return headers;
}

void HttpClientTransport::Impl::deliver(jsonrpc::Message message, const Json& request_id,
                                        bool is_initialize, PostResult& result, bool feed,
                                        std::vector<jsonrpc::Message>* collected) {
  if (message.is_response() && !request_id.is_null() &&
      jsonrpc::id_key(message.id) == jsonrpc::id_key(request_id)) {
    result.answered = true;
    if (is_initialize && message.kind == jsonrpc::Kind::kResponse && message.result.is_object()) {
      auto version = message.result.find("protocolVersion");
      if (version != message.result.end() && version->is_string()) {
        std::lock_guard lock(mu);
        protocol_version = version->get<std::string>();
      }
    }
  }
  if (feed) {
    session->receive(std::move(message), channel);
  } else if (collected) {
    collected->push_back(std::move(message));
  }
}

PostResult HttpClientTransport::Impl::post(const Json& message, bool feed,
                                           std::vector<jsonrpc::Message>* collected,
                                           PostMode mode) {
  PostResult result;
  const std::string method = method_of(message);
  const std::string what = method.empty() ? std::string("a response") : method;
  if (closing && mode != PostMode::kReinitialize) {
    result.error = Error{kConnectionClosed, where() + ": the connection is closing"};
    return result;
  }
  const Json request_id = is_request(message) ? message["id"] : Json();
  const bool is_initialize = method == "initialize";

  httpc::Exchange exchange;
  exchange.method = "POST";
  exchange.url = url;
  std::string session_used;
  if (mode == PostMode::kReinitialize) {
    exchange.headers = headers_for(message, &session_used);
  } else {
    std::shared_lock gate(reinit_gate);  // wait while the session is being re-established
    exchange.headers = headers_for(message, &session_used);
  }
  exchange.body = jsonrpc::encode(message);
  exchange.content_type = "application/json";
  exchange.read_timeout = options.read_timeout;

  enum class Body { kNone, kJson, kSse, kError };
  Body kind = Body::kNone;
  std::string body;
  bool too_big = false;
  httpc::SseDecoder sse(
      [&](httpc::SseEvent&& event) {
        if (event.type != "message" || event.data.empty()) return;  // priming events are empty
        auto decoded = jsonrpc::decode(event.data);
        if (auto* bad = std::get_if<jsonrpc::DecodeError>(&decoded)) {
          spdlog::warn("[{}] skipped an SSE event that is not a JSON-RPC message ({}): {}",
                       options.name, bad->error.message, httpc::excerpt(event.data, 200));
          return;
        }
        deliver(std::get<jsonrpc::Message>(std::move(decoded)), request_id, is_initialize, result,
                feed, collected);
      },
      kMaxAnswerBytes);
  std::string content_type;
  exchange.on_head = [&](const httplib::Response& res) {
    result.status = res.status;
    if (res.status == 202 || res.status == 204) return true;
    if (res.status < 200 || res.status >= 300) {
      kind = Body::kError;
      return true;
    }
    content_type = lower(res.get_header_value("Content-Type"));
    if (content_type.empty()) {
      kind = Body::kNone;  // e.g. 200 without a body for a notification
    } else if (content_type.starts_with("text/event-stream")) {
      kind = Body::kSse;
    } else if (content_type.find("json") != std::string::npos) {
      kind = Body::kJson;
    } else {
      kind = Body::kError;
    }
    if (is_initialize) {
      auto id = res.get_header_value(kSessionHeader);
      std::lock_guard lock(mu);
      session_id = id;  // an initialize answer without one means a session-less server
    }
    return true;
  };
  exchange.on_body = [&](std::string_view bytes) {
    switch (kind) {
      case Body::kSse:
        if (!sse.feed(bytes)) too_big = true;
        return !too_big;
      case Body::kJson:
        if (body.size() + bytes.size() > kMaxAnswerBytes) too_big = true;
        if (!too_big) body.append(bytes);
        return !too_big;
      case Body::kError:
        if (body.size() < kMaxErrorBody) body.append(bytes.substr(0, kMaxErrorBody - body.size()));
        return true;
      case Body::kNone:
        return true;
    }
    return true;
  };

  const auto outcome = requester->perform(std::move(exchange));
  if (too_big) {
    result.error = Error{jsonrpc::kInternalError,
                         where() + ": the answer to " + what + " exceeds " +
                             std::to_string(kMaxAnswerBytes / (1024 * 1024)) + " MiB"};
    return result;
  }
  if (!outcome.error.empty()) {
    if (result.answered) {  // the stream broke after the answer: nothing is lost
      result.ok = true;
      return result;
    }
    result.error = Error{kConnectionClosed, where() + ": " + what + ": " + outcome.error};
    return result;
  }
  if (outcome.status == 404 && !session_used.empty()) {
    if (mode != PostMode::kNormal) {
      result.error = Error{kConnectionClosed,
                           where() +
                               ": the server answered 404 (session not found) again right "
                               "after re-initializing; giving up on this connection",
                           Json{{"httpStatus", 404}}};
      result.fatal = true;
      return result;
    }
    if (auto renewed = reinitialize(session_used); !renewed) {
      result.error = renewed.error();
      result.fatal = true;
      return result;
    }
    return post(message, feed, collected, PostMode::kRetry);
  }
  if (kind == Body::kError) {
    if (outcome.status >= 200 && outcome.status < 300) {
      body = "unexpected Content-Type '" + content_type + "'; body: " + body;
    }
    result.error =
        http_status_error(where(), outcome.headers, outcome.status, outcome.reason, body);
    return result;
  }
  if (kind == Body::kJson) {
    auto parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !(parsed.is_object() || parsed.is_array())) {
      result.error = Error{jsonrpc::kParseError, where() + ": the answer to " + what +
                                                     " is not JSON: " + httpc::excerpt(body, 200)};
      return result;
    }
    std::vector<Json> messages;
    if (parsed.is_array()) {
      for (auto& item : parsed) messages.push_back(std::move(item));
    } else {
      messages.push_back(std::move(parsed));
    }
    for (auto& item : messages) {
      auto valid = jsonrpc::validate(std::move(item));
      if (auto* bad = std::get_if<jsonrpc::DecodeError>(&valid)) {
        spdlog::warn("[{}] skipped an answer that is not a JSON-RPC message: {}", options.name,
                     bad->error.message);
        continue;
      }
      deliver(std::get<jsonrpc::Message>(std::move(valid)), request_id, is_initialize, result, feed,
              collected);
    }
  }
  result.ok = true;
  return result;
}

Status HttpClientTransport::Impl::reinitialize(const std::string& stale_session_id) {
  std::unique_lock gate(reinit_gate);
  Json init;
  bool send_initialized = false;
  {
    std::lock_guard lock(mu);
    if (session_id != stale_session_id) return Ok{};  // another call already re-initialized
    if (!initialize_request) {
      return Error{kConnectionClosed,
                   where() + ": the server lost the session (HTTP 404) before initialize"};
    }
    init = *initialize_request;
    send_initialized = initialized_sent;
    session_id.clear();
  }
  spdlog::warn("[{}] the server no longer knows session {}; re-initializing", options.name,
               httpc::excerpt(stale_session_id, 12));
  const auto failed_because = [&](std::string why) {
    if (why.starts_with(where() + ": ")) why.erase(0, where().size() + 2);
    return Error{
        kConnectionClosed,
        where() + ": the server lost the session (HTTP 404) and re-initializing failed: " + why};
  };
  std::vector<jsonrpc::Message> answers;
  auto answer = post(init, false, &answers, PostMode::kReinitialize);
  if (!answer.ok) return failed_because(answer.error.message);
  if (!answer.answered) return failed_because("initialize was not answered");
  for (const auto& m : answers) {
    if (m.kind == jsonrpc::Kind::kErrorResponse &&
        jsonrpc::id_key(m.id) == jsonrpc::id_key(init["id"])) {
      return failed_because(m.error.message);
    }
  }
  if (send_initialized) {
    auto note = post(jsonrpc::make_notification("notifications/initialized", Json::object()), true,
                     nullptr, PostMode::kReinitialize);
    if (!note.ok) return failed_because(note.error.message);
  }
  std::lock_guard lock(mu);
  spdlog::info("[{}] re-initialized as session {}", options.name, httpc::excerpt(session_id, 12));
  return Ok{};
}

void HttpClientTransport::Impl::fail_request(const Json& id, const Error& error) {
  jsonrpc::Message message;
  message.kind = jsonrpc::Kind::kErrorResponse;
  message.id = id;
  message.error = error;
  session->receive(std::move(message), channel);
}

void HttpClientTransport::Impl::fail_for_good(const std::string& reason) {
  failed = true;
  spdlog::error("[{}] {}", options.name, reason);
  session->close(reason);
}

void HttpClientTransport::Impl::send_delete() {
  std::string id;
  httpc::Exchange exchange;
  exchange.headers = headers_for(Json::object(), &id);
  if (id.empty()) return;
  exchange.method = "DELETE";
  exchange.url = url;
  exchange.read_timeout = std::min(options.read_timeout, options.connect_timeout);
  const auto outcome = requester->perform(std::move(exchange));
  // 405: the server does not support ending sessions; 404: it already forgot it.
  if (!outcome.error.empty()) {
    spdlog::debug("[{}] DELETE of the session failed: {}", options.name, outcome.error);
  } else {
    spdlog::debug("[{}] DELETE of the session answered HTTP {}", options.name, outcome.status);
  }
}

}  // namespace mcp
