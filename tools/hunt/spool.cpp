// spool.cpp — the comment spool's file format, reading and writing (spool.hpp).
#include "tools/hunt/spool.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/report.hpp"

namespace hunt {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeaderStart = "<!-- lmhunt spooled comment ";
constexpr std::string_view kFirstFormatStart = "<!-- lmhunt spooled comment; case: ";
constexpr std::string_view kHeaderEnd = " -->";
constexpr std::uintmax_t kMaxSpoolFileBytes = 16 * 1024 * 1024;

mcp::Error spool_error(const std::string& path, const std::string& why) {
  return mcp::Error{kSpoolError, path + ": " + why};
}

bool valid_hunt_id(const std::string& id) {
  return !id.empty() && id.size() <= 200 && id != "." && id != ".." &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
         });
}

// marker_hunt_id finds the hunt id on the comment's marker line ("lmhunt hunt <id>").
std::string marker_hunt_id(const std::string& comment) {
  const std::string prefix = comment_marker("");
  std::istringstream lines(comment);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return {};
}

std::string escape_gt(std::string json) {
  // '>' only occurs inside JSON strings, where \u003e means the same character.
  std::string out;
  for (char c : json) out += c == '>' ? std::string("\\u003e") : std::string(1, c);
  return out;
}

std::string now_rfc3339() {
  return format_time(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
}

}  // namespace

std::string spool_file_text(const SpooledComment& s) {
  const mcp::Json header = {{"version", kSpoolFormatVersion},
                            {"hunt_id", s.hunt_id},
                            {"case_id", s.case_id},
                            {"spooled_at", s.spooled_at}};
  return std::string(kHeaderStart) + escape_gt(header.dump()) + std::string(kHeaderEnd) + "\n" +
         s.comment + "\n";
}

mcp::Result<SpooledComment> parse_spool_file(const std::string& text, const std::string& path) {
  const auto newline = text.find('\n');
  if (newline == std::string::npos) return spool_error(path, "no header line (empty or cut off)");
  std::string header = text.substr(0, newline);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  SpooledComment s;
  s.path = path;
  s.comment = text.substr(newline + 1);
  while (!s.comment.empty() && (s.comment.back() == '\n' || s.comment.back() == '\r')) {
    s.comment.pop_back();
  }
  if (!header.ends_with(kHeaderEnd)) {
    return spool_error(path, "the first line is not an lmhunt spool header");
  }
  if (header.rfind(kFirstFormatStart, 0) == 0) {
    s.case_id = header.substr(kFirstFormatStart.size(),
                              header.size() - kFirstFormatStart.size() - kHeaderEnd.size());
    if (s.case_id == "none") s.case_id.clear();
    s.hunt_id = marker_hunt_id(s.comment);
  } else if (header.rfind(kHeaderStart, 0) == 0) {
    const std::string json =
        header.substr(kHeaderStart.size(), header.size() - kHeaderStart.size() - kHeaderEnd.size());
    const auto parsed = mcp::Json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return spool_error(path, "the header is not valid JSON");
    }
    if (parsed.value("version", 0) != kSpoolFormatVersion) {
      return spool_error(path,
                         "unknown spool format version " +
                             (parsed.contains("version") ? parsed["version"].dump() : "(none)"));
    }
    auto text_field = [&](const char* key) -> mcp::Result<std::string> {
      if (!parsed.contains(key) || !parsed[key].is_string()) {
        return spool_error(path, std::string("the header has no string \"") + key + "\"");
      }
      return parsed[key].get<std::string>();
    };
    for (auto [key, out] : {std::pair{"hunt_id", &s.hunt_id}, std::pair{"case_id", &s.case_id},
                            std::pair{"spooled_at", &s.spooled_at}}) {
      auto value = text_field(key);
      if (!value) return value.error();
      *out = std::move(value).value();
    }
  } else {
    return spool_error(path, "the first line is not an lmhunt spool header");
  }
  if (!valid_hunt_id(s.hunt_id)) {
    return spool_error(path, s.hunt_id.empty() ? "no hunt id in the header or the comment"
                                               : "'" + s.hunt_id + "' is not a hunt id");
  }
  if (s.comment.empty()) return spool_error(path, "the comment is empty");
  if (s.comment.find(comment_marker(s.hunt_id)) == std::string::npos) {
    return spool_error(path, "the comment does not carry its marker '" + comment_marker(s.hunt_id) +
                                 "' (edited or cut off?)");
  }
  return s;
}

mcp::Result<std::string> write_spool_file(const std::string& dir, SpooledComment spooled) {
  if (!valid_hunt_id(spooled.hunt_id)) {
    return spool_error(dir, "refusing to spool a comment with hunt id '" + spooled.hunt_id + "'");
  }
  if (spooled.spooled_at.empty()) spooled.spooled_at = now_rfc3339();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return spool_error(dir, "cannot create the spool directory: " + ec.message());
  const fs::path file = fs::path(dir) / (spooled.hunt_id + ".md");
  const fs::path temporary =
      fs::path(dir) / ("." + spooled.hunt_id + ".md." + std::to_string(::getpid()) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << spool_file_text(spooled);
    out.flush();
    if (!out) {
      fs::remove(temporary, ec);
      return spool_error(temporary.string(), "cannot write the spool file");
    }
  }
  fs::rename(temporary, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return spool_error(file.string(), "cannot move the spool file into place: " + ec.message());
  }
  return file.string();
}

mcp::Result<SpoolContents> read_spool(const std::string& dir) {
  SpoolContents contents;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return contents;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (p.extension() == ".md" && !name.starts_with(".")) files.push_back(p);
  }
  if (ec) return spool_error(dir, "cannot list the spool directory: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const std::string path = p.string();
    std::error_code size_ec;
    const auto size = fs::file_size(p, size_ec);
    if (size_ec || size > kMaxSpoolFileBytes) {
      contents.unreadable.push_back(
          {path, size_ec ? "cannot read: " + size_ec.message() : "larger than 16 MiB"});
      continue;
    }
    std::ifstream in(p, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      contents.unreadable.push_back({path, "cannot read the file"});
      continue;
    }
    auto parsed = parse_spool_file(text, path);
    if (!parsed) {
      contents.unreadable.push_back({path, parsed.error().message.substr(path.size() + 2)});
      continue;
    }
    contents.comments.push_back(std::move(parsed).value());
  }
  return contents;
}

mcp::Status remove_spool_file(const std::string& path) {
  std::error_code ec;
  if (!fs::remove(path, ec) || ec) {
    return spool_error(path, "cannot remove the delivered comment's file: " +
                                 (ec ? ec.message() : std::string("it is gone")));
  }
  return mcp::Ok{};
}

}  // namespace hunt
