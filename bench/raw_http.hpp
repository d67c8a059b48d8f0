#pragma once
// RawHttpConnection: one keep-alive HTTP/1.1 connection for the load
// generator, on a plain socket. Hand-written rather than cpp-httplib's client
// on purpose: the generator shares the machine's CPUs with the server it
// measures, and cpp-httplib's client spends ≈ 40 µs of CPU per call (a poll
// before every read and write, header lines read through a line reader,
// case-insensitive header maps). This one writes a request with one send(2)
// and reads the answer in as few recv(2) calls as it arrives in, so the CPU
// goes to the server under test. It speaks only what the benchmark needs:
// requests with a body, and answers delimited by Content-Length or chunked.

#include <map>
#include <string>

namespace bench {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // de-chunked
  std::string header(const std::string& lower_name) const;
};

class RawHttpConnection {
 public:
  RawHttpConnection() = default;
  ~RawHttpConnection();
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;

  // connect opens a TCP connection (TCP_NODELAY) to the host and port of an
  // "http://HOST:PORT/..." URL; false with `error` set when it cannot. After
  // an answer with "Connection: close" the next request connects again.
  bool connect(const std::string& url, std::string& error);
  // request sends METHOD PATH with `extra_headers` (each "Name: value\r\n")
  // and `body`, and reads the whole answer. False with `error` on any I/O or
  // framing failure (the connection is unusable afterwards).
  bool request(const std::string& method, const std::string& extra_headers, const std::string& body,
               RawResponse& out, std::string& error);

 private:
  bool fill(std::string& error);  // one recv(2) into buffer_
  bool read_body(RawResponse& out, std::string& error);

  int fd_ = -1;
  std::string url_;
  std::string host_;  // HOST:PORT, for the Host header
  std::string path_;
  std::string buffer_;
  std::size_t start_ = 0;  // unread bytes of buffer_ begin here
};

}  // namespace bench
