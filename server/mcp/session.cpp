#include "mcp/session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>

namespace mcp {

using jsonrpc::Kind;

struct Session::Pending {
  std::mutex mu;
  std::condition_variable_any cv;
  std::optional<Result<Json>> result;
  std::function<void(const Json&)> on_progress;
};

struct Session::Incoming {
  std::string key;
  std::stop_source stop;
  std::atomic<bool> cancelled{false};
  bool cancellable = true;
  RequestContext ctx;
};

// --- RequestContext ---------------------------------------------------------

void RequestContext::report_progress(double progress, std::optional<double> total,
                                     const std::string& message) {
  if (!has_progress_token()) return;
  {
    std::lock_guard lock(progress_mu_);
    if (last_progress_ && progress <= *last_progress_) return;  // must increase
    auto now = std::chrono::steady_clock::now();
    progress_tokens_ = std::min(
        kProgressBurst,
        progress_tokens_ +
            kProgressPerSecond * std::chrono::duration<double>(now - progress_refill_).count());
    progress_refill_ = now;
    const bool final = total && progress >= *total;
    if (progress_tokens_ < 1 && !final) return;
    progress_tokens_ = std::max(0.0, progress_tokens_ - 1);
    last_progress_ = progress;
  }
  Json params = {{"progressToken", progress_token_}, {"progress", progress}};
  if (total) params["total"] = *total;
  if (!message.empty()) params["message"] = message;
  notify("notifications/progress", std::move(params));
}

bool RequestContext::notify(std::string_view method, Json params) {
  return reply_ && reply_->send(jsonrpc::make_notification(method, with_meta(std::move(params))));
}

Result<Json> RequestContext::request(std::string_view method, Json params, CallOptions options) {
  if (!options.via) options.via = reply_;
  if (!options.stop.stop_possible()) options.stop = stop_;
  return session_->call(method, with_meta(std::move(params)), std::move(options));
}

Json RequestContext::with_meta(Json params) const {
  if (!meta_.is_object() || meta_.empty()) return params;
  if (params.is_null()) params = Json::object();
  if (!params.is_object()) return params;
  Json& meta = params["_meta"];
  if (!meta.is_object()) meta = Json::object();
  meta.update(meta_);
  return params;
}

std::unique_ptr<RequestContext> RequestContext::detached(std::stop_token stop, Json meta) const {
  auto ctx = std::make_unique<RequestContext>();
  ctx->session_ = session_;
  ctx->id_ = id_;
  ctx->method_ = method_;
  ctx->params_ = params_;
  ctx->progress_token_ = progress_token_;
  ctx->stop_ = std::move(stop);
  ctx->reply_ = session_->default_channel();
  ctx->meta_ = std::move(meta);
  return ctx;
}

// --- Session ----------------------------------------------------------------

Session::Session(std::string name, Executor& executor)
    : name_(std::move(name)), executor_(executor) {}

Session::~Session() {
  close("session destroyed");
}

void Session::on_request(const std::string& method, RequestHandler handler, Dispatch dispatch) {
  on_request(method, std::move(handler), [dispatch](const Json&) { return dispatch; });
}

void Session::on_request(const std::string& method, RequestHandler handler,
                         DispatchChooser choose) {
  std::lock_guard lock(mu_);
  requests_[method] = {std::move(handler), std::move(choose)};
}

void Session::on_notification(const std::string& method, NotificationHandler handler) {
  std::lock_guard lock(mu_);
  notifications_[method] = std::move(handler);
}

void Session::set_gate(Gate gate) {
  std::lock_guard lock(mu_);
  gate_ = std::move(gate);
}

void Session::set_default_channel(std::shared_ptr<Channel> channel) {
  std::lock_guard lock(mu_);
  default_channel_ = std::move(channel);
}

std::shared_ptr<Channel> Session::default_channel() const {
  std::lock_guard lock(mu_);
  return default_channel_;
}

void Session::receive_frame(std::string_view frame, const std::shared_ptr<Channel>& reply) {
  auto decoded = jsonrpc::decode(frame);
  if (auto* failure = std::get_if<jsonrpc::DecodeError>(&decoded)) {
    spdlog::debug("[{}] refused frame: {}", name_, failure->error.message);
    if (reply) reply->send(jsonrpc::make_error(failure->id, failure->error));
    return;
  }
  receive(std::get<jsonrpc::Message>(std::move(decoded)), reply);
}

void Session::receive(jsonrpc::Message message, const std::shared_ptr<Channel>& reply) {
  switch (message.kind) {
    case Kind::kRequest:
      handle_request(std::move(message), reply);
      break;
    case Kind::kNotification:
      handle_notification(message);
      break;
    case Kind::kResponse:
    case Kind::kErrorResponse:
      handle_response(message);
      break;
  }
}

void Session::handle_request(jsonrpc::Message message, const std::shared_ptr<Channel>& reply) {
  auto refuse = [&](int code, std::string text) {
    if (reply) reply->send(jsonrpc::make_error(message.id, Error{code, std::move(text), nullptr}));
    if (reply) reply->request_done(message.id, true);
  };
  if (closed_) return refuse(jsonrpc::kConnectionClosed, "Connection closed");

  std::unique_lock lock(mu_);
  if (gate_) {
    auto gate = gate_;
    lock.unlock();
    if (auto error = gate(message)) {
      if (reply) reply->send(jsonrpc::make_error(message.id, *error));
      if (reply) reply->request_done(message.id, true);
      return;
    }
    lock.lock();
  }
  auto handler_it = requests_.find(message.method);
  if (handler_it == requests_.end()) {
    lock.unlock();
    return refuse(jsonrpc::kMethodNotFound, "Method not found: " + message.method);
  }
  auto [handler, choose] = handler_it->second;
  auto key = jsonrpc::id_key(message.id);
  if (incoming_.count(key)) {
    lock.unlock();
    return refuse(jsonrpc::kInvalidRequest, "Invalid Request: id is already in use");
  }

  auto incoming = std::make_shared<Incoming>();
  incoming->key = key;
  incoming->cancellable = message.method != "initialize";
  RequestContext& ctx = incoming->ctx;
  ctx.session_ = this;
  ctx.id_ = message.id;
  ctx.method_ = message.method;
  if (message.params.is_object()) {
    auto meta = message.params.find("_meta");
    if (meta != message.params.end() && meta->is_object()) {
      auto token = meta->find("progressToken");
      if (token != meta->end() && (token->is_string() || token->is_number_integer())) {
        ctx.progress_token_ = *token;
      }
    }
  }
  ctx.params_ = message.params.is_null() ? Json::object() : std::move(message.params);
  ctx.stop_ = incoming->stop.get_token();
  ctx.reply_ = reply;
  incoming_.emplace(key, incoming);
  lock.unlock();

  // Inline handlers run here, on the receiving thread: no hand-off to the
  // pool (a context switch each way) for work that never blocks.
  if (choose(ctx.params_) == Dispatch::kInline) {
    run_request(incoming, handler);
    return;
  }
  executor_.post([self = shared_from_this(), incoming, handler = std::move(handler)]() noexcept {
    self->run_request(incoming, handler);
  });
}

void Session::run_request(const std::shared_ptr<Incoming>& incoming,
                          const RequestHandler& handler) {
  RequestContext& ctx = incoming->ctx;
  std::optional<Result<Json>> result;
  if (!incoming->cancelled) {
    try {
      result.emplace(handler(ctx));
    } catch (const std::exception& e) {
      spdlog::error("[{}] {} handler threw: {}", name_, ctx.method_, e.what());
      result.emplace(Error{jsonrpc::kInternalError, "Internal error", nullptr});
    }
  }
  bool responded = false;
  if (result && !incoming->cancelled && ctx.reply_) {
    // The result is moved into the response, not copied: this is the hot path of every call.
    responded =
        ctx.reply_->send(result->ok() ? jsonrpc::make_result(ctx.id_, std::move(*result).value())
                                      : jsonrpc::make_error(ctx.id_, result->error()));
  }
  {
    std::lock_guard lock(mu_);
    incoming_.erase(incoming->key);
  }
  idle_cv_.notify_all();
  if (ctx.reply_) ctx.reply_->request_done(ctx.id_, responded);
}

void Session::handle_notification(const jsonrpc::Message& message) {
  const Json& params = message.params;
  if (message.method == "notifications/cancelled") {
    if (!params.is_object() || !params.contains("requestId")) return;
    std::shared_ptr<Incoming> target;
    {
      std::lock_guard lock(mu_);
      auto it = incoming_.find(jsonrpc::id_key(params["requestId"]));
      if (it != incoming_.end()) target = it->second;
    }
    if (target && target->cancellable) {  // unknown or late cancels are ignored
      spdlog::debug("[{}] request {} cancelled: {}", name_, params["requestId"].dump(),
                    params.value("reason", std::string{}));
      target->cancelled = true;
      target->stop.request_stop();
    }
    return;
  }
  if (message.method == "notifications/progress" && params.is_object() &&
      params.contains("progressToken")) {
    std::shared_ptr<Pending> pending;
    {
      std::lock_guard lock(mu_);
      auto it = pending_.find(jsonrpc::id_key(params["progressToken"]));
      if (it != pending_.end()) pending = it->second;
    }
    if (pending && pending->on_progress) pending->on_progress(params);
    return;
  }
  NotificationHandler handler;
  {
    std::lock_guard lock(mu_);
    auto it = notifications_.find(message.method);
    if (it != notifications_.end()) handler = it->second;
  }
  if (!handler) {
    spdlog::debug("[{}] ignored notification {}", name_, message.method);
    return;
  }
  try {
    handler(params);
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} handler threw: {}", name_, message.method, e.what());
  }
}

