#pragma once
// Process-wide logging: spdlog to stderr only, so stdout stays free for
// JSON-RPC frames.

#include <string>

namespace app {

// init_logging points spdlog's default logger at stderr with `level`
// ("trace" … "off"); an unknown level falls back to info.
void init_logging(const std::string& level);

// reserve_stdout_for_frames duplicates stdout to a private descriptor for the
// stdio transport and points descriptor 1 at stderr, so that a stray print
// from any library can never corrupt the JSON-RPC stream. Returns the private
// descriptor, or -1 on failure (then descriptor 1 is left unchanged).
int reserve_stdout_for_frames();

}  // namespace app
