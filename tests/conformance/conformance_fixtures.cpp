// The fixtures of the official MCP conformance suite's server scenarios
// (@modelcontextprotocol/conformance 0.1.16): tools, resources, a resource
// template, prompts and a completer whose names, arguments and payloads the
// suite fixes. See conformance_fixtures.hpp.

#include "conformance_fixtures.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

namespace conformance {
namespace {

using mcp::Json;
using mcp::LogLevel;
using mcp::ToolContext;
using mcp::ToolResult;

// A 2x2 RGB PNG and an 8-sample 8 kHz 16-bit mono PCM WAV, made for these
// fixtures (valid files: `file` and Python's wave module read them).
constexpr const char* kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mOQ7yoAIgYIBQAdhgRlrIPJiwAAAABJRU5E"
    "rkJggg==";
constexpr const char* kWavBase64 =
    "UklGRjQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YRAAAAAAAOgD6AMAAAAAGPwY/AAA";

Json image_content() {
  return {{"type", "image"}, {"data", kPngBase64}, {"mimeType", "image/png"}};
}

Json embedded_text(const std::string& uri, const std::string& mime, const std::string& text) {
  return {{"type", "resource"}, {"resource", {{"uri", uri}, {"mimeType", mime}, {"text", text}}}};
}

Json user_message(Json content) {
  return {{"role", "user"}, {"content", std::move(content)}};
}

ToolResult content_result(Json content) {
  ToolResult r;
  r.content = std::move(content);
  return r;
}

// pause sleeps, ending early when the call is cancelled.
void pause(ToolContext& ctx, std::chrono::milliseconds duration) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, ctx.stop_token(), duration, [] { return false; });
}