void Session::handle_response(const jsonrpc::Message& message) {
  std::shared_ptr<Pending> pending;
  {
    std::lock_guard lock(mu_);
    auto it = pending_.find(jsonrpc::id_key(message.id));
    if (it == pending_.end()) {
      spdlog::debug("[{}] response to unknown request {}", name_, message.id.dump());
      return;
    }
    pending = it->second;
    pending_.erase(it);
  }
  std::lock_guard lock(pending->mu);
  if (message.kind == Kind::kResponse) {
    pending->result.emplace(message.result);
  } else {
    pending->result.emplace(message.error);
  }
  pending->cv.notify_all();
}

Result<Json> Session::call(std::string_view method, Json params, CallOptions options) {
  if (closed_) {
    std::lock_guard lock(mu_);
    return Error{jsonrpc::kConnectionClosed, "Connection closed: " + close_reason_, nullptr};
  }
  const Json id = next_id_.fetch_add(1);
  const auto key = jsonrpc::id_key(id);
  auto pending = std::make_shared<Pending>();
  pending->on_progress = std::move(options.on_progress);
  if (pending->on_progress) {
    if (!params.is_object()) params = Json::object();
    params["_meta"]["progressToken"] = id;
  }
  {
    std::lock_guard lock(mu_);
    pending_.emplace(key, pending);
  }
  auto forget = [&] {
    std::lock_guard lock(mu_);
    pending_.erase(key);
  };
  if (!send(jsonrpc::make_request(id, method, std::move(params)), options.via)) {
    // The transport refused the frame, usually because it is going down (a child that exited
    // before reading). Wait briefly for it to close the session with the reason it knows (exit
    // status, last stderr lines): close() fails this pending call with that reason.
    std::unique_lock lock(pending->mu);
    if (pending->cv.wait_for(lock, std::min(options.timeout, kSendFailureGrace),
                             [&] { return pending->result.has_value(); })) {
      return std::move(*pending->result);
    }
    lock.unlock();
    forget();
    return Error{jsonrpc::kConnectionClosed, "Connection closed (the frame could not be sent)",
                 nullptr};
  }

  std::unique_lock lock(pending->mu);
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool done = pending->cv.wait_until(lock, options.stop, deadline,
                                     [&] { return pending->result.has_value(); });
  if (done) return std::move(*pending->result);
  lock.unlock();
  forget();
  const bool stopped = options.stop.stop_requested();
  std::string reason = stopped ? "Request cancelled" : "Request timed out";
  send(jsonrpc::make_notification("notifications/cancelled",
                                  {{"requestId", id}, {"reason", reason}}),
       options.via);
  return Error{stopped ? jsonrpc::kConnectionClosed : jsonrpc::kRequestTimeout,
               std::string(method) + ": " + reason, nullptr};
}

