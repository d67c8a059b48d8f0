#pragma once
// spool_command: `lmhunt spool list` and `lmhunt spool flush` — show and deliver the SOAR
// comments hunts could not post (tools/hunt/spool.hpp, spool_flush.hpp; docs/operations.md).
// Exit 0 when every comment was delivered (list: every file is readable), 1 when any was not
// (each is named with its reason), 2 on usage errors.

#include <string>
#include <vector>

namespace app {

int run_spool_command(const std::vector<std::string>& args);

extern const char* const kSpoolUsage;

}  // namespace app
