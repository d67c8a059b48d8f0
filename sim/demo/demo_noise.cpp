// demo_noise.cpp — ordinary office life at corp.acme.local: morning logons, Office and browsers,
// mapped drives on FS01, Kerberos at the domain controllers, file saves, unlocks after lunch, a
// VPN client rollout. Work happens Monday 16 to Friday 20 November 2026 (UTC office hours); the
// Sunday evening before is quiet.
#include <array>

#include "sim/demo/demo_parts.hpp"

namespace sim::demo {

namespace {

constexpr const char* kExplorer = "C:\\Windows\\explorer.exe";
constexpr const char* kOutlook = "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE";
constexpr const char* kWord = "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE";
constexpr const char* kExcel = "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE";
constexpr const char* kChrome = "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe";
constexpr const char* kTeams =
    "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe";

struct Site {
  const char* host;
  const char* ip;
};
constexpr std::array<Site, 6> kSites = {{{"outlook.office365.com", "52.97.146.162"},
                                         {"acme.sharepoint.com", "13.107.136.10"},
                                         {"www.google.com", "142.250.180.4"},
                                         {"teams.microsoft.com", "52.113.194.132"},
                                         {"www.bbc.co.uk", "151.101.0.81"},
                                         {"login.microsoftonline.com", "20.190.159.0"}}};

constexpr const char* kDocs[] = {"Q4 forecast", "Board pack",    "Supplier list",  "Timesheet",
                                 "Budget 2027", "Meeting notes", "Invoice tracker"};

// workday is one user's day at their workstation.
void workday(Recorder& rec, const Org& org, const Host& wks, int day) {
  const std::string user = std::string(kDomain) + "\\" + wks.user;
  const Ms start = at(day, 7, 45) + rec.below(100) * kMinute;
  const Host& dc = org.host(rec.below(2) == 0 ? "DC01" : "DC02");
  const Host& fs = org.host("FS01");

  rec.logon(wks, start,
            {wks.user, kDomain, 2, "127.0.0.1", wks.name, "C:\\Windows\\System32\\svchost.exe",
             "Negotiate", false});
  rec.logon(dc, start + 400, {wks.user, kDomain, 3, wks.ip, "-", "-", "Kerberos", false});
  Proc userinit{"C:\\Windows\\System32\\userinit.exe", "C:\\Windows\\system32\\userinit.exe",
                "C:\\Windows\\System32\\winlogon.exe", "winlogon.exe", user};
  const int userinit_pid = rec.process(wks, start + 2 * kSecond, userinit);
  Proc explorer{kExplorer, "C:\\Windows\\Explorer.EXE", userinit.image, userinit.command_line,
                user};
  explorer.parent_pid = userinit_pid;
  const int explorer_pid = rec.process(wks, start + 3 * kSecond, explorer);

  // The mapped drive S: on FS01.
  rec.network(wks, start + 8 * kSecond,
              {"System", kSystemUser, wks.ip, 0, fs.ip, fs.fqdn(), 445, true, 4});
  const std::string fs_logon = rec.logon(fs, start + 8 * kSecond + 200,
                                         {wks.user, kDomain, 3, wks.ip, "-", "-", "Kerberos"});
  rec.share_access(fs, start + 8 * kSecond + 300, wks.user, wks.ip, "Shared", fs_logon);

  // Applications through the day.
  const char* apps[] = {kOutlook, kChrome, kTeams, rec.below(2) ? kWord : kExcel};
  Ms t = start + 2 * kMinute;
  for (const char* app : apps) {
    Proc p{app, std::string("\"") + app + "\"", kExplorer, "C:\\Windows\\Explorer.EXE", user};
    p.parent_pid = explorer_pid;
    const int pid = rec.process(wks, t, p);
    const Site& site = kSites[rec.below(static_cast<int>(kSites.size()))];
    rec.network(wks, t + 3 * kSecond, {app, user, wks.ip, 0, site.ip, site.host, 443, true, pid});
    if (app == kWord || app == kExcel) {
      const char* ext = app == kWord ? ".docx" : ".xlsx";
      rec.file_created(wks, t + (30 + rec.below(120)) * kMinute, app, pid,
                       "C:\\Users\\" + wks.user + "\\Documents\\" +
                           kDocs[rec.below(static_cast<int>(std::size(kDocs)))] + ext,
                       user);
    }
    t += (5 + rec.below(50)) * kMinute;
  }
  // Afternoon: unlock after lunch, a download, another visit to the file share.
  const Ms afternoon = at(day, 12, 30) + rec.below(90) * kMinute;
  rec.logon(wks, afternoon,
            {wks.user, kDomain, 7, "127.0.0.1", wks.name, "C:\\Windows\\System32\\svchost.exe",
             "Negotiate", false});
  rec.file_created(wks, afternoon + 20 * kMinute, kChrome, rec.new_pid(),
                   "C:\\Users\\" + wks.user + "\\Downloads\\statement-" +
                       std::to_string(1000 + rec.below(9000)) + ".pdf",
                   user);
  rec.network(wks, afternoon + 40 * kMinute,
              {"System", kSystemUser, wks.ip, 0, fs.ip, fs.fqdn(), 445, true, 4});
  rec.logon(fs, afternoon + 40 * kMinute + 150,
            {wks.user, kDomain, 3, wks.ip, "-", "-", "Kerberos"});
  rec.logon(dc, afternoon + 41 * kMinute, {wks.user, kDomain, 3, wks.ip, "-", "-", "Kerberos"});
}

// vpn_rollout: the desktop team pushes the AcmeVPN agent to every workstation on Wednesday via
// the software-management agent (a local service install, not a remote one).
void vpn_rollout(Recorder& rec, const Host& wks) {
  const Ms t = at(18, 11, 0) + rec.below(120) * kMinute;
  const std::string image = "C:\\Program Files\\AcmeVPN\\vpnagent.exe";
  Proc msi{
      "C:\\Windows\\System32\\msiexec.exe",
      "C:\\Windows\\system32\\msiexec.exe /i \"C:\\Windows\\ccmcache\\2f\\AcmeVPN-4.2.1.msi\" /qn",
      "C:\\Windows\\CCM\\CcmExec.exe", "C:\\Windows\\CCM\\CcmExec.exe"};
  const int msi_pid = rec.process(wks, t, msi);
  rec.file_created(wks, t + 4 * kSecond, msi.image, msi_pid, image);
  rec.service_installed(wks, t + 6 * kSecond, "AcmeVPNAgent", "\"" + image + "\"", wks.name + "$",
                        "0x3e7", false, msi_pid);
  rec.registry_set(wks, t + 6 * kSecond + 20, "C:\\Windows\\system32\\services.exe", 684,
                   "HKLM\\System\\CurrentControlSet\\Services\\AcmeVPNAgent\\ImagePath",
                   "\"" + image + "\"");
  Proc agent{image, "\"" + image + "\"", "C:\\Windows\\System32\\services.exe",
             "C:\\Windows\\system32\\services.exe"};
  agent.parent_pid = 684;
  rec.process(wks, t + 8 * kSecond, agent);
}

// server_day: the servers' own routine (backup, SQL jobs, DC replication checks).
void server_day(Recorder& rec, const Org& org, int day) {
  const Host& sql = org.host("SQL01");
  const Host& fs = org.host("FS01");
  Proc backup{"C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Manager.exe",
              "\"C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Manager.exe\" /backup",
              "C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe",
              "\"C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe\""};
  rec.process(fs, at(day, 1, 0) + rec.below(10) * kMinute, backup);
  Proc agent{
      "C:\\Windows\\System32\\cmd.exe",
      "C:\\Windows\\system32\\cmd.exe /c sqlcmd -E -Q \"EXEC msdb.dbo.sp_purge_jobhistory\"",
      "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE",
      "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE\" "
      "-i MSSQLSERVER",
      "CORP\\svc-sql"};
  rec.process(sql, at(day, 2, 30) + rec.below(10) * kMinute, agent);
  for (const char* name : {"DC01", "DC02"}) {
    const Host& dc = org.host(name);
    rec.logon(dc, at(day, 3, 0) + rec.below(60) * kMinute,
              {"svc-backup", kDomain, 3, "10.20.0.60", "-", "-", "Kerberos"});
  }
}

}  // namespace

void add_background_noise(Recorder& rec, const Org& org) {
  for (int day = 16; day <= 20; ++day) {
    for (const Host* wks : org.workstations()) {
      // A few people are away on any given day.
      if (rec.below(12) == 0 && wks->user != kVictim) continue;
      workday(rec, org, *wks, day);
    }
    server_day(rec, org, day);
  }
  for (const Host* wks : org.workstations()) vpn_rollout(rec, *wks);
}

}  // namespace sim::demo
