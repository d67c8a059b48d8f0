// threat_intel.cpp — ThreatIntel over gti-mcp's get_{ip_address,domain,file,url}_report.
#include "tools/downstream/facade_impls.hpp"
#include "tools/downstream/retry.hpp"

namespace downstream {
namespace {

class RealThreatIntel final : public ThreatIntel {
 public:
  explicit RealThreatIntel(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

  mcp::Result<Json> report(IocKind kind, const std::string& value,
                           const CallContext& ctx) override {
    Invocation inv;
    const char* argument = "ip_address";
    switch (kind) {
      case IocKind::kIp:
        inv.op = "ip_report";
        break;
      case IocKind::kDomain:
        inv.op = "domain_report";
        argument = "domain";
        break;
      case IocKind::kFile:
        inv.op = "file_report";
        argument = "hash";
        break;
      case IocKind::kUrl:
        inv.op = "url_report";
        argument = "url";
        break;
    }
    inv.args = [&](const mcp::Tool&) { return Json{{argument, value}}; };
    inv.decode = [](const Json& raw, const mcp::Tool& tool) -> mcp::Result<Decoded> {
      auto d = decode_tool_result(raw, Shape::kSingle);
      if (!d) return d.error();
      if (d->empty) return mcp::Error{kBadResponse, tool.name + " returned nothing"};
      if (auto bad = in_band_error(d->value, tool.name); !bad) return bad.error();
      if (!d->value.is_object())
        return mcp::Error{kBadResponse, tool.name + " did not return a report object"};
      return d;
    };
    inv.summarize = [](const Decoded& d) {
      const Json stats =
          d.value.value("attributes", Json::object()).value("last_analysis_stats", Json::object());
      return stats.empty() ? std::string("report")
                           : std::to_string(stats.value("malicious", 0)) + " malicious";
    };
    auto done = invoke(*pool_, inv, ctx);
    if (!done) return done.error();
    return done->decoded.value;
  }

 private:
  std::shared_ptr<Pool> pool_;
};

}  // namespace

std::shared_ptr<ThreatIntel> make_threat_intel(std::shared_ptr<Pool> pool) {
  return std::make_shared<RealThreatIntel>(std::move(pool));
}

}  // namespace downstream
