// demo_recorder.cpp — Windows event records for the demo generator (see demo_recorder.hpp).
#include "sim/demo/demo_recorder.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "sim/event_store.hpp"

namespace sim::demo {

namespace {

constexpr const char* kSysmonChannel = "Microsoft-Windows-Sysmon/Operational";
constexpr const char* kSysmon = "Microsoft-Windows-Sysmon";
constexpr const char* kSecurity = "Microsoft-Windows-Security-Auditing";

// splitmix64 (Steele et al.): a tiny, well-mixed generator whose output is the same on every
// platform, unlike std:: distributions, whose algorithms are implementation-defined.
std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string hex_of(std::uint64_t seed, std::size_t chars) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  while (out.size() < chars) {
    std::uint64_t word = splitmix(seed);
    for (int i = 0; i < 16 && out.size() < chars; ++i, word >>= 4) out += kHex[word & 0xF];
  }
  return out;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::string file_name(const std::string& path) {
  const auto slash = path.find_last_of('\\');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string utc(Ms t) {
  return format_time(TimePoint{std::chrono::milliseconds{t}});
}

// sysmon_time is Sysmon's UtcTime format: "2026-11-20 14:02:11.123".
std::string sysmon_time(Ms t) {
  std::string text = utc(t);
  text[10] = ' ';
  text.pop_back();  // Z
  return text;
}

}  // namespace

std::string hex_id(long long value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", value);
  return buffer;
}

Ms at(int day, int hour, int minute, int second, int millis) {
  using namespace std::chrono;
  const sys_days date{year{2026} / November / day};
  return duration_cast<milliseconds>(date.time_since_epoch()).count() +
         ((hour * 60LL + minute) * 60 + second) * 1000 + millis;
}

Hashes hashes_for(std::string_view identity) {
  std::string lower(identity);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::uint64_t seed = fnv1a(lower);
  return {hex_of(seed, 64), hex_of(seed + 1, 40), hex_of(seed + 2, 32), hex_of(seed + 3, 32)};
}

std::pair<std::string, std::string> split_user(const std::string& text) {
  const auto slash = text.find('\\');
  if (slash == std::string::npos) return {"", text};
  return {text.substr(0, slash), text.substr(slash + 1)};
}

std::uint64_t Recorder::next() {
  return splitmix(state_);
}

int Recorder::below(int n) {
  return n <= 1 ? 0 : static_cast<int>(next() % static_cast<unsigned>(n));
}

int Recorder::new_pid() {
  return 4 * (300 + below(4500));
}

std::string Recorder::guid() {
  const std::string h = hex_of(next(), 32);
  return "{" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20, 12) + "}";
}

std::string Recorder::new_logon_id() {
  return hex_id(0x100000 + below(0x3FFFFFF));
}

Json Recorder::record(const Host& host, Ms t, int event_id, const char* channel,
                      const char* provider) {
  return Json{{"@timestamp", utc(t)},   {"EventID", event_id},     {"Channel", channel},
              {"SourceName", provider}, {"Hostname", host.fqdn()}, {"Severity", "INFO"}};
}

void Recorder::add(Ms t, Json record) {
  records_.emplace_back(t, std::move(record));
}

std::vector<Json> Recorder::take() {
  std::stable_sort(records_.begin(), records_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Json> out;
  out.reserve(records_.size());
  for (auto& [t, r] : records_) out.push_back(std::move(r));
  records_.clear();
  return out;
}

int Recorder::process(const Host& host, Ms t, Proc p) {
  if (p.pid == 0) p.pid = new_pid();
  if (p.parent_pid == 0) p.parent_pid = new_pid();
  const bool system = p.user == kSystemUser;
  if (p.logon_id.empty()) p.logon_id = system ? "0x3e7" : new_logon_id();
  if (p.original_file_name.empty()) p.original_file_name = file_name(p.image);
  if (p.hashes.sha256.empty()) p.hashes = hashes_for(p.image);
  if (system) p.integrity = "System";

  Json r = record(host, t, 1, kSysmonChannel, kSysmon);
  r["RuleName"] = "-";
  r["UtcTime"] = sysmon_time(t);
  r["ProcessGuid"] = guid();
  r["ProcessId"] = std::to_string(p.pid);
  r["Image"] = p.image;
  r["FileVersion"] = "-";
  r["Description"] = "-";
  r["OriginalFileName"] = p.original_file_name;
  r["CommandLine"] = p.command_line;
  r["CurrentDirectory"] = "C:\\Windows\\system32\\";
  r["User"] = p.user;
  r["LogonGuid"] = guid();
  r["LogonId"] = p.logon_id;
  r["TerminalSessionId"] = system ? "0" : "1";
  r["IntegrityLevel"] = p.integrity;
  r["Hashes"] = "SHA1=" + p.hashes.sha1 + ",MD5=" + p.hashes.md5 + ",SHA256=" + p.hashes.sha256 +
                ",IMPHASH=" + p.hashes.imphash;
  r["ParentProcessGuid"] = guid();
  r["ParentProcessId"] = std::to_string(p.parent_pid);
  r["ParentImage"] = p.parent_image;
  r["ParentCommandLine"] = p.parent_command_line;
  add(t, std::move(r));

  if (host.is_server()) {
    // Security 4688 with command-line auditing: SubjectUserName is the account that created the
    // process (the machine account for SYSTEM-started children), TargetUserName the new token's.
    const auto [domain, name] = split_user(p.user);
    Json s = record(host, t, 4688, "Security", kSecurity);
    s["SubjectUserSid"] = system ? "S-1-5-18" : "S-1-5-21-3623811015-3361044348-30300820-1104";
    s["SubjectUserName"] = system ? host.name + "$" : name;
    s["SubjectDomainName"] = system ? std::string(kDomain) : domain;
    s["SubjectLogonId"] = p.logon_id;
    s["NewProcessId"] = hex_id(p.pid);
    s["NewProcessName"] = p.image;
    s["TokenElevationType"] = "%%1936";
    s["ProcessId"] = hex_id(p.parent_pid);
    s["CommandLine"] = p.command_line;
    s["TargetUserSid"] = "S-1-0-0";
    s["TargetUserName"] = system ? "SYSTEM" : name;
    s["TargetDomainName"] = system ? "NT AUTHORITY" : domain;
    s["TargetLogonId"] = p.logon_id;
    s["ParentProcessName"] = p.parent_image;
    s["MandatoryLabel"] = system ? "S-1-16-16384" : "S-1-16-12288";
    add(t, std::move(s));
  }
  return p.pid;
}

void Recorder::network(const Host& host, Ms t, Net n) {
  if (n.src_port == 0) n.src_port = ephemeral_port();
  if (n.pid == 0) n.pid = new_pid();
  Json r = record(host, t, 3, kSysmonChannel, kSysmon);
  r["RuleName"] = "-";
  r["UtcTime"] = sysmon_time(t);
  r["ProcessGuid"] = guid();
  r["ProcessId"] = std::to_string(n.pid);
  r["Image"] = n.image;
  r["User"] = n.user;
  r["Protocol"] = "tcp";
  r["Initiated"] = n.initiated ? "true" : "false";
  r["SourceIsIpv6"] = "false";
  r["SourceIp"] = n.src_ip;
  r["SourceHostname"] = "-";
  r["SourcePort"] = std::to_string(n.src_port);
  r["SourcePortName"] = "-";
  r["DestinationIsIpv6"] = "false";
  r["DestinationIp"] = n.dst_ip;
  r["DestinationHostname"] = n.dst_host.empty() ? "-" : n.dst_host;
  r["DestinationPort"] = std::to_string(n.dst_port);
  r["DestinationPortName"] = n.dst_port == 445   ? "microsoft-ds"
                             : n.dst_port == 135 ? "epmap"
                             : n.dst_port == 443 ? "https"
                                                 : "-";
  add(t, std::move(r));
}

void Recorder::file_created(const Host& host, Ms t, const std::string& image, int pid,
                            const std::string& path, const std::string& user) {
  Json r = record(host, t, 11, kSysmonChannel, kSysmon);
  r["RuleName"] = "-";
  r["UtcTime"] = sysmon_time(t);
  r["ProcessGuid"] = guid();
  r["ProcessId"] = std::to_string(pid);
  r["Image"] = image;
  r["TargetFilename"] = path;
  r["CreationUtcTime"] = sysmon_time(t);
  r["User"] = user;
  add(t, std::move(r));
}

void Recorder::registry_set(const Host& host, Ms t, const std::string& image, int pid,
                            const std::string& key, const std::string& details) {
  Json r = record(host, t, 13, kSysmonChannel, kSysmon);
  r["RuleName"] = "-";
  r["EventType"] = "SetValue";
  r["UtcTime"] = sysmon_time(t);
  r["ProcessGuid"] = guid();
  r["ProcessId"] = std::to_string(pid);
  r["Image"] = image;
  r["TargetObject"] = key;
  r["Details"] = details;
  r["User"] = kSystemUser;
  add(t, std::move(r));
}

void Recorder::pipe(const Host& host, Ms t, bool connected, const std::string& image, int pid,
                    const std::string& name, const std::string& user) {
  Json r = record(host, t, connected ? 18 : 17, kSysmonChannel, kSysmon);
  r["RuleName"] = "-";
  r["EventType"] = connected ? "ConnectPipe" : "CreatePipe";
  r["UtcTime"] = sysmon_time(t);
  r["ProcessGuid"] = guid();
  r["ProcessId"] = std::to_string(pid);
  r["PipeName"] = name;
  r["Image"] = image;
  r["User"] = user;
  add(t, std::move(r));
}

void Recorder::wmi_subscription(const Host& host, Ms t, const std::string& user,
                                const std::string& name, const std::string& query,
                                const std::string& command) {
  const std::string quoted = "\"" + name + "\"";
  Json f = record(host, t, 19, kSysmonChannel, kSysmon);
  f["RuleName"] = "-";
  f["EventType"] = "WmiFilterEvent";
  f["UtcTime"] = sysmon_time(t);
  f["Operation"] = "Created";
  f["User"] = user;
  f["EventNamespace"] = "\"root\\\\subscription\"";
  f["Name"] = quoted;
  f["Query"] = "\"" + query + "\"";
  add(t, std::move(f));

  Json c = record(host, t + 150, 20, kSysmonChannel, kSysmon);
  c["RuleName"] = "-";
  c["EventType"] = "WmiConsumerEvent";
  c["UtcTime"] = sysmon_time(t + 150);
  c["Operation"] = "Created";
  c["User"] = user;
  c["Name"] = quoted;
  c["Type"] = "Command Line";
  c["Destination"] = "\"" + command + "\"";
  add(t + 150, std::move(c));

  Json b = record(host, t + 300, 21, kSysmonChannel, kSysmon);
  b["RuleName"] = "-";
  b["EventType"] = "WmiBindingEvent";
  b["UtcTime"] = sysmon_time(t + 300);
  b["Operation"] = "Created";
  b["User"] = user;
  b["Consumer"] =
      "\"\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\\"" + name + "\\\"\"";
  b["Filter"] = "\"\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\\"" + name + "\\\"\"";
  add(t + 300, std::move(b));

  Json w = record(host, t + 400, 5861, "Microsoft-Windows-WMI-Activity/Operational",
                  "Microsoft-Windows-WMI-Activity");
  w["Namespace"] = "//./root/subscription";
  w["ESS"] = name;
  w["CONSUMER"] = "CommandLineEventConsumer=\"" + name + "\"";
  w["PossibleCause"] =
      "Binding EventFilter: \ninstance of __EventFilter\n{\n\tCreatorSID = {...};\n"
      "\tEventNamespace = \"root\\\\cimv2\";\n\tName = \"" +
      name + "\";\n\tQuery = \"" + query +
      "\";\n\tQueryLanguage = \"WQL\";\n};\n"
      "Perm. Consumer: \ninstance of CommandLineEventConsumer\n{\n"
      "\tCommandLineTemplate = \"" +
      command + "\";\n\tName = \"" + name + "\";\n};\n";
  add(t + 400, std::move(w));
}

void Recorder::script_block(const Host& host, Ms t, const std::string& text,
                            const std::string& path) {
  Json r = record(host, t, 4104, "Microsoft-Windows-PowerShell/Operational",
                  "Microsoft-Windows-PowerShell");
  r["Severity"] = "WARNING";
  r["MessageNumber"] = "1";
  r["MessageTotal"] = "1";
  r["ScriptBlockText"] = text;
  r["ScriptBlockId"] = guid().substr(1, 36);
  r["Path"] = path;
  add(t, std::move(r));
}

}  // namespace sim::demo
