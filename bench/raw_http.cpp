#include "raw_http.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace bench {

std::string RawResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

RawHttpConnection::~RawHttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawHttpConnection::connect(const std::string& url, std::string& error) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
  start_ = 0;
  url_ = url;
  if (url.rfind("http://", 0) != 0) {
    error = "not an http:// URL: " + url;
    return false;
  }
  const auto slash = url.find('/', 7);
  host_ = url.substr(7, slash == std::string::npos ? std::string::npos : slash - 7);
  path_ = slash == std::string::npos ? "/" : url.substr(slash);
  const auto colon = host_.rfind(':');
  const std::string host = host_.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : host_.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = "cannot resolve " + host_ + ": " + ::gai_strerror(rc);
    return false;
  }
  for (addrinfo* a = found; a && fd_ < 0; a = a->ai_next) {
    fd_ = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd_ >= 0 && ::connect(fd_, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) {
    error = "cannot connect to " + host_ + ": " + std::strerror(errno);
    return false;
  }
  int one = 1;  // else Nagle + delayed ACKs add ~40 ms per call
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

bool RawHttpConnection::fill(std::string& error) {
  buffer_.erase(0, start_);  // callers hold no positions across a fill
  start_ = 0;
  char chunk[16 * 1024];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n == 0 ? "the server closed the connection" : std::strerror(errno);
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

bool RawHttpConnection::request(const std::string& method, const std::string& extra_headers,
                                const std::string& body, RawResponse& out, std::string& error) {
  // A server may end a keep-alive connection after an answer (cpp-httplib
  // after keepalive_max_requests): open a new one, as any HTTP client does.
  if (fd_ < 0 && !connect(url_, error)) return false;
  std::string wire = method + " " + path_ + " HTTP/1.1\r\nHost: " + host_ + "\r\n" + extra_headers +
                     "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (std::size_t done = 0; done < wire.size();) {
    ssize_t n = ::send(fd_, wire.data() + done, wire.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = std::string("send: ") + std::strerror(errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }

  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n", start_)) == std::string::npos) {
    if (!fill(error)) return false;
  }
  out = RawResponse{};
  std::size_t line_end = buffer_.find("\r\n", start_);
  const std::string status_line = buffer_.substr(start_, line_end - start_);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    error = "bad status line: " + status_line;
    return false;
  }
  out.status = std::atoi(status_line.c_str() + 9);
  for (std::size_t at = line_end + 2; at < end;) {
    const std::size_t eol = buffer_.find("\r\n", at);
    const std::size_t colon = buffer_.find(':', at);
    if (colon != std::string::npos && colon < eol) {
      std::string name = buffer_.substr(at, colon - at);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::size_t value = colon + 1;
      while (value < eol && buffer_[value] == ' ') ++value;
      out.headers[name] = buffer_.substr(value, eol - value);
    }
    at = eol + 2;
  }
  start_ = end + 4;
  try {
    if (!read_body(out, error)) return false;
  } catch (const std::exception&) {  // std::stoull on a malformed length
    error = "a malformed Content-Length or chunk size";
    return false;
  }
  if (out.header("connection") == "close") {
    ::close(fd_);
    fd_ = -1;
  }
  return true;
}

bool RawHttpConnection::read_body(RawResponse& out, std::string& error) {
  const std::string length = out.header("content-length");
  if (!length.empty()) {
    const auto n = static_cast<std::size_t>(std::stoull(length));
    while (buffer_.size() - start_ < n) {
      if (!fill(error)) return false;
    }
    out.body.assign(buffer_, start_, n);
    start_ += n;
    return true;
  }
  if (out.header("transfer-encoding") != "chunked") {
    if (out.status == 204 || out.status == 304) return true;
    error = "an answer with neither Content-Length nor chunked encoding";
    return false;
  }
  for (;;) {  // chunk-size CRLF data CRLF ... 0 CRLF [trailers] CRLF
    std::size_t eol;
    while ((eol = buffer_.find("\r\n", start_)) == std::string::npos) {
      if (!fill(error)) return false;
    }
    const auto size = std::stoull(buffer_.substr(start_, eol - start_), nullptr, 16);
    start_ = eol + 2;
    if (size == 0) {
      while ((eol = buffer_.find("\r\n", start_)) != start_) {  // trailers end at an empty line
        if (eol == std::string::npos) {
          if (!fill(error)) return false;
        } else {
          start_ = eol + 2;
        }
      }
      start_ += 2;
      return true;
    }
    while (buffer_.size() - start_ < size + 2) {
      if (!fill(error)) return false;
    }
    out.body.append(buffer_, start_, size);
    start_ += size + 2;
  }
}

}  // namespace bench