bool Session::notify(std::string_view method, Json params, const std::shared_ptr<Channel>& via) {
  return send(jsonrpc::make_notification(method, std::move(params)), via);
}

Status Session::ping(std::chrono::milliseconds timeout) {
  CallOptions options;
  options.timeout = timeout;
  auto r = call("ping", Json::object(), std::move(options));
  if (!r) return r.error();
  return Ok{};
}

bool Session::send(const Json& message, const std::shared_ptr<Channel>& via) {
  auto channel = via ? via : default_channel();
  return channel && channel->send(message);
}

void Session::close(const std::string& reason) {
  if (closed_.exchange(true)) return;
  std::unordered_map<std::string, std::shared_ptr<Pending>> pending;
  std::vector<std::shared_ptr<Incoming>> incoming;
  {
    std::lock_guard lock(mu_);
    close_reason_ = reason;
    pending.swap(pending_);
    for (auto& [key, in] : incoming_) incoming.push_back(in);
  }
  for (auto& [key, p] : pending) {
    std::lock_guard lock(p->mu);
    p->result.emplace(Error{jsonrpc::kConnectionClosed, "Connection closed: " + reason, nullptr});
    p->cv.notify_all();
  }
  for (auto& in : incoming) in->stop.request_stop();
}

bool Session::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return incoming_.empty(); });
}

std::size_t Session::in_flight() const {
  std::lock_guard lock(mu_);
  return incoming_.size();
}

}  // namespace mcp
