#pragma once
// stdio transport (basic/transports.mdx §stdio): newline-delimited compact
// JSON-RPC on a pair of file descriptors. The server side reads frames until
// EOF; nothing but frames is ever written to the output descriptor.

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mcp/channel.hpp"
#include "mcp/server.hpp"

namespace mcp {

inline constexpr std::size_t kMaxFrameBytes = std::size_t{16} * 1024 * 1024;

// FdChannel writes one frame per line to a file descriptor. Thread-safe.
class FdChannel : public Channel {
 public:
  explicit FdChannel(int fd) : fd_(fd) {}
  bool send(const Json& message) override;
  void close();  // later sends fail

 private:
  std::mutex mu_;
  int fd_;
  bool closed_ = false;
};

// LineReader splits a descriptor's bytes into lines, refusing lines longer
// than a limit (their bytes are skipped up to the next newline).
class LineReader {
 public:
  LineReader(int fd, std::size_t max_line_bytes) : fd_(fd), max_(max_line_bytes) {}
  struct Line {
    std::string text;
    bool oversize = false;
  };
  // next blocks for the next line; nullopt at EOF or on a read error. A final
  // line without a newline is returned too.
  std::optional<Line> next();

 private:
  int fd_;
  std::size_t max_;
  std::string buffer_;
  std::size_t scanned_ = 0;
  bool eof_ = false;
};

struct StdioOptions {
  int in_fd = 0;
  int out_fd = 1;
  std::size_t max_frame_bytes = kMaxFrameBytes;
  // After stdin closes, running requests get this long to finish and answer
  // before they are asked to stop.
  std::chrono::milliseconds shutdown_grace{2000};
};

// serve_stdio runs one ServerSession over the descriptors until EOF on input,
// then shuts down cleanly. Returns the process exit code.
int serve_stdio(Server& server, Executor& executor, const StdioOptions& options = {});

}  // namespace mcp
