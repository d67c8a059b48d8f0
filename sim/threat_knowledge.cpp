// threat_knowledge.cpp — the technique notes. The text is our own summary of public ATT&CK
// knowledge, aimed at an analyst who hunts with Google SecOps UDM fields.
#include "sim/threat_knowledge.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace sim {

namespace {

std::vector<TechniqueNote> build_notes() {
  return {
      {"T1570",
       "Lateral Tool Transfer",
       {"lateral tool transfer", "tool transfer", "copy tools", "admin$ copy"},
       "Adversaries copy their tools from one compromised host to another inside the network, "
       "most often over SMB to an administrative share (ADMIN$, C$), but also with RDP clipboard "
       "or file-sharing services. PsExec itself does this: it writes PSEXESVC.exe into "
       "\\\\target\\ADMIN$ before installing it as a service.\n"
       "Hunting: look for executables written to admin shares (Security 5145 with an .exe "
       "relative target name, Sysmon 11 file creations by the System process under "
       "C:\\Windows), followed within seconds by a service install (7045/4697) or a process "
       "launch of the same file on the target. In UDM: metadata.product_event_type = \"5145\" "
       "AND target.file.full_path = /\\.exe$/ nocase.\n"
       "False positives: software distribution (SCCM, GPO startup scripts, backup agents) copies "
       "binaries the same way; baseline the source hosts and accounts."},
      {"T1021",
       "Remote Services",
       {"remote services"},
       "Adversaries log on to remote services (SMB, RDP, WinRM, SSH, DCOM) with valid "
       "credentials and act as that user on the remote host. The PsExec/WMI hunts cover the SMB "
       "admin-share variant (T1021.002); DCOM (T1021.003) and WinRM (T1021.006) leave similar "
       "network-logon traces.\n"
       "Hunting: network logons (4624 logon type 3) from workstations to many peers, explicit "
       "credential use (4648), and a process or service started on the target shortly after the "
       "logon, joined by the target logon id."},
      {"T1021.002",
       "Remote Services: SMB/Windows Admin Shares",
       {"smb", "admin share", "admin shares", "windows admin shares", "admin$", "ipc$", "psexec",
        "paexec", "remcom", "smbexec"},
       "Adversaries use valid accounts to reach the hidden administrative shares (C$, ADMIN$, "
       "IPC$) over SMB (TCP 445), to copy files and to drive the Service Control Manager "
       "remotely. Sysinternals PsExec, PAExec, RemCom and Impacket psexec/smbexec all work this "
       "way: connect to IPC$, open the svcctl pipe, create and start a service, and talk to it "
       "over named pipes.\n"
       "What the logs show: on the target a network logon (4624 type 3, often with NTLM), share "
       "access to IPC$/ADMIN$ (5140/5145, relative target \"svcctl\" or the service binary), a "
       "new service (System 7045 / Security 4697, e.g. PSEXESVC, or a random name with "
       "%COMSPEC% in the image path for smbexec), named pipes PSEXESVC-<SOURCEHOST>-<pid>-stdin/"
       "stdout/stderr (Sysmon 17/18: the pipe name gives away the source host), and children of "
       "the service binary. On the source: psexec.exe with \\\\host arguments and -accepteula, "
       "and a NETWORK_CONNECTION to port 445 of the target.\n"
       "UDM starting points: metadata.product_event_type = \"7045\" AND target.application = "
       "/psexesvc/ nocase; metadata.event_type = \"NETWORK_CONNECTION\" AND target.port = 445; "
       "metadata.event_type = \"USER_LOGIN\" AND extensions.auth.mechanism = \"NETWORK\".\n"
       "False positives: administrators and IT tooling use PsExec legitimately; judge by who, "
       "from where, how many targets (fan-out) and what ran afterwards."},
      {"T1047",
       "Windows Management Instrumentation",
       {"wmi", "wmic", "windows management instrumentation", "wmiprvse", "wmiexec", "win32_process",
        "process call create"},
       "Adversaries use WMI to run commands locally or on remote hosts (DCOM over TCP 135 plus a "
       "dynamic port, or WinRM). Typical forms: wmic /node:<host> process call create \"cmd /c "
       "...\", PowerShell Invoke-WmiMethod / Invoke-CimMethod on Win32_Process, and Impacket "
       "wmiexec, which runs cmd.exe /Q /c <command> 1> \\\\127.0.0.1\\ADMIN$\\__<timestamp> 2>&1.\n"
       "What the logs show: on the source a wmic.exe or powershell.exe process launch naming the "
       "remote node; on the target a network logon followed by WmiPrvSE.exe starting a child "
       "process (cmd.exe, powershell.exe, rundll32.exe...), and WMI-Activity 5857-5861 entries.\n"
       "UDM starting points: metadata.event_type = \"PROCESS_LAUNCH\" AND "
       "principal.process.file.full_path = /wmiprvse\\.exe$/ nocase; metadata.event_type = "
       "\"PROCESS_LAUNCH\" AND target.process.command_line = /process\\s+call\\s+create/ nocase.\n"
       "False positives: SCCM/ConfigMgr clients, monitoring agents and inventory scripts use WMI "
       "constantly; WmiPrvSE children run as SYSTEM for such tools, while lateral movement "
       "usually runs as a domain user."},
      {"T1569.002",
       "System Services: Service Execution",
       {"service execution", "service install", "service installation", "service creation",
        "services.exe", "sc.exe", "psexec", "psexesvc", "7045", "4697"},
       "Adversaries run code by creating or modifying a Windows service and starting it; remote "
       "tools (PsExec, smbexec, Metasploit psexec, Cobalt Strike jump psexec) do it through the "
       "Service Control Manager over SMB.\n"
       "What the logs show: System 7045 and Security 4697 with the service name and image path; "
       "services.exe launching the service binary or a shell. Red flags: PSEXESVC or a random "
       "4-16 letter name, an image path containing %COMSPEC%, cmd /c, powershell -enc, "
       "\\\\127.0.0.1\\ or ADMIN$, a binary in C:\\Windows with a random name, and a remote "
       "requester (client process id 0).\n"
       "UDM starting point: metadata.event_type = \"SERVICE_CREATION\" AND "
       "target.process.command_line = /(%comspec%|cmd(\\.exe)? \\/c|powershell)/ nocase.\n"
       "False positives: software installers and remote management suites install services too; "
       "they use stable, documented names."},
      {"T1543.003",
       "Create or Modify System Process: Windows Service",
       {"windows service", "new service", "persistence service"},
       "The persistence side of services: a service created or reconfigured to run the "
       "adversary's binary at boot. The same events as Service Execution (7045, 4697, Sysmon 13 "
       "on HKLM\\SYSTEM\\CurrentControlSet\\Services\\<name>\\ImagePath) apply; a service that "
       "stays installed after a remote execution tool exits is a persistence lead."},
      {"T1546.003",
       "Event Triggered Execution: WMI Event Subscription",
       {"wmi event subscription", "wmi subscription", "wmi persistence", "event consumer",
        "eventconsumer", "__eventfilter", "commandlineeventconsumer", "permanent consumer"},
       "Adversaries register a permanent WMI event subscription (an __EventFilter, a consumer "
       "such as CommandLineEventConsumer or ActiveScriptEventConsumer, and a "
       "__FilterToConsumerBinding) so that WMI runs their command when the event fires, e.g. at "
       "start-up or on a timer. It can be set up remotely over WMI, so it often follows T1047.\n"
       "What the logs show: Sysmon 19/20/21 (filter, consumer, binding), WMI-Activity 5861 "
       "(permanent consumer registered), and later scrcons.exe or WmiPrvSE.exe starting the "
       "payload.\n"
       "UDM starting point: metadata.product_event_type = \"5861\" OR (metadata.product_name = "
       "\"Microsoft-Windows-Sysmon\" AND metadata.product_event_type = \"20\").\n"
       "False positives: a few management products register consumers (e.g. SCM event log "
       "consumer, vendor agents); they are stable and known per estate."},
      {"T1059.001",
       "Command and Scripting Interpreter: PowerShell",
       {"powershell", "encodedcommand", "-enc", "invoke-command", "invoke-wmimethod",
        "invoke-cimmethod", "script block"},
       "Adversaries run PowerShell for discovery, download and execution, and to move laterally "
       "(Invoke-Command / Enter-PSSession over WinRM, Invoke-WmiMethod or Invoke-CimMethod "
       "against remote hosts, or PowerShell launched by a remote service or WmiPrvSE).\n"
       "What the logs show: powershell.exe process launches with -enc/-EncodedCommand, -nop, "
       "-w hidden, IEX and download cradles; script block logging (4104) with the decoded "
       "script; PowerShell as the child of services.exe, WmiPrvSE.exe or wsmprovhost.exe.\n"
       "UDM starting point: metadata.event_type = \"PROCESS_LAUNCH\" AND "
       "target.process.file.full_path = /powershell\\.exe$/ nocase AND "
       "target.process.command_line = /\\s-e(nc|ncodedcommand)?\\s/ nocase.\n"
       "False positives: administration scripts and management agents; look at the parent, the "
       "user and whether the script reaches other hosts."},
      {"T1078",
       "Valid Accounts",
       {"valid accounts", "stolen credentials", "compromised account"},
       "Lateral movement with PsExec or WMI needs credentials that are valid on the target, "
       "usually a local administrator or a privileged domain account. Watch for one account "
       "logging on over the network to many hosts in a short time, accounts used from unusual "
       "workstations, and explicit credential use (4648) on the source."},
  };
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

const std::vector<TechniqueNote>& technique_notes() {
  static const std::vector<TechniqueNote> notes = build_notes();
  return notes;
}

std::vector<const TechniqueNote*> select_notes(std::string_view question) {
  const std::string text = lower(question);
  std::vector<const TechniqueNote*> chosen;
  auto add = [&](const TechniqueNote& n) {
    if (std::find(chosen.begin(), chosen.end(), &n) == chosen.end()) chosen.push_back(&n);
  };
  static const std::regex kTechniqueId(R"(\bt(\d{4})(\.\d{3})?\b)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kTechniqueId);
       it != std::sregex_iterator(); ++it) {
    const std::string id = "T" + (*it)[1].str() + (*it)[2].str();
    for (const auto& n : technique_notes()) {
      if (n.id == id) add(n);
    }
  }
  for (const auto& n : technique_notes()) {
    if (lower(n.name) == text) add(n);
    for (const auto& k : n.keywords) {
      if (text.find(k) != std::string::npos) add(n);
    }
  }
  return chosen;
}

std::string answer_threat_question(std::string_view question) {
  auto notes = select_notes(question);
  if (notes.empty()) {
    std::string covered;
    for (const auto& n : technique_notes()) covered += (covered.empty() ? "" : ", ") + n.id;
    return "I have no specific threat intelligence on that question. This environment's "
           "knowledge covers the MITRE ATT&CK techniques used for lateral movement with PsExec "
           "and WMI (" +
           covered +
           "); ask about one of them by id or by name (for example PsExec, WMIC, "
           "service execution, WMI event subscription or PowerShell).";
  }
  std::string out;
  for (const auto* n : notes) {
    if (!out.empty()) out += "\n\n";
    out += "MITRE ATT&CK " + n->id + " — " + n->name + "\n\n" + n->text;
  }
  return out;
}

}  // namespace sim
