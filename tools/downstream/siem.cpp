// siem.cpp — Siem over search_udm / udm_search / search_security_events, lookup_entity /
// summarize_entity, get_threat_intel, get_ioc_matches / get_ioc_match.
#include <ctime>

#include "tools/downstream/facade_impls.hpp"
#include "tools/downstream/retry.hpp"
#include "udm/timestamp.hpp"

namespace downstream {
namespace {

std::string rfc3339(std::chrono::system_clock::time_point t) {
  return udm::format_rfc3339(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(), false);
}

bool declares(const mcp::Tool& tool, const char* name) {
  const Json& s = tool.input_schema;
  return s.is_object() && s.contains("properties") && s["properties"].is_object() &&
         s["properties"].contains(name);
}

bool declares_any(const mcp::Tool& tool) {
  const Json& s = tool.input_schema;
  return s.is_object() && s.contains("properties") && s["properties"].is_object() &&
         !s["properties"].empty();
}

// text_answer decodes the text-returning SIEM tools (lookup_entity, get_threat_intel, …).
mcp::Result<Decoded> text_answer(const Json& raw, const mcp::Tool& tool) {
  auto d = decode_tool_result(raw, Shape::kSingle);
  if (!d) return d.error();
  if (d->empty) return mcp::Error{kBadResponse, tool.name + " returned nothing"};
  if (auto bad = in_band_error(d->value, tool.name); !bad) return bad.error();
  if (d->value.is_string()) {
    if (auto bad = text_error(d->value.get<std::string>(), tool.name); !bad) return bad.error();
  }
  return d;
}

std::string text_of(const Decoded& d) {
  return d.value.is_string() ? d.value.get<std::string>() : d.value.dump(2);
}

class RealSiem final : public Siem {
 public:
  explicit RealSiem(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

  mcp::Result<SearchResult> search(const SearchRequest& request,
                                   const std::string& natural_language,
                                   const CallContext& ctx) override {
    Invocation inv;
    inv.op = "search";
    inv.args = [&](const mcp::Tool& tool) {
      Json args{{arg_name(tool, {"query", "udm_query"}), request.query},
                {arg_name(tool, {"max_events", "limit", "page_size", "max_results"}),
                 request.max_events}};
      put_time_range(args, tool, request.hours_back, request.start_time, request.end_time);
      return args;
    };
    inv.decode = [](const Json& raw, const mcp::Tool& tool) -> mcp::Result<Decoded> {
      auto d = decode_tool_result(raw, Shape::kSingle);
      if (!d) return d.error();
      if (d->empty) return mcp::Error{kBadResponse, tool.name + " returned nothing"};
      if (auto bad = in_band_error(d->value, tool.name); !bad) return bad.error();
      auto events = parse_events(d->value, tool.name);
      if (!events) return events.error();
      d->empty = events->events.empty();
      return d;
    };
    inv.summarize = summarize_events;
    auto done = invoke(*pool_, inv, ctx);
    if (!done && done.error().code == kNotConfigured && !natural_language.empty())
      return search_natural_language(request, natural_language, ctx);
    if (!done) return done.error();
    auto result = parse_events(done->decoded.value, done->tool);
    if (!result) return result.error();
    result->udm_query = request.query;
    return result;
  }

  mcp::Result<std::string> lookup_entity(const std::string& value, int hours_back,
                                         const CallContext& ctx) override {
    Invocation inv;
    inv.op = "lookup_entity";
    inv.args = [&](const mcp::Tool& tool) {
      Json args{{arg_name(tool, {"entity_value", "value", "entity", "query"}), value}};
      put_time_range(args, tool, hours_back, std::nullopt, std::nullopt);
      return args;
    };
    inv.decode = text_answer;
    return text_result(invoke(*pool_, inv, ctx));
  }

  mcp::Result<std::string> get_threat_intel(const std::string& question,
                                            const CallContext& ctx) override {
    Invocation inv;
    inv.op = "get_threat_intel";
    inv.args = [&](const mcp::Tool& tool) {
      return Json{{arg_name(tool, {"query", "question", "text"}), question}};
    };
    inv.decode = text_answer;
    return text_result(invoke(*pool_, inv, ctx));
  }

  mcp::Result<std::string> get_ioc_matches(int hours_back, int max_matches,
                                           const CallContext& ctx) override {
    Invocation inv;
    inv.op = "ioc_matches";
    inv.args = [&](const mcp::Tool& tool) {
      Json args{{arg_name(tool, {"max_matches", "page_size", "limit"}), max_matches}};
      put_time_range(args, tool, hours_back, std::nullopt, std::nullopt);
      return args;
    };
    inv.decode = text_answer;
    return text_result(invoke(*pool_, inv, ctx));
  }

 private:
  static std::string summarize_events(const Decoded& d) {
    const Json& events = d.value.contains("events") && d.value["events"].is_object()
                             ? d.value["events"]["events"]
                             : d.value["events"];
    std::string s = std::to_string(events.is_array() ? events.size() : 0) + " events";
    if (d.value.value("more_data_available", false)) s += " (more available)";
    return s;
  }

  static mcp::Result<std::string> text_result(mcp::Result<Invoked> done) {
    if (!done) return done.error();
    return text_of(done->decoded);
  }

  mcp::Result<SearchResult> search_natural_language(const SearchRequest& request,
                                                    const std::string& text,
                                                    const CallContext& ctx) {
    Invocation inv;
    inv.op = "search_nl";
    inv.args = [&](const mcp::Tool& tool) {
      Json args{{"text", text}, {"max_events", request.max_events}};
      put_time_range(args, tool, request.hours_back, request.start_time, request.end_time);
      return args;
    };
    inv.decode = [](const Json& raw, const mcp::Tool& tool) -> mcp::Result<Decoded> {
      auto d = decode_tool_result(raw, Shape::kSingle);
      if (!d) return d.error();
      if (d->empty || !d->value.is_object())
        return mcp::Error{kBadResponse, tool.name + " returned no result object"};
      if (auto bad = in_band_error(d->value, tool.name); !bad) return bad.error();
      if (auto bad = in_band_error(d->value.value("events", Json()), tool.name); !bad)
        return bad.error();
      auto events = parse_events(d->value.value("events", Json()), tool.name);
      if (!events) return events.error();
      d->empty = events->events.empty();
      return d;
    };
    inv.summarize = summarize_events;
    auto done = invoke(*pool_, inv, ctx);
    if (!done) return done.error();
    auto result = parse_events(done->decoded.value["events"], done->tool);
    if (!result) return result.error();
    const Json& q = done->decoded.value["udm_query"];
    result->udm_query = q.is_string() ? q.get<std::string>() : "";
    return result;
  }

  std::shared_ptr<Pool> pool_;
};

}  // namespace

void put_time_range(Json& args, const mcp::Tool& tool, std::optional<int> hours_back,
                    const std::optional<std::string>& start,
                    const std::optional<std::string>& end) {
  const bool takes_hours = declares(tool, "hours_back") || !declares_any(tool);
  if (start || end) {
    if (start) args[arg_name(tool, {"start_time", "startTime"})] = *start;
    if (end) args[arg_name(tool, {"end_time", "endTime"})] = *end;
    return;
  }
  if (!hours_back) return;
  if (takes_hours) {
    args["hours_back"] = *hours_back;
    return;
  }
  const auto now = std::chrono::system_clock::now();
  args[arg_name(tool, {"start_time", "startTime"})] =
      rfc3339(now - std::chrono::hours(*hours_back));
  args[arg_name(tool, {"end_time", "endTime"})] = rfc3339(now);
}

std::shared_ptr<Siem> make_siem(std::shared_ptr<Pool> pool) {
  return std::make_shared<RealSiem>(std::move(pool));
}

}  // namespace downstream
