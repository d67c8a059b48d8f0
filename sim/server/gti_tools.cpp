// gti_tools.cpp — gti-mcp's report tools over the local IOC store (downstream-servers.md §5).
#include <string>

#include "sim/server/fastmcp.hpp"
#include "sim/server/sim_tools.hpp"

namespace sim {

namespace {

using fastmcp::Json;

struct ReportTool {
  const char* name;
  const char* argument;
  IocType type;
  const char* resource;  // the word gti-mcp uses in "The requested <resource> ..."
  const char* noun;      // VirusTotal's not-found message subject
  const char* description;
};

constexpr ReportTool kReportTools[] = {
    {"get_ip_address_report", "ip_address", IocType::kIp, "ip", "IP address",
     "Get a comprehensive IP Address analysis report from Google Threat Intelligence.\n\n"
     "Args:\n  ip_address (required): IP Address to analyze. It can be IPv4 or IPv6.\n"
     "Returns:\n  Report with insights about the IP address."},
    {"get_domain_report", "domain", IocType::kDomain, "domain", "Domain",
     "Get a comprehensive domain analysis report from Google Threat Intelligence.\n\n"
     "Args:\n  domain (required): Domain to analyse.\nReturns:\n  Report with insights about the "
     "domain."},
    {"get_file_report", "hash", IocType::kFile, "file", "File",
     "Get a comprehensive file analysis report using its hash (MD5/SHA-1/SHA-256).\n\n"
     "Args:\n  hash (required): The MD5, SHA-1, or SHA-256 hash of the file to analyze.\n"
     "Returns:\n  Report with insights about the file."},
    {"get_url_report", "url", IocType::kUrl, "url", "URL",
     "Get a comprehensive URL analysis report from Google Threat Intelligence.\n\n"
     "Args:\n  url (required): The URL to analyse.\nReturns:\n  Report with insights about the "
     "URL."},
};

// clean_report mirrors gti-mcp's cleaning of vt-py objects: per-engine results and aggregations
// are dropped, empty strings removed, and the relationships the real tool fetches are present.
Json clean_report(const Json& report, IocType type) {
  Json out = report;
  if (out.contains("attributes") && out["attributes"].is_object()) {
    Json& a = out["attributes"];
    a.erase("last_analysis_results");
    a.erase("aggregations");
    for (auto it = a.begin(); it != a.end();) {
      it = it->is_string() && it->get<std::string>().empty() ? a.erase(it) : std::next(it);
    }
  }
  if (!out.contains("relationships") || !out["relationships"].is_object()) {
    out["relationships"] = Json::object();
  }
  Json& rel = out["relationships"];
  if (type == IocType::kFile) {
    for (const char* r : {"contacted_domains", "contacted_ips", "contacted_urls", "dropped_files",
                          "embedded_domains", "embedded_ips"}) {
      if (!rel.contains(r)) rel[r] = Json::array();
    }
  } else if (type != IocType::kUrl && !rel.contains("associations")) {
    rel["associations"] = Json::array();
  }
  return out;
}

}  // namespace

mcp::Status add_gti_tools(mcp::Server& server, const SimContext& ctx, Faults& faults) {
  for (const auto& t : kReportTools) {
    const std::string name = t.name;
    auto tool = fastmcp::make_tool(
        name, t.description,
        fastmcp::input_schema(name, {{t.argument, fastmcp::Kind::kString, true}}),
        fastmcp::dict_output_schema());
    auto handler = [&ctx, t](const Json& args, mcp::ToolContext&) -> mcp::Result<mcp::ToolResult> {
      const std::string value = fastmcp::string_or(args, t.argument, "");
      const Json* report = ctx.iocs ? ctx.iocs->find(t.type, value) : nullptr;
      if (report == nullptr) {
        return fastmcp::dict_result(
            {{"error", std::string("VirusTotal API Error: NotFoundError - ") + t.noun + " \"" +
                           value + "\" not found"},
             {"details", std::string("The requested ") + t.resource + " '" + value +
                             "' could not be found or there was an issue with the API request."}});
      }
      return fastmcp::dict_result(clean_report(*report, t.type));
    };
    if (auto added = server.add_tool(std::move(tool), faults.wrap(name, false, handler)); !added) {
      return added;
    }
  }
  return mcp::Ok{};
}

}  // namespace sim
