#pragma once
// Session: the JSON-RPC peer shared by Server and Client. It matches responses
// to pending calls, dispatches incoming requests and notifications to method
// tables, runs request handlers on an Executor, and owns cancellation
// (notifications/cancelled is handled on the receiving thread, ahead of any
// queued work) and progress (basic/utilities/{cancellation,progress}.mdx).

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mcp/channel.hpp"
#include "mcp/executor.hpp"
#include "mcp/jsonrpc.hpp"

namespace mcp {

class Session;

// CallOptions shape one outgoing request.
struct CallOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  std::stop_token stop;  // stopping sends notifications/cancelled and fails the call
  // on_progress receives notifications/progress params; setting it attaches a
  // progressToken to the request.
  std::function<void(const Json& params)> on_progress;
  std::shared_ptr<Channel> via;  // where to send; the session's default when null
};

// RequestContext is what a request handler sees of its request.
class RequestContext {
 public:
  const Json& id() const { return id_; }
  const std::string& method() const { return method_; }
  const Json& params() const { return params_; }
  std::stop_token stop_token() const { return stop_; }
  Session& session() const { return *session_; }
  const std::shared_ptr<Channel>& channel() const { return reply_; }

  // has_progress_token is true when the request carried _meta.progressToken.
  bool has_progress_token() const { return !progress_token_.is_null(); }
  // report_progress sends notifications/progress when the request carried a
  // token; values that do not increase are dropped and bursts are rate-limited.
  void report_progress(double progress, std::optional<double> total = std::nullopt,
                       const std::string& message = {});
  // notify sends a notification related to this request (same channel).
  bool notify(std::string_view method, Json params);
  // request sends a request to the peer on this request's channel and blocks
  // until its response (server→client sampling, elicitation, ping).
  Result<Json> request(std::string_view method, Json params, CallOptions options = {});

  // detached makes a context for work that outlives this request (a task-augmented tools/call):
  // the same session, id, method, params and progress token, the stop token `stop` instead of
  // the request's, and messages sent on the session's default channel (the request's own channel
  // ends with its response), each with the members of `meta` merged into its params' _meta.
  std::unique_ptr<RequestContext> detached(std::stop_token stop, Json meta) const;

 private:
  friend class Session;
  Json with_meta(Json params) const;

  Session* session_ = nullptr;
  Json id_;
  std::string method_;
  Json params_;
  Json progress_token_;
  std::stop_token stop_;
  std::shared_ptr<Channel> reply_;
  Json meta_;  // merged into the _meta of what notify and request send; null for none
  std::mutex progress_mu_;
  std::optional<double> last_progress_;
  double progress_tokens_ = kProgressBurst;
  std::chrono::steady_clock::time_point progress_refill_ = std::chrono::steady_clock::now();

  static constexpr double kProgressBurst = 8;       // notifications sent back to back
  static constexpr double kProgressPerSecond = 20;  // sustained rate
};

// kSendFailureGrace: how long a call whose frame the transport refused waits for the transport
// to close the session with its reason (see Session::call).
inline constexpr std::chrono::milliseconds kSendFailureGrace{2000};

class Session : public std::enable_shared_from_this<Session> {
 public:
  using RequestHandler = std::function<Result<Json>(RequestContext&)>;
  using NotificationHandler = std::function<void(const Json& params)>;
  // Gate runs before a request is dispatched; an Error answers it instead.
  using Gate = std::function<std::optional<Error>(const jsonrpc::Message&)>;
  // Where a handler runs: on the pool (default), or on the receiving thread
  // for quick handlers whose ordering matters (initialize, ping).
  enum class Dispatch { kPool, kInline };
  // DispatchChooser picks per request (e.g. tools/call by the tool's needs).
  using DispatchChooser = std::function<Dispatch(const Json& params)>;

  Session(std::string name, Executor& executor);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& name() const { return name_; }

  void on_request(const std::string& method, RequestHandler handler,
                  Dispatch dispatch = Dispatch::kPool);
  void on_request(const std::string& method, RequestHandler handler, DispatchChooser choose);
  void on_notification(const std::string& method, NotificationHandler handler);
  void set_gate(Gate gate);
  // set_default_channel: where messages go that belong to no request
  // (stdout for stdio; the GET stream for Streamable HTTP).
  void set_default_channel(std::shared_ptr<Channel> channel);
  std::shared_ptr<Channel> default_channel() const;

  // receive_frame decodes one frame and handles it; a frame that is not a
  // message is answered with the error the spec prescribes on `reply`.
  // Never blocks on handlers.
  void receive_frame(std::string_view frame, const std::shared_ptr<Channel>& reply);
  void receive(jsonrpc::Message message, const std::shared_ptr<Channel>& reply);

  // call sends a request and blocks until its response, the timeout or the
  // stop token. Timeout and stop send notifications/cancelled to the peer.
  Result<Json> call(std::string_view method, Json params, CallOptions options = {});
  bool notify(std::string_view method, Json params, const std::shared_ptr<Channel>& via = nullptr);
  // ping sends `ping` to the peer and waits for its (empty) answer.
  Status ping(std::chrono::milliseconds timeout);

  // close fails pending calls with kConnectionClosed and asks every running
  // handler to stop. Idempotent.
  void close(const std::string& reason);
  bool closed() const { return closed_.load(); }
  // wait_idle blocks until no incoming request is in flight or the deadline.
  bool wait_idle(std::chrono::milliseconds timeout);
  std::size_t in_flight() const;

 private:
  struct Pending;
  struct Incoming;

  void handle_request(jsonrpc::Message message, const std::shared_ptr<Channel>& reply);
  void handle_notification(const jsonrpc::Message& message);
  void handle_response(const jsonrpc::Message& message);
  void run_request(const std::shared_ptr<Incoming>& incoming, const RequestHandler& handler);
  void finish_request(const std::shared_ptr<Incoming>& incoming);
  bool send(const Json& message, const std::shared_ptr<Channel>& via);

  std::string name_;
  Executor& executor_;
  std::atomic<bool> closed_{false};
  std::atomic<long long> next_id_{1};

  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  std::unordered_map<std::string, std::pair<RequestHandler, DispatchChooser>> requests_;
  std::unordered_map<std::string, NotificationHandler> notifications_;
  Gate gate_;
  std::shared_ptr<Channel> default_channel_;
  std::unordered_map<std::string, std::shared_ptr<Pending>> pending_;    // by id_key
  std::string close_reason_;                                             // set once by close()
  std::unordered_map<std::string, std::shared_ptr<Incoming>> incoming_;  // by id_key
};

}  // namespace mcp
