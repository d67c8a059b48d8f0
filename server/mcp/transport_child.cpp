#include "mcp/transport_child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace mcp {

namespace {

constexpr std::size_t kMaxStderrLineBytes = 64 * 1024;
constexpr std::size_t kMaxLoggedLineBytes = 500;
constexpr auto kStderrDrainWait = std::chrono::seconds(1);

std::string clip(std::string text, std::size_t max = kMaxLoggedLineBytes) {
  if (text.size() > max) text = text.substr(0, max) + "…";
  return text;
}

// LineBudget rate-limits logged lines per one-second window and counts the rest.
class LineBudget {
 public:
  LineBudget(std::string name, std::string what, int per_second)
      : name_(std::move(name)), what_(std::move(what)), per_second_(per_second) {}
  ~LineBudget() { flush(); }
  bool allow() {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_ >= std::chrono::seconds(1)) {
      flush();
      window_ = now;
      used_ = 0;
    }
    if (used_ >= per_second_) {
      ++suppressed_;
      return false;
    }
    ++used_;
    return true;
  }
  void flush() {
    if (suppressed_ == 0) return;
    spdlog::warn("[{}] {} {} lines suppressed", name_, suppressed_, what_);
    suppressed_ = 0;
  }

 private:
  std::string name_;
  std::string what_;
  int per_second_;
  std::chrono::steady_clock::time_point window_{};
  int used_ = 0;
  long suppressed_ = 0;
};

void ignore_sigpipe_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction old {};
    if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);  // a dead child's stdin must fail a write, not kill us
    }
  });
}

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

}  // namespace

// ChildStdin is the FdChannel to the child's stdin. A write that fails while
// we have not closed stdin means the child is gone: it reports success so the
// call stays pending until the stdout thread closes the session with the exit
// status and stderr, rather than failing with a bare "Connection closed".
class ChildStdin : public FdChannel {
 public:
  using FdChannel::FdChannel;
  bool send(const Json& message) override {
    return FdChannel::send(message) || !deliberately_closed_.load();
  }
  void close_deliberately() {
    deliberately_closed_ = true;
    close();
  }

 private:
  std::atomic<bool> deliberately_closed_{false};
};

std::string describe_wait_status(int wait_status) {
  if (wait_status == -1) return "exit status unknown";
  if (WIFEXITED(wait_status)) return "exit status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    return "killed by signal " + std::to_string(sig) + " (" + sigdescr_np(sig) + ")";
  }
  return "wait status " + std::to_string(wait_status);
}

// --- ChildProcess -----------------------------------------------------------

ChildProcess::ChildProcess(ChildOptions options) : options_(std::move(options)) {}

ChildProcess::~ChildProcess() {
  close();
}

Result<std::shared_ptr<ChildProcess>> ChildProcess::start(ChildOptions options,
                                                          Executor& executor) {
  if (options.argv.empty()) return Error{jsonrpc::kInternalError, "no command to start"};
  ignore_sigpipe_once();
  std::shared_ptr<ChildProcess> child(new ChildProcess(std::move(options)));
  if (auto s = child->spawn(executor); !s) return s.error();
  return child;
}

Status ChildProcess::spawn(Executor& executor) {
  const auto env = build_child_env(options_.env, options_.lookup);
  std::string path;
  for (const auto& entry : env) {
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  }
  const auto command = find_in_path(options_.argv[0], path);
  if (!command) {
    return Error{jsonrpc::kInternalError, "cannot start " + options_.name + ": command '" +
                                              options_.argv[0] + "' not found on PATH"};
  }
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) {
      if (fd >= 0) ::close(fd);
    }
    return Error{jsonrpc::kInternalError, "cannot start " + options_.name + ": " + errno_text(e)};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);  // dup2 clears O_CLOEXEC
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  // Descriptors we inherited without O_CLOEXEC must not reach the child either.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  if (!options_.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options_.cwd.c_str());
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t no_signals, defaults;
  sigemptyset(&no_signals);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: signals reach uv's python too
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args, envp;
  for (const auto& a : options_.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const int rc = posix_spawn(&pid_, command->c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    pid_ = -1;
    for (int fd : {in[1], out[0], err[0]}) ::close(fd);
    return Error{jsonrpc::kInternalError,
                 "cannot start " + options_.name + " (" + *command + "): " + errno_text(rc)};
  }
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  spdlog::debug("[{}] started pid {}: {}", options_.name, pid_, *command);
  stdin_channel_ = std::make_shared<ChildStdin>(stdin_fd_);
  session_ = std::make_shared<Session>(options_.name, executor);
  session_->set_default_channel(stdin_channel_);
  stderr_thread_ = std::thread([this] { read_stderr(); });
  stdout_thread_ = std::thread([this] { read_stdout(); });
  return Ok{};
}

