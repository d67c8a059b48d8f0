// research_cache.cpp — ResearchCache (research_cache.hpp).
#include "tools/hunt/research_cache.hpp"

namespace hunt {

ResearchCache::ResearchCache(std::chrono::seconds ttl, std::function<Clock::time_point()> now)
    : ttl_(ttl), now_(std::move(now)) {}

std::optional<std::string> ResearchCache::get(const std::string& question) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(question);
  if (it == entries_.end() || now_() - it->second.stored >= ttl_) return std::nullopt;
  return it->second.answer;
}

void ResearchCache::put(const std::string& question, std::string answer) {
  std::lock_guard lock(mu_);
  const auto now = now_();
  // Drop expired answers so the map stays as small as the set of live questions.
  std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.stored >= ttl_; });
  entries_[question] = Entry{std::move(answer), now};
}

std::size_t ResearchCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace hunt
