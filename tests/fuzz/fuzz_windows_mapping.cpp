// fuzz_windows_mapping: Windows event records (flat, nested, anything) → UDM events.
//
// The input is parsed as JSON (without exceptions); any value, object or not, goes through
// parse_windows_record, and every record it accepts through map_windows_event. A mapped event must
// be a JSON object with a metadata object, dump as valid UTF-8 (with replacement) and parse back,
// and short_hostname must be idempotent on its result.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/windows_mapping.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_windows_mapping invariant broken: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;

  std::string why;
  const auto record = sim::parse_windows_record(input, &why);
  if (!record) {
    if (why.empty()) fail("a record was refused without a reason", input.dump());
    return 0;
  }
  const std::string short_name = sim::short_hostname(record->computer);
  if (sim::short_hostname(short_name) != short_name)
    fail("short_hostname is not idempotent", record->computer);

  why.clear();
  const auto event = sim::map_windows_event(*record, &why);
  if (!event) {
    if (why.empty()) fail("an event was not mapped without a reason", input.dump());
    return 0;
  }
  if (!event->is_object() || !event->contains("metadata") || !(*event)["metadata"].is_object()) {
    fail("a mapped event has no metadata object", event->dump());
  }
  const std::string text = event->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (nlohmann::json::parse(text, nullptr, false).is_discarded()) {
    fail("a mapped event does not dump as JSON", text);
  }
  return 0;
}
