#pragma once
// add_fixtures registers on `server` everything the official MCP conformance
// suite (@modelcontextprotocol/conformance 0.1.16, `conformance server`)
// calls by name: the tools test_simple_text, test_image_content,
// test_audio_content, test_embedded_resource, test_multiple_content_types,
// test_tool_with_logging, test_tool_with_progress, test_error_handling,
// test_sampling, test_elicitation, test_elicitation_sep1034_defaults,
// test_elicitation_sep1330_enums, json_schema_2020_12_tool and
// test_reconnection; the resources test://static-text, test://static-binary
// and test://watched-resource; the template test://template/{id}/data; the
// prompts test_simple_prompt, test_prompt_with_arguments,
// test_prompt_with_embedded_resource and test_prompt_with_image; and a
// completer for test_prompt_with_arguments. Error when a tool is refused.

#include "mcp/server.hpp"

namespace conformance {

mcp::Status add_fixtures(mcp::Server& server);

}  // namespace conformance
