#pragma once
// ChildProcess: the client side of the stdio transport (basic/transports.mdx
// §stdio). It spawns a server with pipes on stdin/stdout/stderr, feeds stdout
// lines to a Session and writes the Session's frames to stdin through an
// FdChannel. stderr is logged (rate-limited) with the server's name and its
// last lines are kept for error messages. When stdout reaches EOF the child is
// reaped and the Session closed with the exit status and the last stderr
// lines, so calls in flight fail with a message that says why.
//
// Downstream servers are not always clean: non-JSON lines on stdout (some
// SecOps integrations print()) are skipped and logged, not fatal.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mcp/session.hpp"
#include "mcp/transport_stdio.hpp"

namespace mcp {

// EnvLookup returns a variable of our own environment, nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// process_env looks a name up in this process's environment.
std::optional<std::string> process_env(const std::string& name);

// expand_env_refs replaces each `${env:NAME}` with lookup(NAME), or nothing
// when it is unset (as Cline and VS Code do). Text that is not a complete
// reference is kept as it is.
std::string expand_env_refs(std::string_view text, const EnvLookup& lookup);

// kInheritedEnv: the only variables a child inherits from our environment.
inline const std::vector<std::string>& inherited_env_names() {
  static const std::vector<std::string> names = {"PATH", "HOME",   "LANG", "LC_ALL",
                                                 "TZ",   "TMPDIR", "USER"};
  return names;
}

// build_child_env returns "NAME=value" entries: the inherited set from
// `lookup`, then `configured` with references expanded (configured wins).
std::vector<std::string> build_child_env(const std::map<std::string, std::string>& configured,
                                         const EnvLookup& lookup);

// find_in_path resolves a command without a slash against a PATH value;
// a command with a slash is returned as it is.
std::optional<std::string> find_in_path(const std::string& command, const std::string& path);

// describe_wait_status: "exit status 3" or "killed by signal 9 (Killed)".
std::string describe_wait_status(int wait_status);

class ChildStdin;  // the FdChannel to the child's stdin

struct ChildOptions {
  std::string name = "child";              // in logs and error messages
  std::vector<std::string> argv;           // argv[0] is the command
  std::string cwd;                         // empty: ours
  std::map<std::string, std::string> env;  // values may hold ${env:VAR}
  EnvLookup lookup = process_env;          // where ${env:VAR} and the inherited set come from
  // close(): after stdin closes the child gets close_grace to exit, then
  // SIGTERM and term_grace, then SIGKILL.
  std::chrono::milliseconds close_grace{2000};
  std::chrono::milliseconds term_grace{2000};
  std::size_t max_frame_bytes = kMaxFrameBytes;
  int stderr_lines_per_second = 50;  // more are counted, not logged
  std::size_t stderr_keep = 20;      // lines kept for last_stderr()
};

class ChildProcess {
 public:
  // start spawns the child in its own process group and starts the reader
  // threads; handlers of the returned session() run on `executor`, which must
  // outlive the ChildProcess. Error when the command is not found or cannot
  // be spawned.
  static Result<std::shared_ptr<ChildProcess>> start(ChildOptions options, Executor& executor);

  ~ChildProcess();  // close()
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  const std::shared_ptr<Session>& session() const { return session_; }
  pid_t pid() const { return pid_; }
  const std::string& name() const { return options_.name; }

  // close shuts the child down (stdin closed → close_grace → SIGTERM →
  // term_grace → SIGKILL), reaps it, joins the threads and closes the
  // session. Blocks; idempotent. Must not be called from a session handler
  // that runs on the stdout thread (notification handlers do).
  void close();

  bool running();
  // exit_status: the exit code, or 128 + signal; nullopt while running.
  std::optional<int> exit_status();
  // last_stderr: the last stderr lines, newline-separated.
  std::string last_stderr() const;

 private:
  explicit ChildProcess(ChildOptions options);
  Status spawn(Executor& executor);
  void read_stdout() noexcept;
  void read_stderr() noexcept;
  void close_stdin();
  void shut_down_child();                             // the close sequence; serialised, idempotent
  bool wait_exit(std::chrono::milliseconds timeout);  // reaps; true once reaped
  void signal_group(int sig);
  std::string exit_reason();

  ChildOptions options_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::shared_ptr<ChildStdin> stdin_channel_;
  std::shared_ptr<Session> session_;
  std::thread stdout_thread_;
  std::thread stderr_thread_;
  std::thread stdin_closer_;  // closes stdin without waiting on a blocked write

  std::mutex close_mu_;     // serialises close()
  std::mutex shutdown_mu_;  // serialises shut_down_child()
  std::mutex reap_mu_;      // serialises waitpid and kill, so a reaped pid is never used
  mutable std::mutex mu_;   // guards the fields below
  std::condition_variable stderr_cv_;
  std::optional<int> wait_status_;
  bool stdin_closed_ = false;
  bool stderr_eof_ = false;
  bool closed_ = false;
  bool group_killed_ = false;  // under shutdown_mu_
  std::deque<std::string> stderr_lines_;
};

}  // namespace mcp
