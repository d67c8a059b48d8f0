#include "app/lmhunt_server.hpp"

#include "app/version.hpp"
#include "tools/udm/validate_udm_query.hpp"

namespace app {

namespace {
constexpr const char* kInstructions =
    "lmhunt hunts for lateral movement by PsExec and WMI over Google SecOps. "
    "Its tools are safe to call from an agent; every result says what was checked and what was "
    "not.";
}  // namespace

mcp::Result<std::unique_ptr<mcp::Server>> make_lmhunt_server() {
  mcp::ServerOptions options;
  options.info = {"lmhunt", kVersion, "lmhunt — lateral movement hunt (PsExec/WMI)"};
  options.instructions = kInstructions;
  auto server = std::make_unique<mcp::Server>(std::move(options));
  if (auto added = tools::add_validate_udm_query(*server); !added) return added.error();
  return server;
}

}  // namespace app
