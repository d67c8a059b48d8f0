#pragma once
// Internals of HttpClientTransport shared by its two halves:
// transport_http_client.cpp (Streamable HTTP, open/close) and
// http_client_legacy.cpp (the 2024-11-05 HTTP+SSE transport).

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcp/channel.hpp"
#include "mcp/http_client_request.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/transport_http_client.hpp"

namespace mcp {

namespace httpc {

inline bool is_request(const Json& message) {
  return message.is_object() && message.contains("method") && message.contains("id");
}

inline std::string method_of(const Json& message) {
  auto it = message.find("method");
  return it != message.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace httpc

// HttpClientChannel is the Session's channel: send() hands the frame to the
// transport. It outlives the transport (the Session keeps it), so close()
// detaches it and later sends return false.
class HttpClientChannel : public Channel {
 public:
  explicit HttpClientChannel(HttpClientTransport::Impl* impl) : impl_(impl) {}
  bool send(const Json& message) override;
  void detach();

 private:
  std::shared_mutex mu_;
  HttpClientTransport::Impl* impl_;
};

// PostMode: a first attempt (may re-initialize on a 404), the retry after
// re-initializing, or one of the re-initialize exchanges themselves.
enum class PostMode { kNormal, kRetry, kReinitialize };

// PostResult is how one Streamable HTTP POST ended.
struct PostResult {
  bool ok = false;
  int status = 0;         // the HTTP status, 0 without a response
  Error error;            // when !ok
  bool answered = false;  // a response to the POSTed request's id arrived
  bool fatal = false;     // the session is unusable (re-initialize failed)
};

struct HttpClientTransport::Impl {
  HttpClientOptions options;
  httpc::Url url;
  std::unique_ptr<httpc::Requester> requester;
  std::shared_ptr<Session> session;
  std::shared_ptr<HttpClientChannel> channel;
  std::unique_ptr<Executor> posts;  // one task per request POST, so calls run in parallel

  std::mutex mu;  // guards the fields below
  std::string session_id;
  std::string protocol_version;
  std::optional<Json> initialize_request;  // replayed when the server lost the session
  bool initialized_sent = false;           // notifications/initialized went out
  bool closed = false;

  std::shared_mutex reinit_gate;  // held exclusively while re-initializing
  std::mutex close_mu;            // serialises close()
  std::atomic<bool> closing{false};
  std::atomic<bool> failed{false};

  // Legacy HTTP+SSE: the stream thread and the endpoint it announced.
  std::thread stream_thread;
  std::condition_variable stream_cv;
  std::optional<httpc::Url> endpoint;  // under mu
  std::string stream_error;            // under mu: why the stream ended
  bool stream_ended = false;           // under mu

  // send is the channel's send: a frame from the Session.
  bool send(const Json& message);

  // Streamable HTTP (transport_http_client.cpp).
  bool send_streamable(const Json& message);
  void post_request(const Json& message);
  // post sends one frame; frames of the answer go to the Session (feed) or,
  // when feed is false, into `collected`. May re-initialize once on a 404.
  PostResult post(const Json& message, bool feed, std::vector<jsonrpc::Message>* collected,
                  PostMode mode);
  Status reinitialize(const std::string& stale_session_id);
  httplib::Headers headers_for(const Json& message, std::string* session_used);
  void deliver(jsonrpc::Message message, const Json& request_id, bool is_initialize,
               PostResult& result, bool feed, std::vector<jsonrpc::Message>* collected);
  void fail_request(const Json& id, const Error& error);
  void fail_for_good(const std::string& reason);
  void send_delete();

  // Legacy HTTP+SSE (http_client_legacy.cpp).
  Status open_legacy();
  void read_legacy_stream();
  bool send_legacy(const Json& message);

  std::string where() const { return options.name + " (" + url.redacted() + ")"; }
};

// http_status_error turns an HTTP error answer into an Error naming the server,
// the status and an excerpt of the body.
Error http_status_error(const std::string& where, const httplib::Headers& headers, int status,
                        const std::string& reason, const std::string& body);

}  // namespace mcp
