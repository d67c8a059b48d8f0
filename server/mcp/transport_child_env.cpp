#include "mcp/transport_child.hpp"

#include <unistd.h>

#include <cstdlib>

namespace mcp {

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string expand_env_refs(std::string_view text, const EnvLookup& lookup) {
  static constexpr std::string_view kOpen = "${env:";
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto start = text.find(kOpen, pos);
    if (start == std::string_view::npos) break;
    const auto end = text.find('}', start + kOpen.size());
    if (end == std::string_view::npos) break;
    out.append(text.substr(pos, start - pos));
    const std::string name(text.substr(start + kOpen.size(), end - start - kOpen.size()));
    if (auto value = lookup ? lookup(name) : std::nullopt) out += *value;
    pos = end + 1;
  }
  out.append(text.substr(pos));
  return out;
}

std::vector<std::string> build_child_env(const std::map<std::string, std::string>& configured,
                                         const EnvLookup& lookup) {
  std::map<std::string, std::string> env;
  for (const auto& name : inherited_env_names()) {
    if (auto value = lookup ? lookup(name) : std::nullopt) env[name] = *value;
  }
  for (const auto& [name, value] : configured) env[name] = expand_env_refs(value, lookup);
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::optional<std::string> find_in_path(const std::string& command, const std::string& path) {
  if (command.empty()) return std::nullopt;
  if (command.find('/') != std::string::npos) return command;
  std::size_t pos = 0;
  for (;;) {
    const auto colon = path.find(':', pos);
    const auto length = colon == std::string::npos ? std::string::npos : colon - pos;
    const std::string_view dir = std::string_view(path).substr(pos, length);
    std::string candidate(dir.empty() ? std::string_view(".") : dir);
    candidate.append("/").append(command);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) return std::nullopt;
    pos = colon + 1;
  }
}

}  // namespace mcp
