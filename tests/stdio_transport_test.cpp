// Unit tests of the stdio transport's pieces: LineReader (many lines per
// read, CRLF, oversize lines, a last line without newline), FdChannel's
// corking (one write for what the reader thread answers, order kept with
// other threads' frames), and serve_stdio answering a burst of requests.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "mcp/executor.hpp"
#include "mcp/server.hpp"
#include "mcp/transport_stdio.hpp"

namespace {

// Pipe is a pipe whose ends close with it.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    // Room for more than FdChannel::kCorkBytes, so a test writes without a reader.
    REQUIRE(::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) >= 0);
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int read_end() const { return fds[0]; }
  int write_end() const { return fds[1]; }
  void close_read() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  void close_write() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
  void write_all(const std::string& bytes) const {
    REQUIRE(::write(fds[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  // available reads what is in the pipe now, without blocking.
  std::string available() const {
    const int flags = ::fcntl(fds[0], F_GETFL);
    ::fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
    std::string out;
    char chunk[4096];
    for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;) {
      out.append(chunk, static_cast<std::size_t>(n));
    }
    ::fcntl(fds[0], F_SETFL, flags);
    return out;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(text.substr(at, nl - at));
  }
  return lines;
}

}  // namespace

TEST_CASE("LineReader returns every line of one read, in order, then EOF", "[stdio][lines]") {
  Pipe pipe;
  pipe.write_all("one\r\ntwo\n\nthree");
  pipe.close_write();
  mcp::LineReader reader(pipe.read_end(), 100);
  std::vector<std::string> got;
  while (auto line = reader.next()) {
    CHECK_FALSE(line->oversize);
    got.push_back(line->text);
  }
  CHECK(got == std::vector<std::string>{"one", "two", "", "three"});
  CHECK_FALSE(reader.next());
}

TEST_CASE("LineReader skips an oversize line and reads on after it", "[stdio][lines]") {
  Pipe pipe;
  pipe.write_all("short\n" + std::string(50, 'x') + "\nafter\n" + std::string(30, 'y'));
  pipe.close_write();
  mcp::LineReader reader(pipe.read_end(), 20);
  auto first = reader.next();
  REQUIRE(first);
  CHECK(first->text == "short");
  auto big = reader.next();
  REQUIRE(big);
  CHECK(big->oversize);
  CHECK(big->text.empty());
  auto after = reader.next();
  REQUIRE(after);
  CHECK(after->text == "after");
  auto tail = reader.next();  // an oversize last line without newline
  REQUIRE(tail);
  CHECK(tail->oversize);
  CHECK_FALSE(reader.next());
}

TEST_CASE("LineReader::line_ready tells whether next() would read", "[stdio][lines]") {
  Pipe pipe;
  mcp::LineReader reader(pipe.read_end(), 100);
  CHECK_FALSE(reader.line_ready());  // nothing read yet
  pipe.write_all("a\nb\npart");
  REQUIRE(reader.next()->text == "a");
  CHECK(reader.line_ready());  // "b" is buffered
  REQUIRE(reader.next()->text == "b");
  CHECK_FALSE(reader.line_ready());  // only a partial line is left
  pipe.write_all("ial\n");
  REQUIRE(reader.next()->text == "partial");
}

TEST_CASE("a corked FdChannel writes the corking thread's frames at flush", "[stdio][cork]") {
  Pipe pipe;
  mcp::FdChannel out(pipe.write_end());
  out.cork();
  REQUIRE(out.send({{"n", 1}}));
  REQUIRE(out.send({{"n", 2}}));
  CHECK(pipe.available().empty());
  REQUIRE(out.flush());
  CHECK(lines_of(pipe.available()) == std::vector<std::string>{R"({"n":1})", R"({"n":2})"});
  REQUIRE(out.flush());  // nothing collected: nothing written
  CHECK(pipe.available().empty());
}

TEST_CASE("another thread's frame goes out at once, after the collected ones", "[stdio][cork]") {
  Pipe pipe;
  mcp::FdChannel out(pipe.write_end());
  out.cork();
  REQUIRE(out.send({{"n", 1}}));
  std::thread other([&] { CHECK(out.send({{"n", 2}})); });
  other.join();
  CHECK(lines_of(pipe.available()) == std::vector<std::string>{R"({"n":1})", R"({"n":2})"});
  std::thread alone([&] { CHECK(out.send({{"n", 3}})); });  // nothing collected: written alone
  alone.join();
  CHECK(lines_of(pipe.available()) == std::vector<std::string>{R"({"n":3})"});
}

TEST_CASE("a corked FdChannel writes once kCorkBytes are collected", "[stdio][cork]") {
  Pipe pipe;
  mcp::FdChannel out(pipe.write_end());
  out.cork();
  std::size_t collected = 0;
  std::size_t frames = 0;
  while (collected < mcp::FdChannel::kCorkBytes) {
    CHECK(pipe.available().empty());  // below the limit: still held
    REQUIRE(out.send({{"n", 10 + frames}}));
    collected += std::string(R"({"n":10})").size() + 1;
    ++frames;
  }
  // The frame that reached the limit sent everything collected, in order.
  const auto lines = lines_of(pipe.available());
  REQUIRE(lines.size() == frames);
  CHECK(lines.front() == R"({"n":10})");
  CHECK(lines.back() == R"({"n":)" + std::to_string(9 + frames) + "}");
  REQUIRE(out.send({{"n", 1}}));  // collecting starts again
  CHECK(pipe.available().empty());
}

TEST_CASE("a closed corked FdChannel refuses sends and flushes", "[stdio][cork]") {
  Pipe pipe;
  mcp::FdChannel out(pipe.write_end());
  out.cork();
  REQUIRE(out.send({{"n", 1}}));
  out.close();
  CHECK_FALSE(out.send({{"n", 2}}));
  CHECK_FALSE(out.flush());
  CHECK(pipe.available().empty());
}

TEST_CASE("serve_stdio answers a burst of requests sent in one write", "[stdio][cork]") {
  mcp::Server server{mcp::ServerOptions{{"burst", "1", ""}, "", 100, mcp::LogLevel::kInfo}};
  mcp::Executor executor;
  Pipe in;
  Pipe out;
  std::string burst =
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
      R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"
      "\n"
      R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
      "\n";
  constexpr int kPings = 200;
  for (int i = 1; i <= kPings; ++i) {
    burst += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) + R"(,"method":"ping"})" + "\n";
  }
  in.write_all(burst);
  in.close_write();
  mcp::StdioOptions options;
  options.in_fd = in.read_end();
  options.out_fd = out.write_end();
  CHECK(mcp::serve_stdio(server, executor, options) == 0);
  const auto answers = lines_of(out.available());
  REQUIRE(answers.size() == kPings + 1);
  CHECK(mcp::Json::parse(answers.front())["id"] == 0);
  for (int i = 1; i <= kPings; ++i) {  // ping runs inline: answered in request order
    const auto answer = mcp::Json::parse(answers[static_cast<std::size_t>(i)]);
    CHECK(answer["id"] == i);
    CHECK(answer["result"] == mcp::Json::object());
  }
}
