// retry.cpp — invoke (retry.hpp).
#include "tools/downstream/retry.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <random>

#include "mcp/jsonrpc.hpp"

namespace downstream {
namespace {

using std::chrono::milliseconds;

// call_error maps a Client::call_tool failure onto our codes.
mcp::Error call_error(const mcp::Error& e, const Route& route, const CallContext& ctx) {
  const std::string who = route.server->config().name + " " + route.tool.name + ": ";
  if (ctx.stop.stop_requested()) return {kCancelled, who + "cancelled"};
  if (e.code == mcp::jsonrpc::kRequestTimeout) return {kTimeout, who + e.message};
  if (route.live->closed()) return {kUnavailable, who + "connection lost: " + e.message};
  return {kToolError, who + e.message};
}

void add_remote_identity(Json& args, const Route& route) {
  if (!route.live->remote || !args.is_object()) return;
  const auto& c = route.server->config();
  if (!args.contains("project_id")) args["project_id"] = c.project_id;
  if (!args.contains("customer_id")) args["customer_id"] = c.customer_id;
  if (!args.contains("region")) args["region"] = c.region;
}

}  // namespace

std::string arg_name(const mcp::Tool& tool, std::initializer_list<const char*> candidates) {
  const Json& schema = tool.input_schema;
  if (schema.is_object() && schema.contains("properties") && schema["properties"].is_object()) {
    for (const char* name : candidates)
      if (schema["properties"].contains(name)) return name;
  }
  return *candidates.begin();
}

milliseconds retry_backoff(const RetrySettings& settings, int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const int shift = std::clamp(attempt - 1, 0, 20);
  const double base =
      std::min<double>(settings.max_backoff_ms, double(settings.initial_backoff_ms) * (1 << shift));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return milliseconds(static_cast<long long>(base * jitter(random)));
}

bool sleep_until(Clock::time_point when, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_until(lock, stop, when, [] { return false; });
  return !stop.stop_requested();
}

mcp::Result<Invoked> invoke(Pool& pool, const Invocation& inv, const CallContext& ctx) {
  const Operation& op = operation(inv.op);
  const auto& settings = pool.settings();
  mcp::Error last{kTimeout, inv.op + ": deadline passed before it could run"};
  for (int attempt = 1;; ++attempt) {
    if (ctx.stop.stop_requested()) return mcp::Error{kCancelled, inv.op + ": cancelled"};
    if (Clock::now() >= ctx.deadline) return last;
    auto route = pool.resolve(op, ctx);
    bool sent = false;
    if (route) {
      sent = true;
      Json args = inv.args(route->tool);
      add_remote_identity(args, *route);
      const auto& server = route->server->config();
      const auto per_call =
          std::chrono::seconds(server.timeout_seconds.value_or(settings.call_timeout_seconds));
      mcp::CallOptions options;
      options.timeout = std::min<milliseconds>(
          per_call, std::chrono::duration_cast<milliseconds>(ctx.deadline - Clock::now()));
      options.stop = ctx.stop;
      CallRecord record{server.name,
                        route->tool.name,
                        args,
                        "",
                        "",
                        std::chrono::system_clock::now(),
                        milliseconds(0),
                        0,
                        attempt};
      const auto began = Clock::now();
      auto raw = route->live->client->call_tool(route->tool.name, args, options);
      record.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - began);
      mcp::Result<Decoded> decoded = mcp::Error{};
      if (raw) {
        record.response_bytes = raw->dump().size();
        decoded = inv.decode(*raw, route->tool);
      } else {
        decoded = call_error(raw.error(), *route, ctx);
        if (decoded.error().code == kUnavailable)
          route->server->report_lost(route->live, raw.error().message);
      }
      if (decoded) {
        record.outcome = decoded->empty ? "empty" : "ok";
        if (inv.summarize) record.detail = inv.summarize(*decoded);
        if (ctx.log) ctx.log->add(std::move(record));
        route->server->report_ok();
        return Invoked{std::move(*decoded), server.name, route->tool.name};
      }
      record.outcome = error_kind(decoded.error().code);
      record.detail = decoded.error().message;
      if (ctx.log) ctx.log->add(std::move(record));
      last = decoded.error();
      spdlog::debug("downstream {} {} attempt {}: {}", server.name, route->tool.name, attempt,
                    last.message);
    } else {
      last = route.error();
    }
    const bool retryable = is_transient(last) && last.code != kCancelled;
    if (sent && !inv.idempotent) {
      // A change that may have happened is never repeated here; a definite refusal such as a
      // 429 is (it falls through to the retry below); any other failure is final.
      const int c = last.code;
      if (c == kTimeout || c == kUnavailable || c == kBadResponse) {
        last.data = {{"ambiguous", true}};
        return last;
      }
    }
    if (!retryable || attempt >= settings.retry.max_attempts) return last;
    const auto wake = Clock::now() + retry_backoff(settings.retry, attempt);
    if (wake >= ctx.deadline) return last;
    if (!sleep_until(wake, ctx.stop)) return mcp::Error{kCancelled, inv.op + ": cancelled"};
  }
}

}  // namespace downstream
