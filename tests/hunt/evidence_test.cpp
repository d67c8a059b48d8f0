#include <catch2/catch.hpp>

#include "hunt/analysis_events.hpp"
#include "tools/hunt/evidence.hpp"

using hunt::Json;
using namespace udm_events;

TEST_CASE("a PsExec stdio pipe name gives the client host", "[hunt][analysis][evidence]") {
  CHECK(hunt::host_from_pipe_name("\\PSEXESVC-WKS07-1234-stdin") == "WKS07");
  CHECK(hunt::host_from_pipe_name("PSEXESVC-wks07-1234-stdout") == "WKS07");
  CHECK(hunt::host_from_pipe_name("\\\\.\\pipe\\PSEXESVC-WKS-07-88-stderr") == "WKS-07");
  SECTION("a renamed service keeps the <name>-<HOST>-<pid>-std* shape") {
    CHECK(hunt::host_from_pipe_name("\\updsvc-LAPTOP12-4711-stdin") == "LAPTOP12");
  }
  SECTION("pipes without the shape name no host") {
    CHECK_FALSE(hunt::host_from_pipe_name("\\PSEXESVC"));
    CHECK_FALSE(hunt::host_from_pipe_name("\\RemCom_communicaton"));
    CHECK_FALSE(hunt::host_from_pipe_name("svcctl"));
    CHECK_FALSE(hunt::host_from_pipe_name("\\PSEXESVC-WKS07-abc-stdin"));
    CHECK_FALSE(hunt::host_from_pipe_name("\\PSEXESVC--1234-stdin"));
    CHECK_FALSE(hunt::host_from_pipe_name("\\-1234-stdin"));
  }
}

TEST_CASE("a pipe logged on the target is attributed to the host its name embeds",
          "[hunt][analysis][evidence]") {
  auto ev = hunt::to_evidence(pipe(at(0), "srv01.corp.local", "\\PSEXESVC-WKS07-5520-stdin"),
                              psexec_pipe());
  CHECK(ev.target_host == "SRV01");
  CHECK(ev.source_host == "WKS07");
  CHECK(ev.attribution == "pipe_name");
  CHECK(ev.object == "\\PSEXESVC-WKS07-5520-stdin");
  CHECK(ev.catalog_id == "psexec_pipes");
  CHECK(ev.weight == 55);
  CHECK(ev.time == at(0));
  CHECK(ev.targets.empty());
}

TEST_CASE("wmic /node with a host list is a source-side event naming every target",
          "[hunt][analysis][evidence]") {
  auto ev = hunt::to_evidence(
      process(at(1), "wks07.corp.local", "C:\\Windows\\System32\\cmd.exe",
              "C:\\Windows\\System32\\wbem\\WMIC.exe",
              R"(wmic /node:"srv01.corp.local","SRV02" process call create "cmd.exe /c whoami")"),
      wmic_node());
  CHECK(ev.source_host == "WKS07");
  CHECK(ev.target_host == "SRV01");
  CHECK(ev.targets == std::vector<std::string>{"SRV01", "SRV02"});
  CHECK(ev.attribution == "event");
  CHECK(ev.user == "alice");

  CHECK(hunt::command_line_targets("wmic /node:srv03,srv04 /user:x process call create calc") ==
        std::vector<std::string>{"SRV03", "SRV04"});
  CHECK(hunt::command_line_targets("wmic /node:localhost process call create calc").empty());
  CHECK(hunt::command_line_targets("wmic /node:@hosts.txt process call create calc").empty());
}

TEST_CASE("the runbook's parent cmd.exe wmic command line is read when the child names nothing",
          "[hunt][analysis][evidence]") {
  Json e = process(at(1), "WKS07", "C:\\Windows\\System32\\cmd.exe",
                   "C:\\Windows\\System32\\conhost.exe", "conhost.exe 0xffffffff");
  e["principal"]["process"]["command_line"] = "cmd /c wmic /node:SRV09 process call create x.exe";
  auto ev = hunt::to_evidence(e, wmic_node());
  CHECK(ev.source_host == "WKS07");
  CHECK(ev.targets == std::vector<std::string>{"SRV09"});
}

TEST_CASE("psexec, sc and PowerShell remoting command lines name their targets",
          "[hunt][analysis][evidence]") {
  CHECK(hunt::command_line_targets(R"(PsExec64.exe \\srv03.corp.local -accepteula -s cmd)") ==
        std::vector<std::string>{"SRV03"});
  CHECK(hunt::command_line_targets(R"(psexec \\srv03,srv04 -u corp\bob cmd)") ==
        std::vector<std::string>{"SRV03", "SRV04"});
  SECTION("a renamed PsExec is recognised from OriginalFileName") {
    CHECK(hunt::command_line_targets(R"(svc.exe \\SRV06 cmd)", "C:\\Temp\\svc.exe", "psexec.c") ==
          std::vector<std::string>{"SRV06"});
  }
  CHECK(hunt::command_line_targets(R"(sc.exe \\SRV07 create upd binPath= "cmd /c x")") ==
        std::vector<std::string>{"SRV07"});
  CHECK(hunt::command_line_targets(
            "powershell Invoke-WmiMethod -ComputerName 'SRV04','srv05' -Class Win32_Process "
            "-Name Create -ArgumentList calc") == std::vector<std::string>{"SRV04", "SRV05"});
  CHECK(hunt::command_line_targets("Invoke-CimMethod -CN @(\"SRV08\") -ClassName Win32_Process") ==
        std::vector<std::string>{"SRV08"});
  CHECK(hunt::command_line_targets("Get-WmiObject -ComputerName $env:COMPUTERNAME").empty());
  SECTION("Impacket's local ADMIN$ redirect is not a remote target") {
    CHECK(hunt::command_line_targets(
              R"(cmd.exe /Q /c whoami 1> \\127.0.0.1\ADMIN$\__1714557600.123 2>&1)")
              .empty());
  }
}

