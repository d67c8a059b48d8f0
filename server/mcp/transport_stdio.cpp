#include "mcp/transport_stdio.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace mcp {

bool FdChannel::send(const Json& message) {
  std::string frame = jsonrpc::encode(message);
  frame.push_back('\n');
  std::lock_guard lock(mu_);
  if (closed_) return false;
  std::size_t done = 0;
  while (done < frame.size()) {
    ssize_t n = ::write(fd_, frame.data() + done, frame.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      spdlog::warn("stdio output closed: {}", std::generic_category().message(errno));
      closed_ = true;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void FdChannel::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
}

std::optional<LineReader::Line> LineReader::next() {
  bool skipping = false;  // inside an oversize line, discarding to its newline
  for (;;) {
    auto newline = buffer_.find('\n', scanned_);
    if (newline != std::string::npos) {
      Line line;
      if (skipping) {
        line.oversize = true;
      } else {
        line.text = buffer_.substr(0, newline);
        if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
        line.oversize = line.text.size() > max_;
        if (line.oversize) line.text.clear();
      }
      buffer_.erase(0, newline + 1);
      scanned_ = 0;
      return line;
    }
    scanned_ = buffer_.size();
    if (buffer_.size() > max_) {
      skipping = true;
      buffer_.clear();
      scanned_ = 0;
    }
    if (eof_) {
      if (buffer_.empty() && !skipping) return std::nullopt;
      Line line;
      line.oversize = skipping;
      if (!skipping) line.text.swap(buffer_);
      buffer_.clear();
      scanned_ = 0;
      return line;
    }
    char chunk[64 * 1024];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) spdlog::warn("stdio input failed: {}", std::generic_category().message(errno));
      eof_ = true;
      continue;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

int serve_stdio(Server& server, Executor& executor, const StdioOptions& options) {
  auto out = std::make_shared<FdChannel>(options.out_fd);
  auto session = server.connect(out, executor, "stdio");
  LineReader reader(options.in_fd, options.max_frame_bytes);
  while (auto line = reader.next()) {
    if (line->oversize) {
      spdlog::warn("refused a frame over {} bytes", options.max_frame_bytes);
      out->send(
          jsonrpc::make_error(nullptr, Error{jsonrpc::kInvalidRequest,
                                             "Invalid Request: frame exceeds " +
                                                 std::to_string(options.max_frame_bytes) + " bytes",
                                             nullptr}));
      continue;
    }
    if (line->text.find_first_not_of(" \t\r") == std::string::npos) continue;
    session->rpc().receive_frame(line->text, out);
  }
  spdlog::debug("stdin closed; {} request(s) in flight", session->rpc().in_flight());
  if (!session->rpc().wait_idle(options.shutdown_grace)) {
    session->close("stdin closed");
    session->rpc().wait_idle(options.shutdown_grace);
  }
  session->close("stdin closed");
  return 0;
}

}  // namespace mcp
