// attribution.cpp — host names from pipe names and command lines (evidence.hpp). Hand-written
// scanners rather than one regex each: the list syntaxes (wmic, PowerShell) need quote-aware
// splitting that RE2 cannot express as captures of a repeated group.
#include <algorithm>
#include <cctype>

#include <re2/re2.h>

#include "tools/hunt/evidence.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

bool valid_host_label(std::string_view host) {
  if (host.empty() || host.size() > 63 || host.front() == '-') return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

void skip_blanks(std::string_view text, std::size_t& pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
}

// read_host_list reads `A`, `"A","B"`, `A,B`, `@('A','B')` starting at pos.
std::vector<std::string> read_host_list(std::string_view text, std::size_t pos) {
  std::vector<std::string> items;
  skip_blanks(text, pos);
  if (text.substr(pos, 2) == "@(") pos += 2;
  while (pos < text.size()) {
    skip_blanks(text, pos);
    if (pos >= text.size()) break;
    std::string item;
    char quote = text[pos];
    if (quote == '"' || quote == '\'') {
      auto close = text.find(quote, pos + 1);
      if (close == std::string_view::npos) close = text.size();
      item = std::string(text.substr(pos + 1, close - pos - 1));
      pos = std::min(close + 1, text.size());
    } else {
      auto end = text.find_first_of(" \t,)\"';", pos);
      if (end == std::string_view::npos) end = text.size();
      item = std::string(text.substr(pos, end - pos));
      pos = end;
    }
    items.push_back(std::move(item));
    skip_blanks(text, pos);
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
      continue;
    }
    break;
  }
  return items;
}

void add_targets(std::vector<std::string>& out, const std::vector<std::string>& items) {
  for (const auto& raw : items) {
    std::string_view item = raw;
    if (item.empty() || item.front() == '$' || item.front() == '@' ||
        item.find('*') != std::string_view::npos || is_loopback_or_unset(item)) {
      continue;
    }
    std::string host = short_host(item);
    if (host.empty()) continue;
    if (std::none_of(out.begin(), out.end(), [&](const auto& h) { return iequals(h, host); })) {
      out.push_back(host);
    }
  }
}

}  // namespace

std::optional<std::string> host_from_pipe_name(std::string_view pipe) {
  auto slash = pipe.find_last_of('\\');
  if (slash != std::string_view::npos) pipe = pipe.substr(slash + 1);
  bool stdio = false;
  for (std::string_view suffix : {"-stdin", "-stdout", "-stderr"}) {
    if (iends_with(pipe, suffix)) {
      pipe.remove_suffix(suffix.size());
      stdio = true;
      break;
    }
  }
  if (!stdio) return std::nullopt;
  auto dash = pipe.rfind('-');
  if (dash == std::string_view::npos || !all_digits(pipe.substr(dash + 1))) return std::nullopt;
  pipe = pipe.substr(0, dash);  // "<service>-<HOST>"
  std::string_view host;
  if (istarts_with(pipe, "PSEXESVC-")) {
    host = pipe.substr(9);
  } else {
    auto first = pipe.find('-');
    if (first == std::string_view::npos || first == 0) return std::nullopt;
    host = pipe.substr(first + 1);
  }
  if (!valid_host_label(host)) return std::nullopt;
  return short_host(host);
}

bool is_remote_exec_client(std::string_view image, std::string_view original_file_name) {
  static const RE2 kClient(R"((?i)^(psexec(64)?|paexec|remcom|csexec)(\.exe)?$)");
  return RE2::FullMatch(std::string(basename(image)), kClient) ||
         iequals(basename(original_file_name), "psexec.c") ||
         RE2::FullMatch(std::string(basename(original_file_name)), kClient);
}

std::vector<std::string> command_line_targets(std::string_view command_line, std::string_view image,
                                              std::string_view original_file_name) {
  std::vector<std::string> out;
  const std::string text = html_unescape(command_line);
  const std::string lower = to_lower(text);
  const std::string_view view = text;

  // wmic /node:<list> (possibly several /node: switches).
  for (auto pos = lower.find("/node:"); pos != std::string::npos;
       pos = lower.find("/node:", pos + 6)) {
    add_targets(out, read_host_list(view, pos + 6));
  }

  // psexec-family and sc.exe: the first `\\X[,Y]` argument.
  static const RE2 kUncClient(
      R"((?i)(^|[\\/\s"'])(psexec(64)?|paexec|remcom|csexec|sc)(\.exe)?["']?(\s|$))");
  if (is_remote_exec_client(image, original_file_name) || iequals(basename(image), "sc.exe") ||
      RE2::PartialMatch(text, kUncClient)) {
    std::size_t pos = 0;
    while (pos < view.size()) {
      skip_blanks(view, pos);
      auto end = view.find_first_of(" \t", pos);
      if (end == std::string_view::npos) end = view.size();
      std::string_view token = view.substr(pos, end - pos);
      pos = end;
      while (!token.empty() && (token.front() == '"' || token.front() == '\''))
        token.remove_prefix(1);
      while (!token.empty() && (token.back() == '"' || token.back() == '\''))
        token.remove_suffix(1);
      if (token.starts_with("\\\\") && token.size() > 2 &&
          token.substr(2).find('\\') == std::string_view::npos) {
        add_targets(out, read_host_list(token.substr(2), 0));
        break;
      }
    }
  }

  // PowerShell -ComputerName / -CN lists (Invoke-WmiMethod, Get-WmiObject, Invoke-CimMethod,
  // New-CimSession, Invoke-Command ...).
  static const RE2 kComputerName(R"((?i)(-(?:computername|cn)\b\s*:?\s*))");
  re2::StringPiece input(text);
  re2::StringPiece match;
  while (RE2::FindAndConsume(&input, kComputerName, &match)) {
    add_targets(out, read_host_list(view, static_cast<std::size_t>(input.data() - text.data())));
  }

  // winrs -r:X / -remote:X
  static const RE2 kWinrs(R"((?i)(?:^|[\s/\\])winrs(?:\.exe)?\s.*?-r(?:emote)?:([^\s"']+))");
  std::string winrs_host;
  if (RE2::PartialMatch(text, kWinrs, &winrs_host)) add_targets(out, {winrs_host});
  return out;
}

}  // namespace hunt
