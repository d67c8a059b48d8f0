// lmhunt_bench_load: load generator for an MCP server's tools/call of the
// trivial `echo` tool (see docs/benchmarks.md).
//
//   lmhunt_bench_load --transport http  [--threads N] [common] -- SERVER_CMD...
//   lmhunt_bench_load --transport stdio [--window K]  [common] -- SERVER_CMD...
//   common: [--duration S] [--warmup S] [--label NAME]
//
// It spawns SERVER_CMD itself (so it knows the pid). HTTP: the server must
// print its endpoint URL (http://HOST:PORT/PATH) as its first stdout line; N
// threads each open one keep-alive connection, initialize their own session
// and call the tool in a closed loop. stdio: one writer keeps K requests
// outstanding on the server's stdin and a reader matches the responses. After
// a warm-up, requests completed in the measured window give requests/s and
// the p50/p99 latencies; the server's VmHWM gives its peak RSS and its
// utime+stime over the window the CPU cost per request. The last stdout line
// is machine-readable: RESULT key=value...
#include <simdjson.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "raw_http.hpp"
#include "subprocess.hpp"

namespace {

using bench::Child;
using bench::read_line;
using bench::write_line;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using Micros = std::chrono::duration<float, std::micro>;

struct Options {
  std::string transport;
  int threads = 4;
  int window = 64;
  double duration_s = 5;
  double warmup_s = 1;
  std::string label = "server";
  std::vector<std::string> command;
};

enum Phase : int { kWarmup, kMeasure, kStop };

// Run is the state shared by the clients of one benchmark run.
struct Run {
  std::atomic<int> phase{kWarmup};
  std::atomic<int> ready{0};  // clients done with their handshake
  std::atomic<long> errors{0};
  std::atomic<long> sse_responses{0};  // HTTP calls answered with an SSE stream
  std::mutex mu;
  std::vector<float> latencies_us;  // measured phase only
  std::string first_error;

  void fail(const std::string& why) {
    errors.fetch_add(1);
    std::lock_guard lock(mu);
    if (first_error.empty()) first_error = why;
  }
  void record(const std::vector<float>& samples) {
    std::lock_guard lock(mu);
    latencies_us.insert(latencies_us.end(), samples.begin(), samples.end());
  }
};

// --- messages ---------------------------------------------------------------

const std::string kInitialize =
    R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"lmhunt_bench_load","version":"0.1.0"}}})";
const std::string kInitialized = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";

std::string echo_text(long long id) {
  return "hello " + std::to_string(id);
}

std::string call_request(long long id) {
  return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
         R"(,"method":"tools/call","params":{"name":"echo","arguments":{"text":")" + echo_text(id) +
         R"("}}})";
}

// The answers to the measured calls are checked with simdjson, not
// nlohmann::json: the generator shares the machine's CPUs with the server it
// measures, and building an nlohmann tree of every answer cost it ≈ 1.5 µs per
// call. Every answer is still read whole and checked (id, text, isError).
using Element = simdjson::dom::element;

// parse_answer reads one JSON text; false when it is not JSON.
bool parse_answer(std::string_view text, Element& out) {
  thread_local simdjson::dom::parser parser;
  return !parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(out);
}

// id_of is a message's integer id, or -1 when it has none (a notification).
long long id_of(Element message) {
  std::int64_t id = -1;
  return message["id"].get(id) ? -1 : id;
}

// check_echo returns an empty string when `message` is the right answer to
// tools/call `id`, else why not.
std::string check_echo(Element message, long long id) {
  if (id_of(message) != id) return "wrong or missing id";
  std::string_view text;
  bool is_error = false;
  const auto flag = message["result"]["isError"];
  const bool text_ok =
      !message["result"]["content"].at(0)["text"].get(text) && text == echo_text(id);
  if (!text_ok || (flag.error() != simdjson::NO_SUCH_FIELD && (flag.get(is_error) || is_error))) {
    return "unexpected answer " + simdjson::minify(message);
  }
  return {};
}

// --- HTTP -------------------------------------------------------------------

bool is_sse(const bench::RawResponse& res) {
  return res.header("content-type").rfind("text/event-stream", 0) == 0;
}

// messages_of is the JSON-RPC messages' texts in a body that is either one
// JSON object or an SSE stream (Streamable HTTP allows both; the SSE stream
// may carry notifications first and a priming event with no data).
std::vector<std::string> messages_of(const bench::RawResponse& res) {
  if (!is_sse(res)) return {res.body};
  std::vector<std::string> out;
  std::istringstream lines(res.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("data:", 0) == 0) out.push_back(line.substr(5));
  }
  return out;
}

// check_answer checks the answer to tools/call `id` in `res`.
std::string check_answer(const bench::RawResponse& res, long long id) {
  Element message;
  if (!is_sse(res)) {
    return parse_answer(res.body, message) ? check_echo(message, id)
                                           : "an answer that is not JSON: " + res.body;
  }
  for (const auto& text : messages_of(res)) {
    if (parse_answer(text, message) && id_of(message) == id) return check_echo(message, id);
  }
  return "no answer in the SSE stream: " + res.body;
}

