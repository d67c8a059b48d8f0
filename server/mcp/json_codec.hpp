#pragma once
// json_codec: the JSON text of every message, in and out, faster than
// nlohmann::json's own parser and serializer and with exactly their results.
//
// nlohmann's lexer copies every character it reads into a token buffer, and
// its serializer decodes every byte of every string as UTF-8 to escape it: on
// a small tools/call that is about a third of the core's instructions. Here
// simdjson (Debian's libsimdjson-dev) reads the text and its DOM is copied
// into the same `Json` tree nlohmann would have built; strings are written by
// copying runs that need no escape. Whatever this fast path does not handle
// the same way as nlohmann (see json_codec.cpp) is handed to nlohmann itself,
// so the results are identical by construction where it matters and checked
// by the fuzz_json_codec target everywhere else.

#include <string>
#include <string_view>

#include "mcp/types.hpp"

namespace mcp::json_codec {

// parse is Json::parse(text, nullptr, /*allow_exceptions=*/false): the value,
// or a discarded value when `text` is not one JSON value.
Json parse(std::string_view text);

// dump is value.dump(-1, ' ', false, Json::error_handler_t::replace): compact,
// UTF-8 kept as it is, invalid UTF-8 replaced by U+FFFD.
std::string dump(const Json& value);

}  // namespace mcp::json_codec
