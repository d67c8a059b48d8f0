// demo_security_events.cpp — the Security and System channel records of the demo Recorder:
// logons (4624/4672), explicit credentials (4648), share access (5140/5145) and service installs
// (7045/4697). See demo_recorder.hpp.
#include "sim/demo/demo_recorder.hpp"

namespace sim::demo {

namespace {
constexpr const char* kSecurity = "Microsoft-Windows-Security-Auditing";
}  // namespace

std::string Recorder::logon(const Host& host, Ms t, const Logon& l) {
  const std::string id = new_logon_id();
  Json r = record(host, t, 4624, "Security", kSecurity);
  const bool network = l.type == 3;
  r["SubjectUserSid"] = network ? "S-1-0-0" : "S-1-5-18";
  r["SubjectUserName"] = network ? "-" : host.name + "$";
  r["SubjectDomainName"] = network ? "-" : kDomain;
  r["SubjectLogonId"] = network ? "0x0" : "0x3e7";
  r["TargetUserSid"] =
      "S-1-5-21-3623811015-3361044348-30300820-" + std::to_string(1100 + below(900));
  r["TargetUserName"] = l.user;
  r["TargetDomainName"] = l.domain;
  r["TargetLogonId"] = id;
  r["LogonType"] = std::to_string(l.type);
  r["LogonProcessName"] = l.auth == "NTLM" ? "NtLmSsp " : (network ? "Kerberos" : "User32 ");
  r["AuthenticationPackageName"] = l.auth == "NTLM" ? "NTLM" : (network ? "Kerberos" : "Negotiate");
  r["WorkstationName"] = l.workstation;
  r["LogonGuid"] = guid();
  r["TransmittedServices"] = "-";
  r["LmPackageName"] = l.auth == "NTLM" ? "NTLM V2" : "-";
  r["KeyLength"] = "0";
  r["ProcessId"] = l.process == "-" ? "0x0" : hex_id(new_pid());
  r["ProcessName"] = l.process;
  r["IpAddress"] = l.ip;
  r["IpPort"] = l.ip == "-" ? "-" : std::to_string(ephemeral_port());
  r["ImpersonationLevel"] = "%%1833";
  r["ElevatedToken"] = l.admin ? "%%1842" : "%%1843";
  add(t, std::move(r));
  if (l.admin) {
    Json p = record(host, t, 4672, "Security", kSecurity);
    p["SubjectUserSid"] = "S-1-5-21-3623811015-3361044348-30300820-1500";
    p["SubjectUserName"] = l.user;
    p["SubjectDomainName"] = l.domain;
    p["SubjectLogonId"] = id;
    p["PrivilegeList"] =
        "SeSecurityPrivilege\n\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege"
        "\n\t\t\tSeDebugPrivilege\n\t\t\tSeImpersonatePrivilege";
    add(t, std::move(p));
  }
  return id;
}

void Recorder::explicit_credentials(const Host& host, Ms t, const std::string& subject_user,
                                    const std::string& subject_logon_id,
                                    const std::string& target_user,
                                    const std::string& target_server,
                                    const std::string& target_info, const std::string& process,
                                    int process_id) {
  Json r = record(host, t, 4648, "Security", kSecurity);
  r["SubjectUserSid"] = "S-1-5-21-3623811015-3361044348-30300820-1107";
  r["SubjectUserName"] = subject_user;
  r["SubjectDomainName"] = kDomain;
  r["SubjectLogonId"] = subject_logon_id;
  r["LogonGuid"] = "{00000000-0000-0000-0000-000000000000}";
  r["TargetUserName"] = target_user;
  r["TargetDomainName"] = kDomain;
  r["TargetLogonGuid"] = "{00000000-0000-0000-0000-000000000000}";
  r["TargetServerName"] = target_server;
  r["TargetInfo"] = target_info;
  r["ProcessId"] = hex_id(process_id);
  r["ProcessName"] = process;
  r["IpAddress"] = "-";
  r["IpPort"] = "-";
  add(t, std::move(r));
}

void Recorder::share_access(const Host& host, Ms t, const std::string& user, const std::string& ip,
                            const std::string& share, const std::string& logon_id) {
  Json r = record(host, t, 5140, "Security", kSecurity);
  r["SubjectUserSid"] = "S-1-5-21-3623811015-3361044348-30300820-1500";
  r["SubjectUserName"] = user;
  r["SubjectDomainName"] = kDomain;
  r["SubjectLogonId"] = logon_id;
  r["ObjectType"] = "File";
  r["IpAddress"] = ip;
  r["IpPort"] = std::to_string(ephemeral_port());
  r["ShareName"] = "\\\\*\\" + share;
  r["ShareLocalPath"] = share == "IPC$"     ? ""
                        : share == "ADMIN$" ? "\\??\\C:\\Windows"
                        : share == "C$"     ? "\\??\\C:\\"
                                            : "\\??\\D:\\Shares\\" + share;
  r["AccessMask"] = "0x1";
  r["AccessList"] = "%%4416\n\t\t\t\t";
  add(t, std::move(r));
}

void Recorder::share_file(const Host& host, Ms t, const std::string& user, const std::string& ip,
                          const std::string& share, const std::string& relative,
                          const std::string& access_mask, const std::string& logon_id) {
  Json r = record(host, t, 5145, "Security", kSecurity);
  r["SubjectUserSid"] = "S-1-5-21-3623811015-3361044348-30300820-1500";
  r["SubjectUserName"] = user;
  r["SubjectDomainName"] = kDomain;
  r["SubjectLogonId"] = logon_id;
  r["ObjectType"] = "File";
  r["IpAddress"] = ip;
  r["IpPort"] = std::to_string(ephemeral_port());
  r["ShareName"] = "\\\\*\\" + share;
  r["ShareLocalPath"] = share == "IPC$"     ? ""
                        : share == "ADMIN$" ? "\\??\\C:\\Windows"
                                            : "\\??\\C:\\";
  r["RelativeTargetName"] = relative;
  r["AccessMask"] = access_mask;
  r["AccessList"] = access_mask == "0x2" ? "%%4417\n\t\t\t\t" : "%%4416\n\t\t\t\t%%4417\n\t\t\t\t";
  r["AccessReason"] = "-";
  add(t, std::move(r));
}

void Recorder::service_installed(const Host& host, Ms t, const std::string& name,
                                 const std::string& image_path, const std::string& subject_user,
                                 const std::string& logon_id, bool remote, int client_pid) {
  Json s = record(host, t, 7045, "System", "Service Control Manager");
  // The execution ProcessID of 7045 is 0 when the SCM created the service for a remote client
  // (Sigma win_system_service_install_sups_unusal_client), services.exe's pid otherwise.
  s["ProcessID"] = remote ? 0 : 684;
  s["ServiceName"] = name;
  s["ImagePath"] = image_path;
  s["ServiceType"] = "user mode service";
  s["StartType"] = "demand start";
  s["AccountName"] = "LocalSystem";
  add(t, std::move(s));

  Json r = record(host, t, 4697, "Security", kSecurity);
  r["SubjectUserSid"] = "S-1-5-21-3623811015-3361044348-30300820-1500";
  r["SubjectUserName"] = subject_user;
  r["SubjectDomainName"] = kDomain;
  r["SubjectLogonId"] = logon_id;
  r["ServiceName"] = name;
  r["ServiceFileName"] = image_path;
  r["ServiceType"] = "0x10";
  r["ServiceStartType"] = "3";
  r["ServiceAccount"] = "LocalSystem";
  r["ClientProcessStartKey"] = remote ? "0" : "1970324837042591";
  r["ClientProcessId"] = std::to_string(remote ? 0 : client_pid);
  r["ParentProcessId"] = remote ? "0" : "684";
  add(t, std::move(r));
}

}  // namespace sim::demo
