// process_census.cpp — take_census, leaks_since, await_baseline (process_census.hpp).
//
// Hand-written /proc reading: no installed library (procps' libproc2 is not among the project's
// dependencies) exposes a process's descriptors and children, and the format is a few lines.
#include "support/process_census.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

namespace test {
namespace {

std::string proc_dir(pid_t pid) {
  return "/proc/" + std::to_string(pid == 0 ? ::getpid() : pid);
}

// for_each_entry calls fn with each name in `dir` but "." and "..", skipping the descriptor the
// listing itself uses; false when the directory cannot be opened.
bool for_each_entry(const std::string& dir, const std::function<void(const std::string&)>& fn) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  const std::string own = std::to_string(::dirfd(d));
  const bool listing_own_fds = dir == proc_dir(0) + "/fd";
  while (const dirent* entry = ::readdir(d)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || (listing_own_fds && name == own)) continue;
    fn(name);
  }
  ::closedir(d);
  return true;
}

bool is_number(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string read_link(const std::string& path) {
  std::string target(4096, '\0');
  const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  target.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return n < 0 ? "(gone)" : target;
}

// parent_of reads the ppid field of /proc/N/stat ("N (comm) S PPID ..."; comm may hold spaces
// and parentheses, so the fields are counted from the last ')').
pid_t parent_of(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 1));
  std::string state;
  pid_t ppid = -1;
  fields >> state >> ppid;
  return ppid;
}

double status_mib(const std::string& status, const std::string& key) {
  const auto at = status.find("\n" + key + ":");
  if (at == std::string::npos) return 0;
  return std::strtod(status.c_str() + at + key.size() + 2, nullptr) / 1024.0;
}

}  // namespace

Census take_census(pid_t pid) {
  Census c;
  const pid_t who = pid == 0 ? ::getpid() : pid;
  const std::string dir = proc_dir(who);
  c.alive = for_each_entry(dir + "/task", [&](const std::string&) { ++c.threads; });
  if (!c.alive) return c;
  for_each_entry(dir + "/fd", [&](const std::string& name) {
    if (is_number(name)) c.fds[std::stoi(name)] = read_link(dir + "/fd/" + name);
  });
  for_each_entry("/proc", [&](const std::string& name) {
    if (is_number(name) && parent_of(name) == who) c.children.push_back(std::stoi(name));
  });
  std::ifstream in(dir + "/status");
  const std::string status =
      "\n" + std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c.rss_mib = status_mib(status, "VmRSS");
  c.peak_rss_mib = status_mib(status, "VmHWM");
  return c;
}

std::string Leaks::describe() const {
  std::string out;
  auto part = [&out](const std::string& text) { out += (out.empty() ? "" : "; ") + text; };
  if (threads > 0) part(std::to_string(threads) + " thread(s)");
  if (!fds.empty()) {
    std::string list;
    for (const auto& fd : fds) list += (list.empty() ? "" : ", ") + fd;
    part(std::to_string(fds.size()) + " descriptor(s): " + list);
  }
  if (!children.empty()) {
    std::string list;
    for (pid_t child : children) list += (list.empty() ? "" : ", ") + std::to_string(child);
    part(std::to_string(children.size()) + " child process(es): " + list);
  }
  return out.empty() ? "nothing" : out;
}

Leaks leaks_since(const Census& baseline, const Census& now) {
  Leaks leaks;
  leaks.threads = std::max(0, now.threads - baseline.threads);
  if (now.fds.size() > baseline.fds.size()) {
    for (const auto& [fd, target] : now.fds) {
      auto before = baseline.fds.find(fd);
      if (before == baseline.fds.end() || before->second != target) {
        leaks.fds.push_back(std::to_string(fd) + " -> " + target);
      }
    }
  }
  for (pid_t child : now.children) {
    if (std::find(baseline.children.begin(), baseline.children.end(), child) ==
        baseline.children.end()) {
      leaks.children.push_back(child);
    }
  }
  return leaks;
}

Leaks await_baseline(pid_t pid, const Census& baseline, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    Leaks leaks = leaks_since(baseline, take_census(pid));
    if (!leaks.any() || std::chrono::steady_clock::now() >= until) return leaks;
    // Exiting threads and processes give no event to wait on from here: poll /proc.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace test
