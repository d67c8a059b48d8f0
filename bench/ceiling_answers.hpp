#pragma once
// bench/ceiling_answers.hpp: three ways lmhunt_bench_ceiling answers the load
// generator's messages (initialize and tools/call of `echo`) without an MCP
// server. Each returns the JSON-RPC answer, or empty for a notification or a
// message it does not read.
#include <string>
#include <string_view>

namespace bench {

// scan_answer searches the request's bytes instead of parsing them, for the
// load generator's messages only: the first "id": member and the first "text"
// string (which has no escapes in those messages).
std::string scan_answer(std::string_view text);

// ondemand_answer reads the request once, member by member, with simdjson's
// on-demand parser (jsonrpc, id, method, params.name and params.arguments.text,
// unescaped, then escaped back), building no tree: the cost of reading a
// request for real without one. Not thread-safe (one parser, reused).
std::string ondemand_answer(std::string_view text);

// parse_answer answers after a nlohmann::json parse of the whole request.
std::string parse_answer(std::string_view text);

}  // namespace bench
