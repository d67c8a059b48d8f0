// demo_org.cpp — the demo enterprise's hosts and people, and the tools whose hashes the events
// and the IOC file share.
#include <cstdio>

#include "sim/demo/demo_parts.hpp"

namespace sim::demo {

namespace {

// One user per workstation WKS-01 … WKS-36; mbrown sits at WKS-07.
constexpr const char* kUsers[] = {
    "asmith",   "bjones",   "cwilliams", "dtaylor", "edavies",   "fevans",    "mbrown",  "gthomas",
    "hroberts", "ijohnson", "jwalker",   "kwright", "lrobinson", "mthompson", "nwhite",  "ohughes",
    "pedwards", "rgreen",   "shall",     "twood",   "uharris",   "vlewis",    "wmartin", "xjackson",
    "yclarke",  "zclark",   "aturner",   "bhill",   "cscott",    "dcooper",   "emorris", "fward",
    "gmoore",   "hking",    "iwatson",   "jbaker"};

}  // namespace

Org make_org() {
  Org org;
  org.hosts = {
      {"DC01", "10.20.0.10", "dc", ""},     {"DC02", "10.20.0.11", "dc", ""},
      {"FS01", "10.20.0.20", "file", ""},   {"SQL01", "10.20.0.30", "sql", ""},
      {"JUMP01", "10.20.0.40", "jump", ""}, {"SCCM01", "10.20.0.50", "sccm", ""},
  };
  int index = 1;
  for (const char* user : kUsers) {
    char name[16];
    std::snprintf(name, sizeof name, "WKS-%02d", index);
    org.hosts.push_back({name, "10.20.1." + std::to_string(100 + index), "workstation", user});
    ++index;
  }
  return org;
}

const Host& Org::host(const std::string& name) const {
  for (const Host& h : hosts) {
    if (h.name == name) return h;
  }
  return hosts.front();
}

std::vector<const Host*> Org::workstations() const {
  std::vector<const Host*> out;
  for (const Host& h : hosts) {
    if (!h.is_server()) out.push_back(&h);
  }
  return out;
}

const Tool& implant_tool() {
  static const Tool tool{
      "C:\\Users\\mbrown\\AppData\\Local\\Microsoft\\OneDrive\\OneDriveUpdater.exe",
      "OneDriveUpdater.exe",
      "OneDriveUpdater.exe",
      {"9F4E2C7A1B3D5E6F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7",
       "5C2B7E9A1D3F4E6A8B0C2D4E6F8A0B2C4D6E8F0A", "7D3A9C1E5B2F4A6C8E0D2B4F6A8C0E2D",
       "F34D5F2D4577ED6D9CEEC516C1F5A744"}};
  return tool;
}

const Tool& mimikatz_tool() {
  static const Tool tool{"C:\\ProgramData\\Intel\\mm.exe",
                         "mimikatz.exe",
                         "mimikatz.exe",
                         {"61C0810A23580CF492A6BA4F7654566108331E7A4134C968C2D6A05261B2D8A1",
                          "E3B6EA8C46FA831CEC6F235A5CF48B38A4AE8D69",
                          "29EFD64DD3C7FE1E2B022B7AD73A1BA5", "1B0369A1E06271833F78FFA70FFB4EAF"}};
  return tool;
}

const Tool& renamed_psexec_tool() {
  static const Tool tool{"C:\\ProgramData\\Intel\\msupd.exe",
                         "psexec.c",
                         "PsExec.exe",
                         {"AD6B98C01EE849874E4B4502C3D7853196F6044240D3271E4AB3FC6E3C08E9A4",
                          "2B9A8A8F9B1F7A4D0E4A2C6D8B1E3F5A7C9D0E2F",
                          "AEEE996FD3484F28E5CD85FE26B6BDCD", "A1C6D8A3E2B7F9C0D4E5F6A7B8C9D0E1"}};
  return tool;
}

const Tool& admin_psexec_tool() {
  static const Tool tool{"C:\\Tools\\SysinternalsSuite\\PsExec64.exe",
                         "psexec.c",
                         "PsExec64.exe",
                         {"EDFAE1A69522F87B12C6DAC3225D930E4848832E3C551EE1E7D31736BF4525EF",
                          "FB0A150601470195C47B4E8D87FCB3F50292BEB2",
                          "9321C107D1F7E336CDA550A2BF049108", "C5B8D2F4A6E8B0C2D4F6A8C0E2B4D6F8"}};
  return tool;
}

}  // namespace sim::demo