// initialize_result is the result of the initialize answer in `res`.
Json initialize_result(const bench::RawResponse& res) {
  for (const auto& text : messages_of(res)) {
    Json message = Json::parse(text, nullptr, false);
    if (message.is_object() && message.contains("result")) return message["result"];
  }
  return nullptr;
}

constexpr const char* kJsonPost =
    "Accept: application/json, text/event-stream\r\nContent-Type: application/json\r\n";

void http_client(const std::string& url, Run& run) {
  bench::RawHttpConnection http;
  bench::RawResponse res;
  std::string error;
  std::string headers = kJsonPost;
  const bool init_ok =
      http.connect(url, error) && http.request("POST", headers, kInitialize, res, error);
  const Json init_result = init_ok ? initialize_result(res) : Json();
  if (!init_ok || res.status != 200 || !init_result.is_object()) {
    run.fail("initialize failed: " +
             (init_ok ? std::to_string(res.status) + " " + res.body : error));
    run.ready.fetch_add(1);
    return;
  }
  headers += "Mcp-Session-Id: " + res.header("mcp-session-id") +
             "\r\nMCP-Protocol-Version: " + init_result.value("protocolVersion", "") + "\r\n";
  if (!http.request("POST", headers, kInitialized, res, error) || res.status != 202) {
    run.fail("notifications/initialized was not accepted: " + error);
  }
  run.ready.fetch_add(1);  // calls made before the measured window are the warm-up

  std::vector<float> samples;
  samples.reserve(1 << 20);
  long sse = 0;
  for (long long id = 1; run.phase.load() != kStop; ++id) {
    const auto start = Clock::now();
    const bool sent = http.request("POST", headers, call_request(id), res, error);
    const float elapsed = Micros(Clock::now() - start).count();
    std::string why = !sent               ? "request failed: " + error
                      : res.status != 200 ? "HTTP " + std::to_string(res.status)
                                          : check_answer(res, id);
    if (!why.empty()) {
      run.fail(why);
      if (!sent) break;  // the connection is unusable
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    sse += is_sse(res) ? 1 : 0;
    if (run.phase.load() == kMeasure) samples.push_back(elapsed);
  }
  run.sse_responses.fetch_add(sse);
  run.record(samples);
  http.request("DELETE", headers, "", res, error);  // end the session (405 is fine)
}

// --- stdio ------------------------------------------------------------------

// StdioClient is what the stdio writer and reader share: the window of
// outstanding calls and when each was sent.
struct StdioClient {
  explicit StdioClient(int window_size) : window(window_size), size(window_size) {}
  std::counting_semaphore<> window;
  int size;
  std::mutex mu;
  std::unordered_map<long long, Clock::time_point> sent;
};

bool stdio_initialize(Child& child) {
  std::string reply;
  return write_line(child.in, kInitialize) && read_line(child.out, reply) &&
         Json::parse(reply, nullptr, false).contains("result") &&
         write_line(child.in, kInitialized);
}

void stdio_writer(int fd, Run& run, StdioClient& c) {
  run.ready.fetch_add(1);
  std::string batch;
  for (long long id = 1; run.phase.load() != kStop;) {
    if (!c.window.try_acquire_for(std::chrono::milliseconds(100))) continue;
    // Every free slot of the window goes out in one write, as a client that
    // has several calls ready would send them.
    int n = 1;
    while (n < c.size && c.window.try_acquire()) ++n;
    batch.clear();
    {
      std::lock_guard lock(c.mu);
      const auto now = Clock::now();
      for (int k = 0; k < n; ++k) c.sent.emplace(id + k, now);
    }
    for (int k = 0; k < n; ++k) {
      if (k > 0) batch.push_back('\n');
      batch += call_request(id++);
    }
    if (!write_line(fd, batch)) return run.fail("the server's stdin closed");
  }
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  for (int k = 0; k < c.size; ++k) {  // wait (bounded) for the outstanding calls
    if (!c.window.try_acquire_until(deadline)) break;
  }
}

void stdio_reader(FILE* in, Run& run, StdioClient& c) {
  std::vector<float> samples;
  samples.reserve(1 << 22);
  for (std::string line; read_line(in, line);) {
    const auto now = Clock::now();
    Element message;
    if (!parse_answer(line, message)) {
      run.fail("a line that is not JSON: " + line);
      continue;
    }
    const long long id = id_of(message);
    if (id < 0 && message["id"].error() == simdjson::NO_SUCH_FIELD) continue;  // a notification
    Clock::time_point start;
    {
      std::lock_guard lock(c.mu);
      auto it = c.sent.find(id);
      if (it == c.sent.end()) {
        run.fail("response to an unknown id: " + line);
        continue;
      }
      start = it->second;
      c.sent.erase(it);
    }
    c.window.release();
    if (auto why = check_echo(message, id); !why.empty()) {
      run.fail(why);
    } else if (run.phase.load() == kMeasure) {
      samples.push_back(Micros(now - start).count());
    }
  }
  run.record(samples);
}

// --- driver -----------------------------------------------------------------

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "lmhunt_bench_load: %s\nusage: lmhunt_bench_load --transport http|stdio "
               "[--threads N] [--window K] [--duration S] [--warmup S] [--label NAME] -- "
               "SERVER_CMD [ARGS...]\n",
               why.c_str());
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  const std::map<std::string, std::function<void(const std::string&)>> flags = {
      {"--transport", [&](const std::string& v) { o.transport = v; }},
      {"--threads", [&](const std::string& v) { o.threads = std::stoi(v); }},
      {"--window", [&](const std::string& v) { o.window = std::stoi(v); }},
      {"--duration", [&](const std::string& v) { o.duration_s = std::stod(v); }},
      {"--warmup", [&](const std::string& v) { o.warmup_s = std::stod(v); }},
      {"--label", [&](const std::string& v) { o.label = v; }}};
  int i = 1;
  for (; i < argc && std::strcmp(argv[i], "--") != 0; i += 2) {
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 >= argc) usage(std::string("bad option ") + argv[i]);
    flag->second(argv[i + 1]);
  }
  for (++i; i < argc; ++i) o.command.emplace_back(argv[i]);
  if (o.transport != "http" && o.transport != "stdio") usage("--transport must be http or stdio");
  if (o.command.empty()) usage("no server command after --");
  if (o.threads < 1 || o.window < 1 || o.duration_s <= 0 || o.warmup_s < 0) usage("bad value");
  return o;
}

