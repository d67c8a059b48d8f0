// soar.cpp — Soar over secops-soar (list_cases, get_case_full_details, post_case_comment,
// change_case_priority) or the remote server (list_cases, get_case + list_case_alerts,
// create_case_comment, update_case, create_case). Changes are never retried blindly: after an
// ambiguous failure the case is read back first (soar.hpp contract in facades.hpp).
#include <spdlog/spdlog.h>

#include <set>

#include "tools/downstream/facade_impls.hpp"
#include "tools/downstream/retry.hpp"

namespace downstream {
namespace {

constexpr std::size_t kMaxCasePages = 200;

// soar_answer decodes a SOAR tool result: empty content is secops-soar's silent failure.
mcp::Result<Decoded> soar_answer(const Json& raw, const mcp::Tool& tool) {
  auto d = decode_tool_result(raw, Shape::kSingle);
  if (!d) return d.error();
  if (d->empty)
    return mcp::Error{kBadResponse, std::string(kSoarSilentFailure) + " (" + tool.name + ")"};
  if (auto bad = in_band_error(d->value, tool.name); !bad) return bad.error();
  if (d->value.is_object() && d->value.value("Status", "") == "Failed")
    return mcp::Error{kToolError, tool.name + ": " + d->value.value("Message", "failed")};
  return d;
}

Json case_id_args(const mcp::Tool& tool, const std::string& case_id) {
  return Json{{arg_name(tool, {"case_id", "caseId", "id", "name"}), case_id}};
}

bool ambiguous(const mcp::Error& e) {
  return e.data.is_object() && e.data.value("ambiguous", false);
}

class RealSoar final : public Soar {
 public:
  explicit RealSoar(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

  mcp::Result<std::vector<CaseSummary>> list_cases(const CallContext& ctx) override {
    std::vector<CaseSummary> all;
    std::set<std::string> seen;
    std::string token;
    for (std::size_t page = 0; page < kMaxCasePages; ++page) {
      Invocation inv;
      inv.op = "list_cases";
      inv.args = [&](const mcp::Tool& tool) {
        Json args = Json::object();
        if (!token.empty())
          args[arg_name(tool, {"next_page_token", "page_token", "pageToken"})] = token;
        return args;
      };
      inv.decode = [](const Json& raw, const mcp::Tool& tool) -> mcp::Result<Decoded> {
        auto d = soar_answer(raw, tool);
        if (!d) return d;
        std::string next;
        auto cases = parse_case_page(d->value, next);
        if (!cases) return cases.error();
        d->empty = cases->empty();
        return d;
      };
      inv.summarize = [](const Decoded& d) {
        std::string next;
        auto cases = parse_case_page(d.value, next);
        return std::to_string(cases ? cases->size() : 0) + " cases" +
               (next.empty() ? "" : " (more pages)");
      };
      auto done = invoke(*pool_, inv, ctx);
      if (!done) return done.error();
      std::string next;
      auto cases = parse_case_page(done->decoded.value, next);
      if (!cases) return cases.error();
      all.insert(all.end(), cases->begin(), cases->end());
      if (next.empty()) return all;
      if (!seen.insert(next).second)
        return mcp::Error{kBadResponse, "list_cases repeated page token '" + next + "'"};
      token = next;
    }
    return mcp::Error{kBadResponse, "list_cases has more than " + std::to_string(kMaxCasePages) +
                                        " pages; stopped"};
  }

  mcp::Result<CaseDetails> get_case(const std::string& case_id, const CallContext& ctx) override {
    Invocation inv;
    inv.op = "get_case";
    inv.args = [&](const mcp::Tool& tool) { return case_id_args(tool, case_id); };
    inv.decode = [](const Json& raw, const mcp::Tool& tool) -> mcp::Result<Decoded> {
      auto d = soar_answer(raw, tool);
      if (!d) return d;
      if (auto details = parse_case_details(d->value); !details) return details.error();
      return d;
    };
    auto done = invoke(*pool_, inv, ctx);
    if (!done) return done.error();
    auto details = parse_case_details(done->decoded.value);
    if (!details) return details.error();
    if (details->summary.id.empty()) details->summary.id = case_id;
    if (done->tool == "get_case") add_remote_parts(*details, case_id, ctx);
    return details;
  }

  mcp::Status post_comment(const std::string& case_id, const std::string& comment,
                           const std::string& marker, const CallContext& ctx) override {
    Invocation inv;
    inv.op = "post_comment";
    inv.idempotent = false;
    inv.args = [&](const mcp::Tool& tool) {
      Json args = case_id_args(tool, case_id);
      args[arg_name(tool, {"comment", "comment_text", "body", "text"})] = comment;
      return args;
    };
    inv.decode = soar_answer;
    inv.summarize = [](const Decoded&) { return std::string("comment posted"); };
    return change_once(
        inv, ctx,
        [&](const CaseDetails& c) {
          for (const auto& posted : c.comments)
            if (posted.value("comment", "").find(marker) != std::string::npos) return true;
          return false;
        },
        !marker.empty(), case_id);
  }

  mcp::Status change_priority(const std::string& case_id, const std::string& priority,
                              const CallContext& ctx) override {
    auto is_set = [&](const CaseDetails& c) { return c.summary.priority == priority; };
    if (auto current = get_case(case_id, ctx); current && is_set(*current)) return mcp::Ok{};
    Invocation inv;
    inv.op = "change_priority";
    inv.idempotent = false;
    inv.args = [&](const mcp::Tool& tool) {
      Json args = case_id_args(tool, case_id);
      args[arg_name(tool, {"case_priority", "priority"})] = priority;
      return args;
    };
    inv.decode = soar_answer;
    inv.summarize = [&](const Decoded&) { return "priority set to " + priority; };
    return change_once(inv, ctx, is_set, true, case_id);
  }

  bool can_create_case() const override {
    if (pool_->settings().routes.count("create_case")) return true;
    CallContext ctx;
    ctx.deadline =
        Clock::now() + std::chrono::seconds(pool_->settings().cold_start_timeout_seconds);
    pool_->discover(ctx);
    for (const auto& server : pool_->servers()) {
      auto tools = server->known_tools();
      if (!server->disabled() && !server->refused() && tools && tools->count("create_case"))
        return true;
    }
    return false;
  }

  mcp::Result<std::string> create_case(const std::string& title, const std::string& description,
                                       const std::string& priority, const std::string& marker,
                                       const CallContext& ctx) override {
    const std::string body =
        description.find(marker) == std::string::npos ? description + "\n\n" + marker : description;
    Invocation inv;
    inv.op = "create_case";
    inv.idempotent = false;
    inv.args = [&](const mcp::Tool& tool) {
      return Json{{arg_name(tool, {"title", "display_name", "name"}), title},
                  {arg_name(tool, {"description"}), body},
                  {arg_name(tool, {"priority", "case_priority"}), priority}};
    };
    inv.decode = soar_answer;
    for (int attempt = 1; attempt <= 2; ++attempt) {
      auto done = invoke(*pool_, inv, ctx);
      if (done) {
        const Json& v = done->decoded.value;
        auto summary = parse_case_summary(v.is_object() && v.contains("case") ? v["case"] : v);
        if (summary.id.empty())
          return mcp::Error{kBadResponse, "create_case answered without a case id"};
        return summary.id;
      }
      if (!ambiguous(done.error()) || marker.empty()) return done.error();
      auto cases = list_cases(ctx);  // did it happen? look for the marker
      if (!cases)
        return mcp::Error{
            done.error().code,
            done.error().message +
                "; could not check whether the case was created: " + cases.error().message};
      for (const auto& c : *cases)
        if (c.description.find(marker) != std::string::npos ||
            c.name.find(marker) != std::string::npos)
          return c.id;
      if (attempt == 2) return done.error();
      spdlog::info(
          "downstream: create_case failed ambiguously and no case carries {}; retrying once",
          marker);
    }
    return mcp::Error{kBadResponse, "create_case: unreachable"};
  }

 private:
  // change_once runs a change; after an ambiguous failure it reads the case back and counts the
  // change as done when `applied` says so, else tries exactly once more.
  template <class Applied>
  mcp::Status change_once(const Invocation& inv, const CallContext& ctx, Applied applied,
                          bool can_verify, const std::string& case_id) {
    for (int attempt = 1; attempt <= 2; ++attempt) {
      auto done = invoke(*pool_, inv, ctx);
      if (done) return mcp::Ok{};
      if (!ambiguous(done.error()) || !can_verify) return done.error();
      auto back = get_case(case_id, ctx);
      if (!back)
        return mcp::Error{done.error().code, done.error().message + "; could not read case " +
                                                 case_id +
                                                 " back to check: " + back.error().message};
      if (applied(*back)) {
        spdlog::info("downstream: {} on case {} failed ambiguously but had taken effect", inv.op,
                     case_id);
        return mcp::Ok{};
      }
      if (attempt == 2) return done.error();
      spdlog::info("downstream: {} on case {} had not taken effect; retrying once", inv.op,
                   case_id);
    }
    return mcp::Ok{};
  }

  // add_remote_parts fills alerts and comments from the remote server's separate tools.
  void add_remote_parts(CaseDetails& details, const std::string& case_id, const CallContext& ctx) {
    for (const char* op : {"list_case_alerts", "list_case_comments"}) {
      const bool alerts = std::string(op) == "list_case_alerts";
      if (!(alerts ? details.alerts : details.comments).empty()) continue;
      Invocation inv;
      inv.op = op;
      inv.args = [&](const mcp::Tool& tool) { return case_id_args(tool, case_id); };
      inv.decode = soar_answer;
      auto done = invoke(*pool_, inv, ctx);
      if (!done) continue;  // recorded in ctx.log; the case itself was read
      Json items = done->decoded.value;
      if (items.is_object()) {
        for (const char* key : {"alerts", "caseAlerts", "comments", "caseComments"})
          if (items.contains(key) && items[key].is_array()) items = items[key];
      }
      if (!items.is_array()) continue;
      if (alerts) {
        details.alerts = items;
      } else {
        for (const auto& c : items) {
          Json normal = c.is_object() ? c : Json::object();
          normal["comment"] = comment_text(c);
          details.comments.push_back(normal);
        }
      }
    }
  }

  std::shared_ptr<Pool> pool_;
};

}  // namespace

std::shared_ptr<Soar> make_soar(std::shared_ptr<Pool> pool) {
  return std::make_shared<RealSoar>(std::move(pool));
}

}  // namespace downstream
