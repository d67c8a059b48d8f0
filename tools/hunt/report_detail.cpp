// report_detail.cpp — see report_detail.hpp.
#include "tools/hunt/report_detail.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <set>

#include "tools/hunt/hunt_text.hpp"

namespace hunt::report {

std::string join(const std::vector<std::string>& items, std::size_t max, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? sep : "") + items[i];
  if (items.size() > max) {
    out += (max ? sep : "") + "… " + std::to_string(items.size() - max) + " more";
  }
  return out;
}

std::string inline_code(const std::string& text, std::size_t max_chars) {
  std::string clean;
  for (char c : text) {
    clean.push_back(c == '`' ? '\'' : (c == '\n' || c == '\r' || c == '\t') ? ' ' : c);
  }
  return "`" + truncate_text(clean, max_chars) + "`";
}

std::string source_label(const Finding& f) {
  if (!f.source_host.empty()) return f.source_host;
  if (!f.source_ip.empty()) return f.source_ip;
  if (!f.user.empty()) return "user " + f.user;
  return "unknown source";
}

std::string movement_label(const Finding& f, std::size_t max_targets) {
  const bool local = !f.source_host.empty() && !f.targets.empty() &&
                     std::all_of(f.targets.begin(), f.targets.end(),
                                 [&](const std::string& t) { return t == f.source_host; });
  return local ? " (local execution, no remote target)" : " → " + join(f.targets, max_targets);
}

std::string example_line(const Evidence& ev, std::size_t max_chars) {
  std::string what;
  if (!ev.service_name.empty()) {
    what = "service " + ev.service_name + " = " + ev.command_line;
  } else if (!ev.command_line.empty()) {
    what = ev.parent.empty() ? ev.command_line
                             : std::string(basename(ev.parent)) + " → " + ev.command_line;
  } else if (!ev.object.empty()) {
    what = ev.object;
  } else if (!ev.process.empty()) {
    what = ev.process;
  } else {
    what = ev.indicator;
  }
  std::string where = ev.target_host.empty() ? ev.target_ip : ev.target_host;
  std::string who = ev.user.empty() ? "" : " (" + ev.user + ")";
  return ev.time + " " + where + who + ": " + inline_code(what, max_chars);
}

std::string time_range(const std::string& first, const std::string& last) {
  // RFC 3339 "YYYY-MM-DDTHH:MM:SS…": same day → "YYYY-MM-DD HH:MM–HH:MMZ".
  if (first.size() >= 16 && last.size() >= 16 && first.compare(0, 10, last, 0, 10) == 0) {
    std::string out = first.substr(0, 10) + " " + first.substr(11, 5);
    if (last.compare(11, 5, first, 11, 5) != 0) out += "–" + last.substr(11, 5);
    return out + "Z";
  }
  if (first == last) return first;
  return first + " … " + last;
}

std::vector<std::string> strongest_reasons(const std::vector<std::string>& reasons,
                                           std::size_t max_chars) {
  auto points = [](const std::string& reason) {
    int value = 0;
    std::size_t i = (reason.starts_with("+") || reason.starts_with("-")) ? 1 : 0;
    for (; i < reason.size() && std::isdigit(static_cast<unsigned char>(reason[i])); ++i) {
      value = value * 10 + (reason[i] - '0');
    }
    return value;
  };
  std::vector<std::string> out(reasons.begin(), reasons.end());
  std::stable_sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    return points(a) > points(b);
  });
  for (auto& r : out) r = truncate_text(r, max_chars);
  return out;
}

std::string time_text(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::int64_t seconds = ms / 1000;
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::string base = format_time(seconds);  // ends in Z
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", millis);
  return base.substr(0, base.size() - 1) + frac + "Z";
}

std::string duration_text(std::int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms < 60'000) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
    return buf;
  }
  return std::to_string(ms / 60'000) + " min " + std::to_string((ms % 60'000) / 1000) + " s";
}

std::vector<std::string> techniques_hunted(const HuntResult& result) {
  std::set<std::string> ids;
  for (const auto& q : result.queries) {
    if (!q.technique.empty()) ids.insert(q.technique);
  }
  for (const auto& f : result.findings) ids.insert(f.techniques.begin(), f.techniques.end());
  return {ids.begin(), ids.end()};
}

std::string verdict_title(const HuntResult& result) {
  if (result.status == "planned") return "PLANNED (dry run)";
  if (result.verdict.empty()) return to_upper(result.status.empty() ? "unknown" : result.status);
  std::string out = to_upper(result.verdict);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

}  // namespace hunt::report