// report prints the RESULT line (after the first error, if any).
void report(const Options& o, Run& run, double elapsed, double cpu, double own_cpu, double rss) {
  auto& lat = run.latencies_us;
  std::sort(lat.begin(), lat.end());
  const auto n = static_cast<double>(lat.size());
  auto ms = [&](double p) {
    return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, std::size_t(p * n))] / 1000.0;
  };
  const double rps = n / elapsed;
  const double cpu_us = lat.empty() ? 0 : cpu * 1e6 / n;
  const double own_us = lat.empty() ? 0 : own_cpu * 1e6 / n;
  const char* response = o.transport == "stdio" ? "line" : run.sse_responses ? "sse" : "json";
  if (!run.first_error.empty()) std::printf("first error: %s\n", run.first_error.c_str());
  std::printf(
      "RESULT label=%s transport=%s requests=%zu rps=%.0f p50_ms=%.3f p99_ms=%.3f "
      "rss_mib=%.1f cpu_us_per_req=%.1f load_cpu_us_per_req=%.1f errors=%ld response=%s\n",
      o.label.c_str(), o.transport.c_str(), lat.size(), rps, ms(0.50), ms(0.99), rss, cpu_us,
      own_us, run.errors.load(), response);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  Child child = bench::spawn(o.command);
  if (child.pid < 0) usage("cannot start " + o.command[0]);

  Run run;
  std::string url;
  StdioClient stdio(o.window);
  std::vector<std::thread> senders;  // end by themselves once the phase is kStop
  std::thread reader;                // stdio: ends at EOF, after the server exits
  if (o.transport == "http") {
    if (!read_line(child.out, url) || url.rfind("http://", 0) != 0) {
      std::fprintf(stderr, "lmhunt_bench_load: server printed no URL (got '%s')\n", url.c_str());
      bench::stop_child(child);
      return 1;
    }
    for (int t = 0; t < o.threads; ++t) senders.emplace_back([&] { http_client(url, run); });
  } else {
    if (!stdio_initialize(child)) {
      std::fprintf(stderr, "lmhunt_bench_load: stdio initialize failed\n");
      bench::stop_child(child);
      return 1;
    }
    reader = std::thread([&] { stdio_reader(child.out, run, stdio); });
    senders.emplace_back([&] { stdio_writer(child.in, run, stdio); });
  }

  while (run.ready.load() < static_cast<int>(senders.size())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
  const double cpu_start = bench::cpu_seconds(child.pid);
  const double own_start = bench::cpu_seconds(::getpid());
  const auto start = Clock::now();
  run.phase.store(kMeasure);
  std::this_thread::sleep_for(std::chrono::duration<double>(o.duration_s));
  run.phase.store(kStop);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = bench::cpu_seconds(child.pid) - cpu_start;
  const double own_cpu = bench::cpu_seconds(::getpid()) - own_start;
  for (auto& sender : senders) sender.join();
  const double rss = bench::peak_rss_mib(child.pid);
  bench::stop_child(child);
  if (reader.joinable()) reader.join();
  std::fclose(child.out);
  report(o, run, elapsed, cpu, own_cpu, rss);
  return run.errors.load() == 0 && !run.latencies_us.empty() ? 0 : 1;
}
