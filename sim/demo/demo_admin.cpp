// demo_admin.cpp — benign administration that looks like lateral movement to a naive query:
// the SCCM-style agent's WMI work on every host (WmiPrvSE children as SYSTEM, nightly remote WMI
// from SCCM01), and IT admin adm-jsmith using PsExec, wmic and PowerShell WMI from the jump host
// JUMP01 against servers. A hunt should score these as benign_admin by context (source JUMP01 /
// SCCM01, admin account), not miss them: they match the same queries as the intrusion.
#include "sim/demo/demo_parts.hpp"

namespace sim::demo {

namespace {

constexpr const char* kWmiPrvSE = "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe";
constexpr const char* kPowerShell =
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
constexpr const char* kCmd = "C:\\Windows\\System32\\cmd.exe";

// sccm_day: every host's agent evaluates its baselines through WMI (WmiPrvSE → powershell as
// SYSTEM), and SCCM01 collects inventory over remote WMI (RPC 135) at night.
void sccm_day(Recorder& rec, const Org& org, const Host& host, int day) {
  const Host& sccm = org.host("SCCM01");
  const Ms night = at(day, 2, 0) + rec.below(25) * kMinute;
  rec.network(host, night,
              {"C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\NETWORK SERVICE", sccm.ip, 0,
               host.ip, "", 135, false, 1012});
  rec.logon(host, night + 200, {kSccmAccount, kDomain, 3, sccm.ip, "-", "-", "Kerberos", true});

  const Ms t = at(day, 9, 0) + rec.below(8 * 60) * kMinute;
  Proc eval{kPowerShell,
            "powershell.exe -NoLogo -NonInteractive -ExecutionPolicy Bypass -File "
            "\"C:\\Windows\\CCM\\SystemTemp\\" +
                rec.guid().substr(1, 36) + ".ps1\"",
            kWmiPrvSE, "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding"};
  rec.process(host, t, eval);
  Proc ccmeval{"C:\\Windows\\CCM\\CcmEval.exe", "C:\\Windows\\CCM\\CcmEval.exe /nogui",
               "C:\\Windows\\CCM\\CcmExec.exe", "C:\\Windows\\CCM\\CcmExec.exe"};
  rec.process(host, t + 30 * kMinute, ccmeval);
}

// jump_day: adm-jsmith's RDP session on JUMP01 and their routine tooling.
void jump_day(Recorder& rec, const Org& org, int day) {
  const Host& jump = org.host("JUMP01");
  const std::string user = std::string(kDomain) + "\\" + kAdmin;
  const Ms t = at(day, 8, 30) + rec.below(30) * kMinute;
  rec.logon(jump, t,
            {kAdmin, kDomain, 10, "10.20.9.15", "ITLAP-02", "C:\\Windows\\System32\\svchost.exe",
             "Negotiate", true});
  Proc mmc{"C:\\Windows\\System32\\mmc.exe",
           "\"C:\\Windows\\system32\\mmc.exe\" C:\\Windows\\system32\\dsa.msc",
           "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", user};
  rec.process(jump, t + 2 * kMinute, mmc);
  Proc ps{kPowerShell, "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\"",
          "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", user};
  const int ps_pid = rec.process(jump, t + 5 * kMinute, ps);
  rec.script_block(jump, t + 6 * kMinute,
                   "Get-ADUser -Filter {Enabled -eq $false} -Properties LastLogonDate | "
                   "Select-Object Name,LastLogonDate");
  // Disk space on the servers over WMI (benign remote WMI from the jump host).
  rec.script_block(jump, t + 9 * kMinute,
                   "Get-WmiObject -ComputerName FS01,SQL01 -Class Win32_LogicalDisk -Filter "
                   "\"DriveType=3\" | Select-Object PSComputerName,DeviceID,FreeSpace");
  for (const char* server : {"FS01", "SQL01"}) {
    const Host& s = org.host(server);
    rec.network(jump, t + 9 * kMinute + 100,
                {kPowerShell, user, jump.ip, 0, s.ip, s.fqdn(), 135, true, ps_pid});
    rec.network(s, t + 9 * kMinute + 150,
                {"C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\NETWORK SERVICE", jump.ip, 0,
                 s.ip, "", 135, false, 1012});
    rec.logon(s, t + 9 * kMinute + 200, {kAdmin, kDomain, 3, jump.ip, "-", "-", "Kerberos", true});
  }
}

void admin_psexec(Recorder& rec, const Org& org, Ms t, const char* target,
                  const std::string& command) {
  PsexecRun run;
  run.source = &org.host("JUMP01");
  run.target = &org.host(target);
  run.client_user = std::string(kDomain) + "\\" + kAdmin;
  run.client_parent_image = kCmd;
  run.client_parent_command_line = "\"C:\\Windows\\system32\\cmd.exe\"";
  run.client = &admin_psexec_tool();
  run.client_command_line =
      "PsExec64.exe -accepteula \\\\" + std::string(target) + " -s cmd /c \"" + command + "\"";
  run.account = kAdmin;
  run.remote_image = kCmd;
  run.remote_command_line = "cmd /c \"" + command + "\"";
  psexec_run(rec, t, run);
}

}  // namespace

void add_benign_administration(Recorder& rec, const Org& org) {
  for (int day = 16; day <= 20; ++day) {
    for (const Host& host : org.hosts) sccm_day(rec, org, host, day);
    jump_day(rec, org, day);
  }
  admin_psexec(rec, org, at(16, 10, 12, 5), "SQL01", "sc query MSSQLSERVER");
  admin_psexec(rec, org, at(17, 15, 40, 31), "FS01", "ipconfig /all");
  admin_psexec(rec, org, at(19, 9, 5, 12), "DC01", "repadmin /replsummary");
  admin_psexec(rec, org, at(20, 10, 30, 44), "SQL01",
               "net stop SQLSERVERAGENT && net start SQLSERVERAGENT");

  // Asset inventory with wmic /node: ... get (no process call create).
  const Host& jump = org.host("JUMP01");
  const Host& wks = org.host("WKS-03");
  const std::string user = std::string(kDomain) + "\\" + kAdmin;
  const Ms t = at(18, 14, 12, 40);
  Proc wmic{"C:\\Windows\\System32\\wbem\\WMIC.exe", "wmic /node:WKS-03 bios get serialnumber",
            kCmd, "\"C:\\Windows\\system32\\cmd.exe\"", user};
  const int pid = rec.process(jump, t, wmic);
  rec.network(jump, t + 200, {wmic.image, user, jump.ip, 0, wks.ip, wks.fqdn(), 135, true, pid});
  rec.network(wks, t + 250,
              {"C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\NETWORK SERVICE", jump.ip, 0,
               wks.ip, "", 135, false, 1012});
  rec.logon(wks, t + 300, {kAdmin, kDomain, 3, jump.ip, "-", "-", "Kerberos", true});
}

}  // namespace sim::demo
