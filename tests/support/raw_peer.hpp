#pragma once
// RawPeer: a plain client socket on a loopback HTTP server, for tests that
// need exact bytes on the wire (deadlines, framing) rather than a client
// library's idea of a request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace lmhunt::test {

class RawPeer {
 public:
  using Clock = std::chrono::steady_clock;

  RawPeer(int port, const std::string& first_bytes) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    send(first_bytes);
  }
  ~RawPeer() { ::close(fd_); }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  void send(const std::string& bytes) {
    if (bytes.empty()) return;
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }

  // read_until_closed reads until the server closes the connection or
  // `limit` passes; true when it closed.
  bool read_until_closed(Clock::time_point limit) { return read_until("", limit); }

  // read_until reads until `received` holds `text` (or, for "", until the
  // server closes) or `limit` passes; true when it got there.
  bool read_until(const std::string& text, Clock::time_point limit) {
    char buffer[4096];
    while (Clock::now() < limit) {
      if (!text.empty() && received.find(text) != std::string::npos) return true;
      pollfd p{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(limit - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 1))) <= 0) continue;
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return text.empty();  // EOF, or reset by the server's close
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return !text.empty() && received.find(text) != std::string::npos;
  }

  std::string received;

 private:
  int fd_;
};

}  // namespace lmhunt::test
