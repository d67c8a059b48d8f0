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
#include <thread>

#include "mcp/channel.hpp"
#include "mcp/server.hpp"

namespace mcp {

inline constexpr std::size_t kMaxFrameBytes = std::size_t{16} * 1024 * 1024;

// FdChannel writes one frame per line to a file descriptor. Thread-safe.
//
// Corking: after cork(), frames sent by the corking thread are collected and
// go out in one write(2) at flush() (or once kCorkBytes are waiting), the way
// an event loop answers every request of one read in one write. Frames sent
// by any other thread are written at once, after what is collected, so
// output order is send order. The stdio server corks its reader thread and
// flushes before each read that may block, so nothing waits on input.
class FdChannel : public Channel {
 public:
  explicit FdChannel(int fd) : fd_(fd) {}
  bool send(const Json& message) override;
  void close();  // later sends fail

  void cork();   // the calling thread's frames are collected from now on
  bool flush();  // writes what is collected; false when the output is closed

  // Small on purpose: a write shares its cost among a few short answers, and
  // the client starts reading them while the rest of the input is still being
  // answered. Collecting a whole read's answers (up to 64 KiB) made client and
  // server take turns, each idle while the other worked: a client keeping 16
  // calls outstanding got 64–71 k answers/s that way, 108–122 k with 512 B.
  static constexpr std::size_t kCorkBytes = 512;

 private:
  bool write_locked(const std::string& bytes);  // mu_ held
  bool flush_locked();                          // mu_ held: writes and clears collected_

  std::mutex mu_;
  int fd_;
  bool closed_ = false;
  std::thread::id corked_by_;  // default: nobody
  std::string collected_;      // frames of corked_by_ not yet written
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
  // line_ready is true when next() will return without reading.
  bool line_ready() const;

 private:
  int fd_;
  std::size_t max_;
  std::string buffer_;
  std::size_t start_ = 0;    // where the unread part of buffer_ begins
  std::size_t scanned_ = 0;  // how far past start_ holds no newline
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
