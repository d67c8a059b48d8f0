#include "mcp/transport_stdio.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <system_error>

namespace mcp {

bool FdChannel::send(const Json& message) {
  std::string frame = jsonrpc::encode(message);
  frame.push_back('\n');
  std::lock_guard lock(mu_);
  if (closed_) return false;
  if (std::this_thread::get_id() == corked_by_) {
    // Counts as sent: a flush that fails later closes the channel, and the
    // server is going down with its output.
    collected_ += frame;
    if (collected_.size() < kCorkBytes) return true;
  } else if (!collected_.empty()) {
    collected_ += frame;  // keep send order: what was collected goes first
  } else {
    return write_locked(frame);
  }
  return flush_locked();
}

bool FdChannel::write_locked(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
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

void FdChannel::cork() {
  std::lock_guard lock(mu_);
  corked_by_ = std::this_thread::get_id();
}

bool FdChannel::flush() {
  std::lock_guard lock(mu_);
  return !closed_ && flush_locked();
}

bool FdChannel::flush_locked() {
  if (collected_.empty()) return true;
  const bool ok = write_locked(collected_);
  collected_.clear();
  return ok;
}

void FdChannel::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
}

std::optional<LineReader::Line> LineReader::next() {
  bool skipping = false;  // inside an oversize line, discarding to its newline
  for (;;) {
    auto newline = buffer_.find('\n', start_ + scanned_);
    if (newline != std::string::npos) {
      Line line;
      if (skipping) {
        line.oversize = true;
      } else {
        std::string_view text(buffer_.data() + start_, newline - start_);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        line.oversize = text.size() > max_;
        if (!line.oversize) line.text.assign(text);
      }
      start_ = newline + 1;
      scanned_ = 0;
      return line;
    }
    scanned_ = buffer_.size() - start_;
    if (scanned_ > max_) {
      skipping = true;
      buffer_.clear();
      start_ = scanned_ = 0;
    }
    if (eof_) {
      if (start_ == buffer_.size() && !skipping) return std::nullopt;
      Line line;
      line.oversize = skipping;
      if (!skipping) line.text.assign(buffer_, start_);
      buffer_.clear();
      start_ = scanned_ = 0;
      return line;
    }
    // Lines are taken by moving start_, not by erasing each one from the
    // front (which moved the rest of a full buffer once per line).
    buffer_.erase(0, start_);
    start_ = 0;
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

bool LineReader::line_ready() const {
  return eof_ || buffer_.find('\n', start_ + scanned_) != std::string::npos;
}

int serve_stdio(Server& server, Executor& executor, const StdioOptions& options) {
  auto out = std::make_shared<FdChannel>(options.out_fd);
  auto session = server.connect(out, executor, "stdio");
  LineReader reader(options.in_fd, options.max_frame_bytes);
  // The answers of handlers that run on this thread go out in one write per
  // read of input, sent before the next read that may block.
  out->cork();
  for (;;) {
    if (!reader.line_ready()) out->flush();
    auto line = reader.next();
    if (!line) break;
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
  out->flush();
  spdlog::debug("stdin closed; {} request(s) in flight", session->rpc().in_flight());
  if (!session->rpc().wait_idle(options.shutdown_grace)) {
    session->close("stdin closed");
    session->rpc().wait_idle(options.shutdown_grace);
  }
  session->close("stdin closed");
  return 0;
}

}  // namespace mcp
