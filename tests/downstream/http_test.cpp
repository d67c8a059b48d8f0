#include "downstream/fake_downstream.hpp"
#include "support/http_loopback.hpp"

using namespace test;

namespace {

// add_gti_report registers a gti-mcp-shaped get_ip_address_report (Dict → structuredContent).
void add_gti_report(mcp::Server& server) {
  mcp::Tool tool;
  tool.name = "get_ip_address_report";
  (void)server.add_tool(
      tool, [](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
        Json report{{"type", "ip_address"},
                    {"id", args.value("ip_address", "")},
                    {"attributes", {{"last_analysis_stats", {{"malicious", 7}}}}}};
        auto r = mcp::ToolResult::text(report.dump(2));
        r.structured = {{"result", report}};
        return r;
      });
}

}  // namespace

TEST_CASE("HTTP servers are reached over Streamable HTTP and legacy SSE", "[downstream][http]") {
  lmhunt::test::LoopbackServer http({}, add_gti_report);
  const bool legacy = GENERATE(false, true);
  const std::string base = "http://127.0.0.1:" + std::to_string(http.port());
  Json entry = legacy ? Json{{"url", base + "/sse"}}  // a url without type is sse
                      : Json{{"type", "streamableHttp"}, {"url", base + "/mcp"}};
  entry["headers"] = {{"x-goog-user-project", "p"}};
  Harness h(Json{{"gti-http", entry}});
  auto report = h.ti->report(downstream::IocKind::kIp, "203.0.113.9", h.ctx());
  REQUIRE(report.ok());
  CHECK((*report)["id"] == "203.0.113.9");
  CHECK((*report)["attributes"]["last_analysis_stats"]["malicious"] == 7);
  CHECK(h.state("gti-http") == "ready");
}
