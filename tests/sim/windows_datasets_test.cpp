// Dev-time check (hidden, not a ctest): every record of the OTRF datasets parses and the attack
// events map and are found by catalog-style UDM queries. Run it as documented in
// docs/windows-mapping.md ("Dev-time check") with LMHUNT_DATASETS_DIR set to the unzipped files.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/windows_mapping.hpp"
#include "udm/query.hpp"

namespace {

using nlohmann::json;

// MappedFile holds one dataset's UDM events and what could not be mapped.
struct MappedFile {
  std::vector<json> events;
  std::size_t records = 0;
  std::size_t unmapped = 0;
  std::map<std::string, std::size_t> failures;  // reason → count (parse or non-"unmapped" map)
};

MappedFile map_file(const std::filesystem::path& path) {
  MappedFile out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++out.records;
    json object = json::parse(line, nullptr, false);
    std::string why;
    auto record = sim::parse_windows_record(object, &why);
    if (!record) {
      ++out.failures["parse: " + why];
      continue;
    }
    auto event = sim::map_windows_event(*record, &why);
    if (event) {
      out.events.push_back(std::move(*event));
    } else if (why.starts_with("unmapped")) {
      ++out.unmapped;
    } else {
      ++out.failures["map: " + why.substr(0, why.find(" ("))];
    }
  }
  return out;
}

std::size_t count(const MappedFile& file, const char* query) {
  auto parsed = udm::parse(query);
  INFO(query);
  REQUIRE(parsed);
  std::size_t n = 0;
  for (const json& event : file.events) n += udm::matches(parsed.value(), event) ? 1 : 0;
  return n;
}

std::vector<const json*> matching(const MappedFile& file, const char* query) {
  auto parsed = udm::parse(query);
  REQUIRE(parsed);
  std::vector<const json*> out;
  for (const json& event : file.events)
    if (udm::matches(parsed.value(), event)) out.push_back(&event);
  return out;
}

}  // namespace

TEST_CASE("the OTRF datasets parse completely and their attack events map", "[.dev][mapping]") {
  const char* dir = std::getenv("LMHUNT_DATASETS_DIR");
  if (dir == nullptr) {
    WARN("LMHUNT_DATASETS_DIR is not set; see docs/windows-mapping.md (Dev-time check)");
    return;
  }
  // Mapped once for all sections (Catch runs the test case again for each section).
  static std::map<std::string, MappedFile> files = [dir] {
    std::map<std::string, MappedFile> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      std::string name = entry.path().filename().string();
      out[name.substr(0, name.find("_20"))] = map_file(entry.path());
    }
    return out;
  }();
  for (const auto& [name, file] : files) {
    for (const auto& [reason, n] : file.failures) UNSCOPED_INFO(n << " x " << reason);
    INFO(name << ": " << file.records << " records, " << file.events.size() << " mapped, "
              << file.unmapped << " unmapped");
    CHECK(file.records > 0);
    CHECK(file.failures.empty());
  }

  SECTION("PsExec run locally (cmd_psexec_lsa_secrets_dump)") {
    REQUIRE(files.count("cmd_psexec_lsa_secrets_dump"));
    const MappedFile& f = files.at("cmd_psexec_lsa_secrets_dump");
    CHECK(
        count(
            f,
            R"((metadata.product_event_type = "7045" OR metadata.product_event_type = "4697") AND target.application = "PSEXESVC" nocase AND target.process.file.full_path = /psexesvc\.exe$/ nocase)") ==
        2);
    CHECK(
        count(
            f,
            R"((metadata.product_event_type = "17" OR metadata.product_event_type = "18") AND metadata.product_name = "Microsoft-Windows-Sysmon" AND target.file.full_path = /^\\PSEXESVC/ nocase)") ==
        8);
    CHECK(
        count(
            f,
            R"(metadata.event_type = "PROCESS_LAUNCH" AND (target.process.file.full_path = /\\psexec\.exe$/ nocase OR src.process.file.full_path = "psexec.c" nocase))") ==
        2);
    CHECK(
        count(
            f,
            R"(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\psexesvc\.exe$/ nocase)") ==
        2);
    CHECK(
        count(
            f,
            R"(metadata.product_event_type = "5145" AND target.resource.name = /IPC\$/ AND target.file.full_path = /PSEXESVC/ nocase)") ==
        1);
    CHECK(
        count(
            f,
            R"(metadata.event_type = "NETWORK_CONNECTION" AND (target.port = 445 OR principal.port = 445))") ==
        2);
  }

  SECTION("remote WMI process creation (empire_wmic_add_user_backdoor)") {
    REQUIRE(files.count("empire_wmic_add_user_backdoor"));
    const MappedFile& f = files.at("empire_wmic_add_user_backdoor");
    CHECK(
        count(
            f,
            R"(metadata.event_type = "PROCESS_LAUNCH" AND target.process.file.full_path = /\\wmic\.exe$/ nocase AND target.process.command_line = /\/node:/ nocase)") ==
        2);
    auto children = matching(
        f,
        R"(metadata.event_type = "PROCESS_LAUNCH" AND principal.process.file.full_path = /\\wmiprvse\.exe$/ nocase AND NOT target.process.file.full_path = /\\(wmiprvse|werfault)\.exe$/ nocase)");
    REQUIRE(children.size() == 2);
    std::string logon_id;
    for (const json* child : children) {
      CHECK(udm::matches(
          udm::parse(R"(target.process.file.full_path = /\\net\.exe$/ nocase)").value(), *child));
      CHECK((*child)["principal"]["hostname"] == "WORKSTATION6.theshire.local");
      if ((*child)["metadata"]["product_event_type"] == "4688")
        logon_id = (*child)["additional"]["fields"]["TargetLogonId"];
    }
    CHECK(logon_id == "0x551686");
    auto logons = matching(
        f,
        R"(metadata.event_type = "USER_LOGIN" AND metadata.product_event_type = "4624" AND extensions.auth.mechanism = "NETWORK" AND src.ip = "172.18.39.5" AND target.user.userid = "pgustavo")");
    CHECK(logons.size() == 3);
    bool linked = false;
    for (const json* logon : logons)
      linked = linked || (*logon)["additional"]["fields"]["TargetLogonId"] == logon_id;
    CHECK(linked);
    CHECK(
        count(
            f,
            R"(metadata.event_type = "NETWORK_CONNECTION" AND target.port = 135 AND target.ip = "172.18.39.6" AND principal.ip = "172.18.39.5")") ==
        4);
    // Every mapped event has an RFC 3339 UTC time (NXLog local times converted).
    for (const json& event : f.events) {
      const std::string t = event["metadata"]["event_timestamp"];
      REQUIRE(t.starts_with("2020-09-14T12:0"));
    }
  }
}
