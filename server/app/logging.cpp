#include "app/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace app {

bool known_log_level(const std::string& level) {
  return level == "off" || spdlog::level::from_str(level) != spdlog::level::off;
}

void init_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("lmhunt");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  const auto parsed = known_log_level(level) ? spdlog::level::from_str(level) : spdlog::level::info;
  spdlog::set_level(parsed);
}

int reserve_stdout_for_frames() {
  int frames = ::dup(STDOUT_FILENO);
  if (frames < 0) return -1;
  if (::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    ::close(frames);
    return -1;
  }
  return frames;
}

}  // namespace app
