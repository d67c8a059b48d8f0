// demo_parts.hpp — the pieces generate_demo() assembles: the organisation (hosts, people), the
// attack tools' hashes shared by the events and the IOC file, and one function per storyline.
// Internal to sim/demo; examples/demo/README.md tells the story.
#pragma once

#include <string>
#include <vector>

#include "sim/demo/demo_recorder.hpp"

namespace sim::demo {

// Org is corp.acme.local: six servers and 36 workstations, each workstation with its user.
struct Org {
  std::vector<Host> hosts{};
  const Host& host(const std::string& name) const;  // by short name; the first host if unknown
  std::vector<const Host*> workstations() const;
};

Org make_org();

// People outside the one-workstation-one-user pattern.
inline constexpr const char* kAdmin = "adm-jsmith";         // IT admin, works from JUMP01
inline constexpr const char* kHelpdeskAdmin = "adm-lchen";  // helpdesk, credentials stolen
inline constexpr const char* kVictim = "mbrown";            // WKS-07, opened the lure
inline constexpr const char* kSccmAccount = "svc-sccm";

// The attacker's tools and the admin's PsExec: fixed hashes, also in the IOC file.
struct Tool {
  std::string path{};
  std::string original_file_name{};
  std::string meaningful_name{};
  Hashes hashes{};  // upper-case hex, as Sysmon writes them
};
const Tool& implant_tool();         // OneDriveUpdater.exe, the C2 implant from the lure
const Tool& mimikatz_tool();        // mm.exe, credential dumper
const Tool& renamed_psexec_tool();  // msupd.exe = PsExec.exe v2.2 renamed
const Tool& admin_psexec_tool();    // PsExec64.exe on JUMP01

inline constexpr const char* kC2Domain = "cdn.acme-cloudsync.com";
inline constexpr const char* kC2Ip = "185.220.101.47";
inline constexpr const char* kLureUrl = "https://cdn.acme-cloudsync.com/update/od.bin";

// PsexecRun is one PsExec-style remote execution: the client on the source, and on the target the
// network logon, the service binary written to ADMIN$, svcctl over IPC$, the service install,
// its named pipes (which embed the source host name) and the command it runs.
struct PsexecRun {
  const Host* source = nullptr;
  const Host* target = nullptr;
  std::string client_user{};  // DOMAIN\name running the client on the source
  std::string client_parent_image{};
  std::string client_parent_command_line{};
  const Tool* client = nullptr;
  std::string client_command_line{};
  std::string account{};  // the account that logs on at the target (no domain)
  std::string auth = "Kerberos";
  bool explicit_credentials = false;  // -u / -p: Security 4648 on the source
  std::string service = "PSEXESVC";   // -r renames the service, its binary and its pipes
  const Tool* copied = nullptr;       // -c: this program is copied to ADMIN$ and run
  std::string remote_image{};         // what the service starts (when copied is null)
  std::string remote_command_line{};
  bool as_system = true;  // -s
};
void psexec_run(Recorder& rec, Ms t, const PsexecRun& run);

// The storylines, each appending its records to rec.
void add_background_noise(Recorder& rec, const Org& org);
void add_benign_administration(Recorder& rec, const Org& org);
void add_intrusion(Recorder& rec, const Org& org);

// Intelligence and cases.
Json demo_iocs();
Json demo_cases();

}  // namespace sim::demo