Json object_schema(Json properties = Json::object(), Json required = Json::array()) {
  return {
      {"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

Json string_property(const std::string& description) {
  return {{"type", "string"}, {"description", description}};
}

// Registrar adds tools to a server and remembers the first failure.
struct Registrar {
  mcp::Server& server;
  mcp::Status status = mcp::Ok{};

  void operator()(std::string name, std::string description, Json input, mcp::ToolHandler handler) {
    mcp::Tool tool;
    tool.name = std::move(name);
    tool.description = std::move(description);
    tool.input_schema = std::move(input);
    auto added = server.add_tool(std::move(tool), std::move(handler));
    if (!added && status.ok()) status = added.error();
  }
};

// elicit_fixture sends elicitation/create with `schema` and reports the answer
// as "<prefix>: action=..., content={...}". The form mode is named only to
// clients that speak 2025-11-25, where it exists.
mcp::Result<ToolResult> elicit_fixture(ToolContext& ctx, const std::string& message, Json schema,
                                       const std::string& prefix) {
  Json params = {{"message", message}, {"requestedSchema", std::move(schema)}};
  if (ctx.session().protocol_version() >= "2025-11-25") params["mode"] = "form";
  auto answer = ctx.elicit(std::move(params));
  if (!answer) {
    return mcp::Error{answer.error().code, "Elicitation failed: " + answer.error().message};
  }
  const Json& a = answer.value();
  return ToolResult::text(prefix + ": action=" + a.value("action", std::string("?")) +
                          ", content=" + a.value("content", Json::object()).dump());
}

void add_content_tools(Registrar& add) {
  add("test_simple_text", "Returns one text block.", object_schema(),
      [](const Json&, ToolContext&) -> mcp::Result<ToolResult> {
        return ToolResult::text("This is a simple text response for testing.");
      });
  add("test_image_content", "Returns one image block (a 2x2 PNG).", object_schema(),
      [](const Json&, ToolContext&) -> mcp::Result<ToolResult> {
        return content_result(Json::array({image_content()}));
      });
  add("test_audio_content", "Returns one audio block (a short WAV).", object_schema(),
      [](const Json&, ToolContext&) -> mcp::Result<ToolResult> {
        return content_result(
            Json::array({{{"type", "audio"}, {"data", kWavBase64}, {"mimeType", "audio/wav"}}}));
      });
  add("test_embedded_resource", "Returns an embedded text resource.", object_schema(),
      [](const Json&, ToolContext&) -> mcp::Result<ToolResult> {
        return content_result(Json::array({embedded_text(
            "test://embedded-resource", "text/plain", "This is an embedded resource content.")}));
      });
  add("test_multiple_content_types", "Returns text, image and resource blocks together.",
      object_schema(), [](const Json&, ToolContext&) -> mcp::Result<ToolResult> {
        return content_result(
            Json::array({mcp::text_content("Multiple content types test:"), image_content(),
                         embedded_text("test://mixed-content-resource", "application/json",
                                       Json{{"test", "data"}, {"value", 123}}.dump())}));
      });
  add("test_error_handling", "Always fails with a tool error (isError).", object_schema(),
      [](const Json&, ToolContext&) -> mcp::Result<ToolResult> {
        return mcp::Error{0, "This tool intentionally returns an error for testing"};
      });
  add("json_schema_2020_12_tool", "Takes arguments described with JSON Schema 2020-12.",
      {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
       {"type", "object"},
       {"$defs",
        {{"address",
          {{"type", "object"},
           {"properties", {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
       {"properties", {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
       {"additionalProperties", false}},
      [](const Json& arguments, ToolContext&) -> mcp::Result<ToolResult> {
        return ToolResult::text("Received: " + arguments.dump());
      });
}

void add_interactive_tools(Registrar& add) {
  using namespace std::chrono_literals;
  add("test_tool_with_logging", "Sends three log messages while it runs.", object_schema(),
      [](const Json&, ToolContext& ctx) -> mcp::Result<ToolResult> {
        ctx.log(LogLevel::kInfo, "Tool execution started");
        pause(ctx, 50ms);
        ctx.log(LogLevel::kInfo, "Tool processing data");
        pause(ctx, 50ms);
        ctx.log(LogLevel::kInfo, "Tool execution completed");
        return ToolResult::text("Tool with logging executed successfully");
      });
  add("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100.", object_schema(),
      [](const Json&, ToolContext& ctx) -> mcp::Result<ToolResult> {
        for (int step : {0, 50, 100}) {
          if (step > 0) pause(ctx, 50ms);
          ctx.report_progress(step, 100, "Completed step " + std::to_string(step) + " of 100");
        }
        return ToolResult::text("Progress reported: 0, 50, 100 of 100");
      });
  add("test_reconnection", "Runs briefly, for SSE stream reconnection tests (SEP-1699).",
      object_schema(), [](const Json&, ToolContext& ctx) -> mcp::Result<ToolResult> {
        pause(ctx, 100ms);
        return ToolResult::text("Reconnection test completed successfully.");
      });
  add("test_sampling", "Asks the client's LLM to answer a prompt (sampling).",
      object_schema({{"prompt", string_property("The prompt to send to the LLM")}}, {"prompt"}),
      [](const Json& arguments, ToolContext& ctx) -> mcp::Result<ToolResult> {
        Json params = {{"messages", Json::array({user_message(mcp::text_content(
                                        arguments["prompt"].get<std::string>()))})},
                       {"maxTokens", 100}};
        auto answer = ctx.create_message(std::move(params));
        if (!answer) {
          return mcp::Error{answer.error().code, "Sampling failed: " + answer.error().message};
        }
        // content is one block, or an array of blocks since 2025-11-25.
        Json content = answer->value("content", Json::object());
        if (content.is_array()) content = content.empty() ? Json::object() : content.front();
        return ToolResult::text("LLM response: " +
                                content.value("text", std::string("No response")));
      });
  add("test_elicitation", "Asks the user for a username and an email (elicitation).",
      object_schema({{"message", string_property("The message to show the user")}}, {"message"}),
      [](const Json& arguments, ToolContext& ctx) {
        Json schema = object_schema({{"username", string_property("User's response")},
                                     {"email", string_property("User's email address")}},
                                    {"username", "email"});
        return elicit_fixture(ctx, arguments["message"].get<std::string>(), std::move(schema),
                              "User response");
      });
  add("test_elicitation_sep1034_defaults",
      "Asks for a form whose fields all carry defaults (SEP-1034).", object_schema(),
      [](const Json&, ToolContext& ctx) {
        Json schema = object_schema(
            {{"name", {{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
             {"age", {{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
             {"score", {{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
             {"status",
              {{"type", "string"},
               {"description", "User status"},
               {"enum", {"active", "inactive", "pending"}},
               {"default", "active"}}},
             {"verified",
              {{"type", "boolean"}, {"description", "Verification status"}, {"default", true}}}});
        return elicit_fixture(ctx, "Please review and update the form fields with defaults",
                              std::move(schema), "Elicitation completed");
      });
  add("test_elicitation_sep1330_enums", "Asks for a form with every enum variant of SEP-1330.",
      object_schema(), [](const Json&, ToolContext& ctx) {
        auto titled = [](const std::string& prefix, const std::string& noun) {
          Json options = Json::array();
          const char* ordinals[] = {"First", "Second", "Third"};
          for (int i = 0; i < 3; ++i) {
            options.push_back({{"const", prefix + std::to_string(i + 1)},
                               {"title", std::string(ordinals[i]) + " " + noun}});
          }
          return options;
        };
        const Json plain = {"option1", "option2", "option3"};
        Json schema =
            object_schema({{"untitledSingle",
                            {{"type", "string"}, {"title", "Untitled single"}, {"enum", plain}}},
                           {"titledSingle",
                            {{"type", "string"},
                             {"title", "Titled single"},
                             {"oneOf", titled("value", "Option")}}},
                           {"legacyEnum",
                            {{"type", "string"},
                             {"title", "Legacy titled"},
                             {"enum", {"opt1", "opt2", "opt3"}},
                             {"enumNames", {"Option One", "Option Two", "Option Three"}}}},
                           {"untitledMulti",
                            {{"type", "array"},
                             {"title", "Untitled multi"},
                             {"items", {{"type", "string"}, {"enum", plain}}}}},
                           {"titledMulti",
                            {{"type", "array"},
                             {"title", "Titled multi"},
                             {"items", {{"anyOf", titled("value", "Choice")}}}}}});
        return elicit_fixture(ctx, "Please choose from each kind of list", std::move(schema),
                              "Elicitation completed");
      });
}

mcp::Resource resource(std::string uri, std::string name, std::string description,
                       std::string mime) {
  mcp::Resource r;
  r.uri = std::move(uri);
  r.name = std::move(name);
  r.description = std::move(description);
  r.mime_type = std::move(mime);
  return r;
}

void add_resources(mcp::Server& server) {
  auto text_reader = [](std::string mime, std::string text) {
    return [mime, text](const std::string& uri) -> mcp::Result<Json> {
      return Json::array({{{"uri", uri}, {"mimeType", mime}, {"text", text}}});
    };
  };
  server.add_resource(
      resource("test://static-text", "static-text", "A fixed text resource.", "text/plain"),
      text_reader("text/plain", "This is the content of the static text resource."));
  server.add_resource(
      resource("test://static-binary", "static-binary", "A fixed binary resource (a PNG).",
               "image/png"),
      [](const std::string& uri) -> mcp::Result<Json> {
        return Json::array({{{"uri", uri}, {"mimeType", "image/png"}, {"blob", kPngBase64}}});
      });
  server.add_resource(resource("test://watched-resource", "watched-resource",
                               "A resource clients may subscribe to.", "text/plain"),
                      text_reader("text/plain", "Watched resource content"));

  mcp::ResourceTemplate data;
  data.uri_template = "test://template/{id}/data";
  data.name = "template-data";
  data.description = "Data for an id, substituted into the URI.";
  data.mime_type = "application/json";
  server.add_resource_template(
      data,
      [](const std::string& uri,
         const std::map<std::string, std::string>& vars) -> mcp::Result<Json> {
        const std::string& id = vars.at("id");
        Json body = {{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
        return Json::array(
            {{{"uri", uri}, {"mimeType", "application/json"}, {"text", body.dump()}}});
      });
}

mcp::Prompt prompt(std::string name, std::string description,
                   std::vector<mcp::PromptArgument> arguments = {}) {
  mcp::Prompt p;
  p.name = std::move(name);
  p.description = std::move(description);
  p.arguments = std::move(arguments);
  return p;
}

void add_prompts(mcp::Server& server) {
  using Args = std::map<std::string, std::string>;
  auto messages = [](Json list) -> mcp::Result<Json> {
    return Json{{"messages", std::move(list)}};
  };
  server.add_prompt(
      prompt("test_simple_prompt", "A prompt without arguments."), [messages](const Args&) {
        return messages({user_message(mcp::text_content("This is a simple prompt for testing."))});
      });
  server.add_prompt(
      prompt("test_prompt_with_arguments", "A prompt that quotes its two arguments.",
             {{"arg1", "First test argument", true}, {"arg2", "Second test argument", true}}),
      [messages](const Args& a) {
        return messages({user_message(mcp::text_content(
            "Prompt with arguments: arg1='" + a.at("arg1") + "', arg2='" + a.at("arg2") + "'"))});
      });
  server.add_prompt(
      prompt("test_prompt_with_embedded_resource", "A prompt that embeds a resource.",
             {{"resourceUri", "URI of the resource to embed", true}}),
      [messages](const Args& a) {
        return messages(
            {user_message(embedded_text(a.at("resourceUri"), "text/plain",
                                        "Embedded resource content for testing.")),
             user_message(mcp::text_content("Please process the embedded resource above."))});
      });
  server.add_prompt(
      prompt("test_prompt_with_image", "A prompt that carries an image."), [messages](const Args&) {
        return messages({user_message(image_content()),
                         user_message(mcp::text_content("Please analyze the image above."))});
      });
  // Completion offers values for test_prompt_with_arguments, by prefix.
  server.set_completer([](const Json& ref, const std::string& argument, const std::string& value) {
    std::vector<std::string> out;
    if (ref.value("type", "") != "ref/prompt" ||
        ref.value("name", "") != "test_prompt_with_arguments") {
      return out;
    }
    std::vector<std::string> candidates;
    if (argument == "arg1") candidates = {"hello", "help", "paris", "park", "party"};
    if (argument == "arg2") candidates = {"world", "word", "work"};
    for (const auto& c : candidates) {
      if (c.compare(0, value.size(), value) == 0) out.push_back(c);
    }
    return out;
  });
}

}  // namespace

mcp::Status add_fixtures(mcp::Server& server) {
  Registrar add{server};
  add_content_tools(add);
  add_interactive_tools(add);
  if (!add.status) return add.status;
  add_resources(server);
  add_prompts(server);
  return mcp::Ok{};
}

}  // namespace conformance
