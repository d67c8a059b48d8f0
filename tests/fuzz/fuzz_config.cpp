// fuzz_config: the downstream configuration loader (mcpServers + the lmhunt section).
//
// The input is parsed as JSON (without exceptions) and given to parse_config with a fixed
// ${env:VAR} lookup, so the result depends on the input alone. A refusal must be a kConfigError
// naming the source; an accepted config must hold what the loader promises (named servers of a
// known type, positive limits).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tools/downstream/config.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_config invariant broken: %s: %s\n", what, detail.c_str());
  std::abort();
}

std::optional<std::string> fixed_env(const std::string& name) {
  if (name == "CHRONICLE_PROJECT_ID") return "project-1";
  if (name == "CHRONICLE_CUSTOMER_ID") return "customer-1";
  if (name == "EMPTY") return "";
  if (name == "REF") return "${env:REF}";  // an expansion must not be expanded again
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;

  const auto parsed = downstream::parse_config(input, "fuzz.json", fixed_env);
  if (!parsed) {
    if (parsed.error().code != downstream::kConfigError) {
      fail("a refusal with another code", parsed.error().message);
    }
    if (parsed.error().message.rfind("fuzz.json: ", 0) != 0) {
      fail("a refusal that does not name its source", parsed.error().message);
    }
    return 0;
  }
  const downstream::Config& config = parsed.value();
  for (const auto& server : config.servers) {
    if (server.name.empty()) fail("a server without a name", input.dump());
    if (server.type != "stdio" && server.type != "sse" && server.type != "streamableHttp") {
      fail("a server of an unknown type", server.type);
    }
    (void)downstream::secops_refusal(server, true);
    (void)downstream::secops_refusal(server, false);
  }
  const auto& s = config.settings;
  if (s.concurrency <= 0 || s.retry.max_attempts <= 0) fail("a non-positive limit", input.dump());
  return 0;
}
