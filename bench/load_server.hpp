#pragma once
// bench/load_server.hpp: the lmhunt server the load check drives — `lmhunt serve --http
// 127.0.0.1:0` started with its stdout and stderr on one pipe, a thread that reads its log
// (the URL it serves, warnings and errors), and stopping it with SIGTERM as an operator would.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bench {

class LoadServer {
 public:
  // start runs `argv` with `env` added to this process's environment ("NAME=" with an empty
  // value removes NAME). Called before any other thread starts, so fork is safe.
  bool start(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    int out[2];
    if (::pipe(out) != 0) return false;
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed driver leaves no server behind
      if (::getppid() != parent) ::_exit(127);
      for (const auto& entry : env) {
        const auto eq = entry.find('=');
        const std::string name = entry.substr(0, eq);
        if (eq + 1 == entry.size()) {
          ::unsetenv(name.c_str());
        } else {
          ::setenv(name.c_str(), entry.c_str() + eq + 1, 1);
        }
      }
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(out[1], STDERR_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
      ::_exit(127);
    }
    ::close(out[1]);
    log_ = ::fdopen(out[0], "r");
    reader_ = std::thread([this] { read_log(); });
    return true;
  }

  ~LoadServer() {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(5));
    }
    if (reader_.joinable()) reader_.join();
    if (log_) std::fclose(log_);
  }

  pid_t pid() const { return pid_; }

  // url waits for the "serving MCP at URL" log line; nullopt when the server exits first or
  // `timeout` passes.
  std::optional<std::string> url(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !url_.empty() || log_ended_; });
    if (url_.empty()) return std::nullopt;
    return url_;
  }

  // Log lines at level warning, error or critical (the first 20 kept verbatim).
  std::size_t problems() {
    std::lock_guard lock(mu_);
    return problems_;
  }
  std::vector<std::string> problem_lines() {
    std::lock_guard lock(mu_);
    return problem_lines_;
  }

  // stop sends SIGTERM and waits up to `timeout` for the exit code (128+signal when killed).
  std::optional<int> stop(std::chrono::milliseconds timeout) {
    ::kill(pid_, SIGTERM);
    return wait_exit(timeout);
  }

 private:
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!exit_code_) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (done < 0 || std::chrono::steady_clock::now() >= until) break;
      // waitpid has no timeout; the exit is polled (bounded by `timeout`).
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_code_;
  }

  void read_log() {
    char buffer[8192];
    const std::string serving = "serving MCP at ";
    while (std::fgets(buffer, sizeof buffer, log_) != nullptr) {
      std::string line = buffer;
      if (!line.empty() && line.back() == '\n') line.pop_back();
      std::lock_guard lock(mu_);
      if (const auto at = line.find(serving); at != std::string::npos && url_.empty()) {
        url_ = line.substr(at + serving.size());
        cv_.notify_all();
      }
      // spdlog's pattern here: "<time> <level> <message>".
      const auto first = line.find(' ');
      const std::string level = line.substr(first + 1, line.find(' ', first + 1) - first - 1);
      if (level == "warning" || level == "error" || level == "critical") {
        ++problems_;
        if (problem_lines_.size() < 20) problem_lines_.push_back(line);
      }
    }
    std::lock_guard lock(mu_);
    log_ended_ = true;
    cv_.notify_all();
  }

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  FILE* log_ = nullptr;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string url_;
  bool log_ended_ = false;
  std::size_t problems_ = 0;
  std::vector<std::string> problem_lines_;
};

}  // namespace bench
