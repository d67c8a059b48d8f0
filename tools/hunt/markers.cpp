// markers.cpp — markers_of (analysis.hpp): payload and attack-tool patterns of one event,
// after detections.md §2 rows 2, 3, 7, 10, 14 and the runbook's "suspicious commands".
#include <algorithm>
#include <cctype>
#include <memory>

#include <re2/re2.h>

#include "tools/hunt/analysis.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

struct Pattern {
  const char* kind;
  const char* category;
  const char* label;
  int points;
  const char* regex;  // RE2, matched against the event's text (command lines, paths, names)
};

// The patterns are data in one table so that a new one is one line.
const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> kPatterns = {
      {"payload", "encoded_powershell", "encoded PowerShell", 20,
       R"((?i)(powershell|pwsh)(\.exe)?["']?\s.*\s[-/]e(nc(odedcommand)?|c)?\s+[A-Za-z0-9+/=]{16,}|frombase64string)"},
      {"payload", "download_cradle", "PowerShell download cradle", 20,
       R"((?i)(downloadstring|downloadfile|net\.webclient|invoke-webrequest|\biwr\b|start-bitstransfer|\biex\b|invoke-expression))"},
      {"payload", "credential_dumping", "credential dumping", 30,
       R"((?i)(procdump(64)?(\.exe)?\s.*lsass|lsass.*\.dmp|comsvcs(\.dll)?.*minidump|mimikatz|sekurlsa|lsadump|reg(\.exe)?\s+save\s+"?hklm\\(sam|security|system)\b|ntdsutil.*(ifm|ntds)|vssadmin.*create\s+shadow))"},
      {"payload", "account_creation", "account creation", 25,
       R"((?i)\bnet1?(\.exe)?\s+(user\s+\S+(\s+\S+)?\s+/add\b|localgroup\s+.*\s/add\b|group\s+.*\s/add\b))"},
      {"payload", "recon", "reconnaissance", 10,
       R"((?i)(\bwhoami\b|\bnet1?(\.exe)?\s+(group|user|localgroup|view)\b|\bnltest\b|\bipconfig\b|\bsysteminfo\b|\bquser\b|\bnet1?(\.exe)?\s+session\b))"},
      {"tool", "impacket", "Impacket wmiexec/smbexec", 30,
       R"((?i)((cmd(\.exe)?|%comspec%)\s+/q\s+/c\s.*\\\\127\.0\.0\.1\\[a-z]+\$|1>\s*\\\\127\.0\.0\.1\\[a-z]+\$\\__\d|\\__output\b.*execute\.bat|\\windows\\__\d{6,}|btobto))"},
      {"tool", "remote_exec_kit", "RemCom/PAExec/CSExec", 15, R"((?i)(remcom|paexec|csexec))"},
  };
  return kPatterns;
}

bool is_shell(std::string_view path) {
  static const RE2 kShell(R"((?i)^(cmd|powershell|pwsh|mshta|rundll32|wscript|cscript)\.exe$)");
  return RE2::FullMatch(std::string(basename(path)), kShell);
}

bool is_lateral_parent(std::string_view path) {
  static const RE2 kParent(R"((?i)^(wmiprvse|services|psexesvc)\.exe$)");
  return RE2::FullMatch(std::string(basename(path)), kParent);
}

bool is_person(const std::string& user) {
  return !user.empty() && !user.ends_with('$') && !iequals(user, "SYSTEM") &&
         !iequals(user, "LOCAL SERVICE") && !iequals(user, "NETWORK SERVICE");
}