void ChildProcess::read_stdout() noexcept {
  LineReader reader(stdout_fd_, options_.max_frame_bytes);
  LineBudget budget(options_.name, "non-JSON stdout", options_.stderr_lines_per_second);
  while (auto line = reader.next()) {
    if (line->oversize) {
      spdlog::warn("[{}] skipped a stdout line over {} bytes", options_.name,
                   options_.max_frame_bytes);
      continue;
    }
    if (line->text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto decoded = jsonrpc::decode(line->text);
    if (auto* bad = std::get_if<jsonrpc::DecodeError>(&decoded)) {
      if (!bad->id.is_null()) {
        stdin_channel_->send(jsonrpc::make_error(bad->id, bad->error));
      } else if (budget.allow()) {
        spdlog::warn("[{}] skipped a stdout line that is not a JSON-RPC message: {}", options_.name,
                     clip(line->text, 200));
      }
      continue;
    }
    session_->receive(std::get<jsonrpc::Message>(std::move(decoded)), stdin_channel_);
  }
  budget.flush();
  shut_down_child();
  {
    std::unique_lock lock(mu_);
    stderr_cv_.wait_for(lock, kStderrDrainWait, [this] { return stderr_eof_; });
  }
  const auto reason = exit_reason();
  spdlog::info("[{}] {}", options_.name, reason);
  session_->close(reason);
}

void ChildProcess::read_stderr() noexcept {
  LineReader reader(stderr_fd_, kMaxStderrLineBytes);
  LineBudget budget(options_.name, "stderr", options_.stderr_lines_per_second);
  while (auto line = reader.next()) {
    std::string text = line->oversize ? std::string("[line over 64 KiB]") : clip(line->text);
    if (budget.allow()) spdlog::info("[{}] {}", options_.name, text);
    std::lock_guard lock(mu_);
    stderr_lines_.push_back(std::move(text));
    while (stderr_lines_.size() > options_.stderr_keep) stderr_lines_.pop_front();
  }
  budget.flush();
  {
    std::lock_guard lock(mu_);
    stderr_eof_ = true;
  }
  stderr_cv_.notify_all();
}

void ChildProcess::close_stdin() {
  {
    std::lock_guard lock(mu_);
    if (stdin_closed_ || stdin_fd_ < 0) return;
    stdin_closed_ = true;
  }
  // FdChannel::close waits for a write in progress, which blocks while the
  // child does not read; closing on the side lets SIGTERM proceed meanwhile.
  stdin_closer_ = std::thread([channel = stdin_channel_, fd = stdin_fd_] {
    channel->close_deliberately();
    ::close(fd);
  });
}

void ChildProcess::shut_down_child() {
  std::lock_guard lock(shutdown_mu_);
  close_stdin();
  if (!wait_exit(options_.close_grace)) {
    spdlog::warn("[{}] still running {} ms after stdin closed; sending SIGTERM", options_.name,
                 options_.close_grace.count());
    signal_group(SIGTERM);
    if (!wait_exit(options_.term_grace)) {
      spdlog::warn("[{}] ignored SIGTERM; sending SIGKILL", options_.name);
      signal_group(SIGKILL);
      wait_exit(std::chrono::hours(1));
    }
  }
  // Whatever stayed behind in its process group would hold our pipes open.
  // Once only, right after the reap: later the group id could be reused.
  if (!group_killed_ && ::kill(-pid_, SIGKILL) == 0) {
    spdlog::debug("[{}] killed processes left in its group", options_.name);
  }
  group_killed_ = true;
}

bool ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    {
      std::lock_guard reap(reap_mu_);
      {
        std::lock_guard lock(mu_);
        if (wait_status_) return true;
      }
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || (r < 0 && errno == ECHILD)) {
        std::lock_guard lock(mu_);
        wait_status_ = r == pid_ ? status : -1;  // -1: reaped elsewhere (SIGCHLD ignored)
        return true;
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

void ChildProcess::signal_group(int sig) {
  std::lock_guard reap(reap_mu_);
  {
    std::lock_guard lock(mu_);
    if (wait_status_) return;  // reaped: the pid may belong to someone else now
  }
  if (::kill(-pid_, sig) != 0) ::kill(pid_, sig);  // it may have left our group
}

std::string ChildProcess::exit_reason() {
  std::lock_guard lock(mu_);
  std::string reason = options_.name + (closed_ ? " was closed by the client (" : " exited (") +
                       (wait_status_ ? describe_wait_status(*wait_status_) : "still running") + ")";
  if (!stderr_lines_.empty()) {
    reason += "; last stderr lines:";
    for (const auto& line : stderr_lines_) reason += "\n  " + line;
  }
  return reason;
}

void ChildProcess::close() {
  std::lock_guard close_lock(close_mu_);
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
  }
  if (pid_ <= 0) return;  // never started
  shut_down_child();
  for (auto* t : {&stdin_closer_, &stdout_thread_, &stderr_thread_}) {
    if (!t->joinable()) continue;
    if (t->get_id() == std::this_thread::get_id()) {
      spdlog::error("[{}] close() called on its own reader thread", options_.name);
      t->detach();
    } else {
      t->join();
    }
  }
  session_->close(exit_reason());
  for (int* fd : {&stdout_fd_, &stderr_fd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

bool ChildProcess::running() {
  if (pid_ < 0) return false;
  return !wait_exit(std::chrono::milliseconds(0));
}

std::optional<int> ChildProcess::exit_status() {
  if (pid_ < 0 || !wait_exit(std::chrono::milliseconds(0))) return std::nullopt;
  std::lock_guard lock(mu_);
  if (WIFEXITED(*wait_status_)) return WEXITSTATUS(*wait_status_);
  if (WIFSIGNALED(*wait_status_)) return 128 + WTERMSIG(*wait_status_);
  return -1;
}

std::string ChildProcess::last_stderr() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& line : stderr_lines_) out += line + "\n";
  return out;
}

}  // namespace mcp
