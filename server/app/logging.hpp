#pragma once
// Process-wide logging: spdlog to stderr only, so stdout stays free for
// JSON-RPC frames.

#include <string>

namespace app {

// kLogLevelError is the usage error for a --log-level that is not a level.
inline constexpr const char* kLogLevelError =
    "--log-level needs one of trace, debug, info, warn, error, critical, off";

// known_log_level says whether `level` names a spdlog level ("trace" … "off",
// and spdlog's aliases "warning" and "err"), so that command lines can refuse
// a typo instead of logging at a level nobody asked for.
bool known_log_level(const std::string& level);

// init_logging points spdlog's default logger at stderr with `level`, which
// the command line has checked with known_log_level (anything else: info).
void init_logging(const std::string& level);

// reserve_stdout_for_frames duplicates stdout to a private descriptor for the
// stdio transport and points descriptor 1 at stderr, so that a stray print
// from any library can never corrupt the JSON-RPC stream. Returns the private
// descriptor, or -1 on failure (then descriptor 1 is left unchanged).
int reserve_stdout_for_frames();

}  // namespace app
