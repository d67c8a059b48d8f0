// fake_server.hpp — shared state of lmhunt_fake_server (fake_server.cpp) and its SecOps tool
// profiles (profiles.cpp).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "mcp/server.hpp"

namespace fake {

struct Flags {
  int latency_ms = 0;
  int crash_after = -1;
  std::string hang_tool;
  bool garbage = false;
  bool is_error = false;
  bool empty_content = false;
  int exit_at_start = -1;
  int stderr_flood = 0;
  bool linger = false;
  bool ignore_sigterm = false;
  std::string profile;  // "", secops, gti, soar, remote, all
  bool no_structured = false;
  int rate_limit = 0;
  bool in_band_error = false;
  int start_delay_ms = 0;
  std::string cases_format = "object";
  bool page_token_loop = false;
  bool post_hang_once = false;
  bool post_lose_once = false;
  std::vector<std::string> hidden_tools;  // --hide-tool NAME (repeatable)
};

struct State {
  Flags flags;
  std::atomic<int> calls{0};
  std::atomic<int> profile_calls{0};
  std::mutex mu;
  std::condition_variable cv;
  int cancelled = 0;
};

// Canned computes a profile tool's answer from its arguments.
using Canned = std::function<mcp::Result<mcp::ToolResult>(const mcp::Json&, mcp::ToolContext&)>;

// run_tool applies the scripted misbehaviour (crash, hang, latency, rate limit, isError, empty
// content), then answers with `canned`, or echoes the call when there is none.
mcp::Result<mcp::ToolResult> run_tool(State& s, const std::string& name, const mcp::Json& args,
                                      mcp::ToolContext& ctx, const Canned& canned = {});

// add_profile_tools registers the tools of s.flags.profile.
void add_profile_tools(mcp::Server& server, State& s);

// server_name is serverInfo.name for a profile, as the real servers announce themselves.
std::string server_name(const std::string& profile);

// wait_until_cancelled blocks until the call is cancelled (or a day passes).
void wait_until_cancelled(mcp::ToolContext& ctx);

}  // namespace fake