TEST_CASE("camelCase keys and the udm wrapper read like snake_case", "[hunt][analysis][evidence]") {
  Json camel = {
      {"udm",
       {{"metadata",
         {{"eventTimestamp", at(3)}, {"eventType", "USER_LOGIN"}, {"productEventType", "4624"}}},
        {"principal", {{"hostname", "SRV02.corp.local"}}},
        {"target", {{"user", {{"userid", "bob"}}}}},
        {"src", {{"ip", "10.0.0.7"}, {"hostname", "wks07"}}},
        {"additional",
         {{"fields", Json::array({{{"key", "TargetLogonId"}, {"value", {{"stringValue", "0x77"}}}},
                                  {{"key", "LogonType"}, {"value", "3"}}})}}}}}};
  auto ev = hunt::to_evidence(camel, psexec_service());
  CHECK(ev.time == at(3));
  CHECK(ev.product_event_type == "4624");
  CHECK(ev.target_host == "SRV02");
  CHECK(ev.source_host == "WKS07");
  CHECK(ev.source_ip == "10.0.0.7");
  CHECK(ev.logon_id == "0x77");
  CHECK(ev.user == "bob");
  CHECK(ev.attribution == "event");
}

TEST_CASE("local logons and machine accounts do not pose as sources or users",
          "[hunt][analysis][evidence]") {
  auto local =
      hunt::to_evidence(logon(at(0), "SRV01", "bob", "127.0.0.1", "SRV01", 2), psexec_service());
  CHECK(local.source_host.empty());
  CHECK(local.source_ip.empty());

  Json child = process(at(0), "SRV01", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
                       "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami", "SRV01$");
  child["target"]["user"]["userid"] = "carol";
  auto ev = hunt::to_evidence(child, wmi_child());
  CHECK(ev.user == "carol");
  CHECK(ev.target_host == "SRV01");
  CHECK(ev.source_host.empty());
}

TEST_CASE("inbound SMB is attributed in both Sysmon directions", "[hunt][analysis][evidence]") {
  SECTION("newer Sysmon: remote → local:445, Initiated=false") {
    auto ev = hunt::to_evidence(
        network(at(0), "SRV01", "10.0.0.7", 51000, "10.0.1.1", 445, "false"), correlation());
    CHECK(ev.target_host == "SRV01");
    CHECK(ev.source_ip == "10.0.0.7");
    CHECK(ev.target_ip == "10.0.1.1");
  }
  SECTION("older Sysmon: local:445 → remote, Initiated=false") {
    auto ev = hunt::to_evidence(
        network(at(0), "SRV01", "10.0.1.1", 445, "10.0.0.7", 51000, "false"), correlation());
    CHECK(ev.target_host == "SRV01");
    CHECK(ev.source_ip == "10.0.0.7");
    CHECK(ev.target_ip == "10.0.1.1");
  }
  SECTION("outbound from the source, Initiated=true") {
    auto ev = hunt::to_evidence(
        network(at(0), "WKS07", "10.0.0.7", 51000, "10.0.1.1", 445, "true", "srv01.corp.local"),
        correlation());
    CHECK(ev.source_host == "WKS07");
    CHECK(ev.source_ip == "10.0.0.7");
    CHECK(ev.target_host == "SRV01");
  }
}

TEST_CASE("HTML-escaped command lines are unescaped before analysis",
          "[hunt][analysis][evidence]") {
  auto ev = hunt::to_evidence(
      process(at(0), "SRV01", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
              "C:\\Windows\\System32\\cmd.exe",
              R"(cmd.exe /Q /c dir 1&gt; \\127.0.0.1\ADMIN$\__1714557600.5 2&gt;&amp;1)"),
      impacket());
  CHECK(ev.command_line == R"(cmd.exe /Q /c dir 1> \\127.0.0.1\ADMIN$\__1714557600.5 2>&1)");
  CHECK(ev.targets.empty());
  CHECK(ev.target_host == "SRV01");
}

TEST_CASE("a malformed event yields empty fields, not a crash", "[hunt][analysis][evidence]") {
  for (const Json& bad : {Json(nullptr), Json::array({1, 2}), Json("text"),
                          Json{{"metadata", 5}, {"principal", Json::array()}}}) {
    auto ev = hunt::to_evidence(bad, psexec_service());
    CHECK(ev.time.empty());
    CHECK(ev.target_host.empty());
  }
}
