// demo_recorder.hpp — the demo generator's event factory: one function per Windows event kind,
// writing flat NXLog/OTRF-style records (EventID, Channel, SourceName, Hostname FQDN,
// "@timestamp", EventData fields at the top level, values as strings) with the field names that
// Sysmon, the Security auditing provider, the Service Control Manager, WMI-Activity and PowerShell
// use. Internal to sim/demo.
//
// Deterministic: all "random" values (pids, GUIDs, logon ids, ports) come from a splitmix64
// sequence started at a fixed seed, so the same call order yields the same records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sim::demo {

using Json = nlohmann::json;
using Ms = std::int64_t;  // milliseconds since the Unix epoch, UTC

inline constexpr const char* kDomain = "CORP";
inline constexpr const char* kDnsSuffix = ".corp.acme.local";
inline constexpr const char* kSystemUser = "NT AUTHORITY\\SYSTEM";

// at returns the instant `hour:minute:second.millis` UTC on `day` November 2026.
Ms at(int day, int hour, int minute, int second = 0, int millis = 0);
inline constexpr Ms kSecond = 1000;
inline constexpr Ms kMinute = 60 * kSecond;
inline constexpr Ms kHour = 60 * kMinute;

// Host is one machine of the demo enterprise.
struct Host {
  std::string name{};  // short upper-case name, e.g. "WKS-07"
  std::string ip{};
  std::string role{};  // "dc", "file", "sql", "jump", "sccm", "workstation"
  std::string user{};  // primary user of a workstation ("" for servers)
  std::string fqdn() const { return name + kDnsSuffix; }
  bool is_server() const { return role != "workstation"; }
};

// Hashes of one binary, upper-case hex as Sysmon writes them.
struct Hashes {
  std::string sha256, sha1, md5, imphash;
};

// hashes_for derives stable, realistic-looking hashes from a binary's identity (ordinary software
// in the noise); attack tools use the fixed hashes of demo_iocs.hpp instead.
Hashes hashes_for(std::string_view identity);

// Proc describes one process start (Sysmon 1; servers also log Security 4688).
struct Proc {
  std::string image{};
  std::string command_line{};
  std::string parent_image{};
  std::string parent_command_line{};
  std::string user = kSystemUser;    // DOMAIN\name
  std::string original_file_name{};  // "" = the image's file name
  Hashes hashes{};                   // empty = hashes_for(image)
  std::string integrity = "Medium";
  int pid = 0;             // 0 = draw one
  int parent_pid = 0;      // 0 = draw one
  std::string logon_id{};  // "" = draw one (0x3e7 for SYSTEM)
};

// Net is one Sysmon 3 connection as the logging host sees it.
struct Net {
  std::string image{};
  std::string user = kSystemUser;
  std::string src_ip{};
  int src_port = 0;  // 0 = an ephemeral port
  std::string dst_ip{};
  std::string dst_host{};  // DestinationHostname, "" when unknown
  int dst_port = 0;
  bool initiated = true;
  int pid = 0;
};

// Logon is one Security 4624 (and 4672 when admin).
struct Logon {
  std::string user{};
  std::string domain = kDomain;
  int type = 3;
  std::string ip = "-";
  std::string workstation = "-";
  std::string process = "-";  // ProcessName
  std::string auth = "Kerberos";
  bool admin = false;
};

// Recorder collects records; take() returns them oldest first.
class Recorder {
 public:
  explicit Recorder(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next();
  int below(int n);  // uniform-ish in [0, n)
  int new_pid();     // a plausible Windows pid (multiple of 4)
  int ephemeral_port() { return 49152 + below(16000); }
  std::string guid();
  std::string new_logon_id();

  // process writes Sysmon 1 (and Security 4688 on servers) and returns the process id used.
  int process(const Host& host, Ms t, Proc p);
  void network(const Host& host, Ms t, Net n);
  void file_created(const Host& host, Ms t, const std::string& image, int pid,
                    const std::string& path, const std::string& user = kSystemUser);
  void registry_set(const Host& host, Ms t, const std::string& image, int pid,
                    const std::string& key, const std::string& details);
  // pipe writes Sysmon 17 (created) or 18 (connected) for PipeName `name` (with leading \).
  void pipe(const Host& host, Ms t, bool connected, const std::string& image, int pid,
            const std::string& name, const std::string& user = kSystemUser);
  // logon writes 4624 (+ 4672 when admin) and returns the TargetLogonId.
  std::string logon(const Host& host, Ms t, const Logon& l);
  void explicit_credentials(const Host& host, Ms t, const std::string& subject_user,
                            const std::string& subject_logon_id, const std::string& target_user,
                            const std::string& target_server, const std::string& target_info,
                            const std::string& process, int process_id);
  void share_access(const Host& host, Ms t, const std::string& user, const std::string& ip,
                    const std::string& share, const std::string& logon_id);
  void share_file(const Host& host, Ms t, const std::string& user, const std::string& ip,
                  const std::string& share, const std::string& relative,
                  const std::string& access_mask, const std::string& logon_id);
  // service_installed writes System 7045 and Security 4697. remote: installed through the SCM's
  // RPC interface by another host (ProcessID / ClientProcessId 0).
  void service_installed(const Host& host, Ms t, const std::string& name,
                         const std::string& image_path, const std::string& subject_user,
                         const std::string& logon_id, bool remote, int client_pid = 0);
  void wmi_subscription(const Host& host, Ms t, const std::string& user, const std::string& name,
                        const std::string& query, const std::string& command);
  void script_block(const Host& host, Ms t, const std::string& text, const std::string& path = "");

  std::vector<Json> take();

 private:
  Json record(const Host& host, Ms t, int event_id, const char* channel, const char* provider);
  void add(Ms t, Json record);

  std::uint64_t state_;
  std::vector<std::pair<Ms, Json>> records_;
};

// hex_id prints value as Windows writes ids and logon ids: "0x1a2c".
std::string hex_id(long long value);

// split_user returns {domain, name} of "DOMAIN\name" ({"", text} when there is no backslash).
std::pair<std::string, std::string> split_user(const std::string& text);

}  // namespace sim::demo
