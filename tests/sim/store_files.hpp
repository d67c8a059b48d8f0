// store_files.hpp — temporary files for the event store tests (a fresh directory per test,
// removed at the end) and a small UDM event builder.
#pragma once

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace store_test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("lmhunt-store-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // write creates name with exactly bytes and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const auto file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// udm_event builds a small UDM event of type at time (RFC 3339) on host.
inline nlohmann::json udm_event(const std::string& type, const std::string& time,
                                const std::string& host, const std::string& process = "") {
  nlohmann::json event = {{"metadata", {{"event_type", type}, {"event_timestamp", time}}},
                          {"principal", {{"hostname", host}}}};
  if (!process.empty()) event["target"]["process"]["file"]["full_path"] = process;
  return event;
}

}  // namespace store_test
