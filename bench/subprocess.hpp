#pragma once
// bench/subprocess.hpp: what lmhunt_bench_load needs of the server process it
// measures: spawning it on a pair of pipes, reading its peak RSS and CPU time
// from /proc, line I/O on the pipes, and stopping it the way an MCP stdio
// client does.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace bench {

struct Child {
  pid_t pid = -1;
  int in = -1;          // the server's stdin
  FILE* out = nullptr;  // the server's stdout
};

// spawn starts the server with pipes on its stdin and stdout (stderr is
// shared). It dies with us (PR_SET_PDEATHSIG), so a crashed run leaves no
// server behind. Called before any thread starts, so fork is safe.
inline Child spawn(const std::vector<std::string>& command) {
  int to[2];
  int from[2];
  if (pipe(to) != 0 || pipe(from) != 0) return {};
  std::vector<char*> argv;
  for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  Child child;
  child.pid = fork();
  if (child.pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(to[0], 0);
    dup2(from[1], 1);
    for (int fd : {to[0], to[1], from[0], from[1]}) ::close(fd);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "lmhunt_bench_load: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  ::close(to[0]);
  ::close(from[1]);
  child.in = to[1];
  child.out = fdopen(from[0], "r");
  return child;
}

inline std::string proc_file(pid_t pid, const char* name) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/" + name);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// peak_rss_mib is the process's VmHWM (peak resident set size).
inline double peak_rss_mib(pid_t pid) {
  const std::string status = proc_file(pid, "status");
  const auto at = status.find("VmHWM:");
  return at == std::string::npos ? -1 : std::stod(status.substr(at + 6)) / 1024.0;
}

// cpu_seconds is the process's utime + stime (fields 14 and 15 of stat).
inline double cpu_seconds(pid_t pid) {
  const std::string stat = proc_file(pid, "stat");
  unsigned long utime = 0;
  unsigned long stime = 0;
  const auto comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) return 0;
  std::sscanf(stat.c_str() + comm_end + 1, " %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %lu %lu",
              &utime, &stime);
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// stop_child closes the server's stdin, then SIGTERM, then SIGKILL (the
// shutdown order of the stdio transport, basic/transports.mdx).
inline void stop_child(Child& child) {
  if (child.in >= 0) ::close(child.in);
  child.in = -1;
  for (int step = 0; step < 3; ++step) {
    for (int i = 0; i < 100; ++i) {
      if (waitpid(child.pid, nullptr, WNOHANG) == child.pid) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(child.pid, step == 0 ? SIGTERM : SIGKILL);
  }
  waitpid(child.pid, nullptr, 0);
}

// read_line reads one line without its newline; false at EOF. The getline
// buffer is per thread and kept for the life of the process.
inline bool read_line(FILE* in, std::string& line) {
  thread_local char* buffer = nullptr;
  thread_local std::size_t capacity = 0;
  const ssize_t n = getline(&buffer, &capacity, in);
  if (n > 0) line.assign(buffer, static_cast<std::size_t>(buffer[n - 1] == '\n' ? n - 1 : n));
  return n > 0;
}

inline bool write_line(int fd, std::string line) {
  line.push_back('\n');
  for (std::size_t done = 0; done < line.size();) {
    auto n = ::write(fd, line.data() + done, line.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace bench
