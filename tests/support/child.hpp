#pragma once
// Child: a real child process with pipes on stdin, stdout and stderr, for
// tests that drive the lmhunt binary exactly as an MCP client does.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace test {

class Child {
 public:
  // Starts argv[0] with the given arguments; throws std::runtime_error if it
  // cannot be started.
  explicit Child(const std::vector<std::string>& argv);
  ~Child();  // kills the child if it is still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool write_line(const std::string& line);
  bool write_raw(const std::string& bytes);
  void close_stdin();
  // read_line returns the next stdout line, or nullopt at EOF or timeout.
  std::optional<std::string> read_line(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // wait returns the exit status (or 128+signal), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // stderr_text drains and returns what the child wrote to stderr so far.
  std::string stderr_text();

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_buffer_;
  std::string err_buffer_;
  std::optional<int> status_;
};

}  // namespace test