// random_service_name: 4/8/16 letters (Impacket psexec, Metasploit), either with an
// %systemroot%\<8 letters>.exe binary or with irregular capitalisation ("BtUvXaQe").
bool random_service_name(const Evidence& ev) {
  static const RE2 kLetters(R"(^([A-Za-z]{4}|[A-Za-z]{8}|[A-Za-z]{16})$)");
  static const RE2 kBinary(R"((?i)^%systemroot%\\[a-z]{8}\.exe$)");
  const std::string& name = ev.service_name;
  if (!RE2::FullMatch(name, kLetters)) return false;
  if (iequals(name, "PSEXESVC") || iequals(name, "PAEXEC") || iequals(name, "REMCOMSVC")) {
    return false;
  }
  int switches = 0;
  for (std::size_t i = 1; i < name.size(); ++i) {
    if (std::isupper(static_cast<unsigned char>(name[i])) !=
        std::isupper(static_cast<unsigned char>(name[i - 1]))) {
      ++switches;
    }
  }
  return RE2::FullMatch(ev.command_line, kBinary) || RE2::FullMatch(ev.process, kBinary) ||
         switches >= 3;
}

void add(std::vector<Marker>& out, Marker m) {
  if (std::none_of(out.begin(), out.end(),
                   [&](const Marker& x) { return x.category == m.category; })) {
    out.push_back(std::move(m));
  }
}

}  // namespace

std::vector<Marker> markers_of(const Evidence& ev) {
  std::vector<Marker> out;
  static const std::vector<std::unique_ptr<RE2>> kCompiled = [] {
    std::vector<std::unique_ptr<RE2>> compiled;
    for (const auto& p : patterns()) compiled.push_back(std::make_unique<RE2>(p.regex));
    return compiled;
  }();
  for (std::size_t i = 0; i < patterns().size(); ++i) {
    const Pattern& p = patterns()[i];
    for (std::string_view field :
         {std::string_view(ev.command_line), std::string_view(ev.process),
          std::string_view(ev.object), std::string_view(ev.service_name)}) {
      if (!field.empty() &&
          RE2::PartialMatch(re2::StringPiece(field.data(), field.size()), *kCompiled[i])) {
        add(out, {p.kind, p.category, p.label, p.points, truncate_text(field, 80)});
        break;
      }
    }
  }
  if (is_shell(ev.process) && is_lateral_parent(ev.parent) && is_person(ev.user)) {
    add(out, {"payload", "shell_for_user", "shell spawned by " + std::string(basename(ev.parent)),
              10, truncate_text(ev.command_line.empty() ? ev.process : ev.command_line, 80)});
  }
  // Renamed PsExec: OriginalFileName psexec.c under another image name, a PsExec-shaped stdio
  // pipe or service binary under another service name.
  const std::string image = to_lower(basename(ev.process));
  const bool psexec_image = image == "psexec.exe" || image == "psexec64.exe";
  const std::string pipe = std::string(basename(ev.object));
  if ((iequals(basename(ev.original_file_name), "psexec.c") && !psexec_image) ||
      (!pipe.empty() && RE2::FullMatch(pipe, R"((?i)^[^-]+-.+-\d+-std(in|out|err)$)") &&
       !istarts_with(pipe, "PSEXESVC-")) ||
      (!ev.service_name.empty() && icontains(ev.command_line, "psexesvc") &&
       !iequals(ev.service_name, "PSEXESVC"))) {
    add(out, {"tool", "renamed_psexec", "renamed PsExec", 20,
              truncate_text(!ev.object.empty() ? ev.object : ev.process, 80)});
  }
  if (random_service_name(ev)) {
    add(out, {"tool", "random_service", "random service name", 20, ev.service_name});
  }
  static const RE2 kShellService(
      R"((?i)(%comspec%|cmd(\.exe)?"?\s+/[cqk]\b|powershell|\\\\127\.0\.0\.1\\|\.bat\s*&\s*del\b))");
  if (!ev.service_name.empty() && RE2::PartialMatch(ev.command_line, kShellService)) {
    add(out, {"tool", "shell_service", "service running a shell (%COMSPEC%)", 25,
              truncate_text(ev.command_line, 80)});
  }
  return out;
}

}  // namespace hunt
