// nl_translate.hpp — search_security_events' natural language → UDM Search translation. The real
// server asks Gemini; lmhunt-sim recognises a small, fixed vocabulary (activities such as
// "psexec", "wmic", "service install", "network connections to port 445", "logons", plus host
// names, users and IPv4 addresses) and builds a UDM query from it, honestly refusing anything
// else. docs/lmhunt-sim.md lists the vocabulary.
#pragma once

#include <string>
#include <string_view>

#include "mcp/result.hpp"

namespace sim {

inline constexpr int kNotTranslatable = -41020;

// translate_to_udm returns a UDM Search query for text (valid for udm::parse), or an Error
// (kNotTranslatable) whose message says that nothing in the text was recognised.
mcp::Result<std::string> translate_to_udm(std::string_view text);

}  // namespace sim
