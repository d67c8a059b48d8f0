// research_cache.hpp — technique research answers (get_threat_intel) kept across hunts for a TTL,
// so repeated hunts do not spend a Gemini call per technique each time (issue 5 step 2).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace hunt {

// ResearchCache maps a question to its answer until the answer is older than the TTL. Only
// successful answers are stored. Thread-safe.
class ResearchCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ResearchCache(std::chrono::seconds ttl,
                         std::function<Clock::time_point()> now = &Clock::now);

  std::optional<std::string> get(const std::string& question) const;
  void put(const std::string& question, std::string answer);
  std::size_t size() const;

 private:
  struct Entry {
    std::string answer;
    Clock::time_point stored;
  };
  std::chrono::seconds ttl_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace hunt
