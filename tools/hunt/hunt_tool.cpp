// hunt_tool.cpp — register_hunt_tools (hunt_tool.hpp).
#include "tools/hunt/hunt_tool.hpp"

#include "tools/hunt/args.hpp"
#include "tools/hunt/catalog.hpp"
#include "tools/hunt/completion.hpp"
#include "tools/hunt/report.hpp"
#include "tools/schemas.hpp"

namespace hunt {
namespace {

constexpr const char* kHuntDescription =
    "Runs a complete threat hunt for lateral movement by PsExec and WMI (and related service, "
    "admin-share, Impacket and PowerShell-remoting techniques) over Google SecOps in one call: "
    "researches the ATT&CK techniques, runs a catalog of valid UDM searches in parallel over the "
    "time frame, correlates SMB/RPC connections and network logons to find the source hosts, "
    "scores what it found, enriches suspicious hosts, users and IOCs, finds related open SOAR "
    "cases, posts a summary comment to a case and raises its priority when movement is "
    "confirmed. Returns a one-screen report with the verdict, findings, every query and its "
    "result (including the ones that returned nothing or failed) and what was not done. Call it "
    "with no arguments for the last 72 hours across the whole environment. If the hunt takes "
    "longer than wait_seconds it returns status \"running\" with a hunt_id: call "
    "get_hunt_result with that hunt_id to get the final report.";

constexpr const char* kResultDescription =
    "Returns the report of a lateral_movement_hunt that was still running when its call "
    "returned (status \"running\" with a hunt_id), waiting up to wait_seconds for it to finish. "
    "Call it again while the status is still \"running\". cancel: true stops the hunt.";

// kTaskWaitSeconds: how long a hunt run as an MCP task is waited for — in effect, until it ends
// (hunts take minutes; a task's call is stopped by tasks/cancel or the session's end).
constexpr double kTaskWaitSeconds = 30.0 * 24 * 3600;

mcp::ToolResult to_tool_result(const HuntResult& result) {
  mcp::ToolResult out;
  std::string text = render_markdown(result);
  if (result.status == "running") {
    text += "\n\nThe hunt is still running. Call get_hunt_result with {\"hunt_id\": \"" +
            result.hunt_id + "\"} to wait for the final report.";
  }
  out.add_text(std::move(text));
  out.structured = to_structured(result);
  return out;
}

// progress_to forwards hunt progress to the call's client (a no-op without a progressToken).
ProgressFn progress_to(mcp::ToolContext& ctx) {
  return [&ctx](const std::string&, double fraction, const std::string& message) {
    ctx.report_progress(fraction * 100.0, 100.0, message);
  };
}

// schema_tool builds a tool whose output is the hunt result (one output schema for both tools,
// so they cannot drift) and whose input schema is the named schemas/ file.
mcp::Result<mcp::Tool> schema_tool(const char* name, const char* title, const char* description,
                                   const char* input_file) {
  mcp::Tool tool;
  tool.name = name;
  tool.title = title;
  tool.description = description;
  auto input = tools::load_schema(input_file);
  auto output = tools::load_schema("lateral_movement_hunt.output.json");
  if (!input) return input.error();
  if (!output) return output.error();
  tool.input_schema = std::move(input.value());
  tool.output_schema = std::move(output.value());
  return tool;
}

mcp::Result<mcp::Tool> hunt_tool_definition() {
  auto made = schema_tool("lateral_movement_hunt", "Lateral movement hunt (PsExec/WMI)",
                          kHuntDescription, "lateral_movement_hunt.input.json");
  if (!made) return made.error();
  mcp::Tool tool = std::move(made.value());
  // It posts comments and changes case priority (not read-only), never deletes anything, and a
  // repeat is a new hunt with a new comment (not idempotent).
  tool.annotations = {{"title", tool.title},
                      {"readOnlyHint", false},
                      {"destructiveHint", false},
                      {"idempotentHint", false},
                      {"openWorldHint", true}};
  // Task-aware clients may run the hunt as an MCP task (tasks/get, tasks/result); others call
  // it plainly and use wait_seconds / get_hunt_result.
  tool.execution = {{"taskSupport", "optional"}};
  return tool;
}

mcp::Result<mcp::Tool> result_tool_definition() {
  auto made = schema_tool("get_hunt_result", "Get a lateral movement hunt's result",
                          kResultDescription, "get_hunt_result.input.json");
  if (!made) return made.error();
  mcp::Tool tool = std::move(made.value());
  tool.annotations = {{"title", tool.title},
                      {"readOnlyHint", false},  // cancel: true stops a hunt
                      {"destructiveHint", false},
                      {"idempotentHint", true},
                      {"openWorldHint", false}};
  return tool;
}

std::string hunts_index(const std::vector<HuntResult>& hunts) {
  std::string text = "# lmhunt hunts (newest first)\n\n";
  if (hunts.empty()) text += "No hunts yet.\n";
  for (const auto& h : hunts) {
    text += "- lmhunt://hunts/" + h.hunt_id + " — " + h.status +
            (h.verdict.empty() ? "" : ", " + h.verdict) + ", started " + h.started_at + "\n";
  }
  return text;
}

// prompt_arguments turns the prompt's string arguments into the tool's
// arguments and checks them as the tool would, so a prompt never hands the
// model a call that is bound to fail: a bad value is the prompt's -32602.
mcp::Result<mcp::Json> prompt_arguments(const std::map<std::string, std::string>& arguments,
                                        const HuntSettings& settings) {
  auto value = [&](const char* key) {
    auto it = arguments.find(key);
    return it == arguments.end() ? std::string() : it->second;
  };
  mcp::Json args = mcp::Json::object();
  if (auto hours = value("time_frame_hours"); !hours.empty()) {
    if (hours.size() > 4 || hours.find_first_not_of("0123456789") != std::string::npos) {
      return mcp::Error{kInvalidArgument,
                        "time_frame_hours: must be a whole number of hours from 1 to " +
                            std::to_string(kMaxTimeFrameHours) +
                            (hours.size() <= 20 ? " (got \"" + hours + "\")" : "")};
    }
    args["time_frame_hours"] = std::stoi(hours);
  }
  if (auto scope = value("target_scope_query"); !scope.empty()) args["target_scope_query"] = scope;
  if (auto why = value("hunt_hypothesis"); !why.empty()) args["hunt_hypothesis"] = why;
  if (auto checked = parse_hunt_args(args, settings); !checked) return checked.error();
  return args;
}

std::string prompt_text(const mcp::Json& args) {
  std::string text =
      "Hunt for lateral movement by PsExec and WMI with the lateral_movement_hunt tool";
  text += args.empty() ? " (default: the last 72 hours, whole environment)."
                       : ", arguments " + args.dump() + ".";
  text +=
      " If it returns status \"running\", call get_hunt_result with its hunt_id until it is done. "
      "Then summarise the verdict, the findings (source → targets, technique, user, score "
      "reasons), the queries that found nothing or did not run, the case comment and whether a "
      "person must escalate.";
  return text;
}

}  // namespace

mcp::Status register_hunt_tools(mcp::Server& server, HuntJobs& jobs) {
  auto hunt = hunt_tool_definition();
  if (!hunt) return hunt.error();
  auto added = server.add_tool(
      std::move(hunt.value()),
      [&jobs](const mcp::Json& arguments, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
        auto args = parse_hunt_args(arguments, jobs.settings());
        if (!args) return args.error();
        // As a task nobody waits on the call: the hunt runs to completion (tasks/result returns
        // the final report) and stops when the task is cancelled, whatever wait_seconds says.
        if (!ctx.task_id().empty()) args.value().wait_seconds = kTaskWaitSeconds;
        auto result = jobs.start(args.value(), ctx.stop_token(), progress_to(ctx));
        if (!result) return result.error();
        return to_tool_result(result.value());
      });
  if (!added) return added;

  auto poll = result_tool_definition();
  if (!poll) return poll.error();
  added = server.add_tool(
      std::move(poll.value()),
      [&jobs](const mcp::Json& arguments, mcp::ToolContext& ctx) -> mcp::Result<mcp::ToolResult> {
        const std::string id = arguments.value("hunt_id", "");
        const double wait = arguments.value("wait_seconds", kDefaultWaitSeconds);
        if (arguments.value("cancel", false)) {
          if (auto cancelled = jobs.cancel(id); !cancelled) return cancelled.error();
        }
        auto result = jobs.result(id, wait, ctx.stop_token(), progress_to(ctx));
        if (!result) return result.error();
        return to_tool_result(result.value());
      });
  if (!added) return added;

  server.add_resource_template(
      {"lmhunt://hunts/{id}", "hunt", "A lateral movement hunt",
       "The report (Markdown) and structured result (JSON) of a recent hunt.", "text/markdown"},
      [&jobs](const std::string& uri,
              const std::map<std::string, std::string>& variables) -> mcp::Result<mcp::Json> {
        auto found = jobs.find(variables.at("id"));
        if (!found) return mcp::Error{-32002, "Resource not found", {{"uri", uri}}};
        return mcp::Json::array(
            {{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", render_markdown(*found)}},
             {{"uri", uri},
              {"mimeType", "application/json"},
              {"text", to_structured(*found).dump(2)}}});
      });
  server.add_resource(
      {"lmhunt://hunts", "hunts", "Recent hunts",
       "The hunts this server ran since it started, newest first.", "text/markdown"},
      [&jobs](const std::string& uri) -> mcp::Result<mcp::Json> {
        return mcp::Json::array(
            {{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", hunts_index(jobs.list())}}});
      });
  server.add_resource(
      {"lmhunt://catalog", "catalog", "Detection catalog",
       "Every UDM search the hunt can run, with its technique, weight and "
       "rationale.",
       "application/json"},
      [&jobs](const std::string& uri) -> mcp::Result<mcp::Json> {
        return mcp::Json::array({{{"uri", uri},
                                  {"mimeType", "application/json"},
                                  {"text", catalog_to_json(jobs.catalog()).dump(2)}}});
      });

  mcp::Prompt prompt;
  prompt.name = "lateral-movement-hunt";
  prompt.title = "Lateral movement hunt (PsExec/WMI)";
  prompt.description = "Run the PsExec/WMI lateral movement hunt runbook and summarise it.";
  prompt.arguments = {
      {"time_frame_hours", "Lookback in hours (default 72)", false},
      {"target_scope_query", "Optional UDM Search expression narrowing the hunt", false},
      {"hunt_hypothesis", "Optional reason for the hunt", false}};
  server.add_prompt(
      std::move(prompt),
      [&jobs](const std::map<std::string, std::string>& arguments) -> mcp::Result<mcp::Json> {
        auto args = prompt_arguments(arguments, jobs.settings());
        if (!args) return args.error();
        return mcp::Json{
            {"description", "Lateral movement hunt (PsExec/WMI)"},
            {"messages",
             mcp::Json::array(
                 {{{"role", "user"},
                   {"content", {{"type", "text"}, {"text", prompt_text(args.value())}}}}})}};
      });
  server.set_completer(
      [&jobs](const mcp::Json& ref, const std::string& argument, const std::string& value) {
        return complete(jobs, ref, argument, value);
      });
  return mcp::Ok{};
}

}  // namespace hunt
