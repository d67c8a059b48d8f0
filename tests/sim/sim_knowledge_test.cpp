// The pieces behind the tools that need no event store: the IOC store, the natural-language
// translation and the technique notes.
#include <catch2/catch.hpp>

#include "sim/ioc_store.hpp"
#include "sim/nl_translate.hpp"
#include "sim/threat_knowledge.hpp"
#include "udm/query.hpp"

using mcp::Json;

TEST_CASE("the IOC store finds a file by md5, sha1 or sha256 and domains in any case",
          "[sim][simserver][iocs]") {
  sim::IocStore iocs;
  REQUIRE(iocs.add_all(Json::parse(R"([
    {"type": "file", "id": "aa11", "attributes": {"md5": "BB22", "sha1": "cc33", "sha256": "aa11",
     "last_analysis_stats": {"malicious": 3}}},
    {"type": "domain", "id": "Evil.Example", "attributes": {"reputation": 0}}
  ])"))
              .ok());
  for (const char* h : {"aa11", "AA11", "bb22", "cc33"}) {
    CHECK(iocs.find(sim::IocType::kFile, h) != nullptr);
  }
  CHECK(iocs.find(sim::IocType::kDomain, "evil.example") != nullptr);
  CHECK(iocs.find(sim::IocType::kIp, "evil.example") == nullptr);
  CHECK(sim::is_flagged(*iocs.find(sim::IocType::kFile, "aa11")));
  CHECK_FALSE(sim::is_flagged(*iocs.find(sim::IocType::kDomain, "evil.example")));
}

TEST_CASE("a malformed IOC entry is refused naming the entry", "[sim][simserver][iocs]") {
  sim::IocStore iocs;
  auto bad = iocs.add_all(Json::parse(R"([{"type": "ip_address", "id": "1.2.3.4"},
                                          {"type": "mutex", "id": "x"}])"),
                          "iocs.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("iocs.json entry 2") != std::string::npos);
  CHECK_FALSE(iocs.add_all(Json::object()).ok());
}

TEST_CASE("known phrasings translate into valid UDM queries", "[sim][simserver][nl]") {
  struct Case {
    const char* text;
    std::vector<const char*> parts;
  };
  const std::vector<Case> cases = {
      {"psexec", {"psexe(c|svc)"}},
      {"wmic process call create on serhatg.local",
       {"metadata.event_type = \"PROCESS_LAUNCH\"", "wmic\\.exe", "process\\s+call\\s+create",
        "serhatg\\.local"}},
      {"service installs in the last 72 hours", {"metadata.event_type = \"SERVICE_CREATION\""}},
      {"network connections to port 445",
       {"metadata.event_type = \"NETWORK_CONNECTION\"", "target.port = 445"}},
      {"failed logons by user CORP\\jsmith",
       {"metadata.event_type = \"USER_LOGIN\"", "security_result.action = \"BLOCK\"",
        "principal.user.userid = \"jsmith\" nocase"}},
      {"activity from 10.1.2.3", {"principal.ip = \"10.1.2.3\""}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto q = sim::translate_to_udm(c.text);
    REQUIRE(q.ok());
    INFO(q.value());
    CHECK(udm::parse(q.value()).ok());
    for (const char* part : c.parts) CHECK(q.value().find(part) != std::string::npos);
  }
}

TEST_CASE("unknown phrasing is refused, not guessed", "[sim][simserver][nl]") {
  auto q = sim::translate_to_udm("what is the meaning of life");
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().code == sim::kNotTranslatable);
  CHECK(q.error().message.find("what is the meaning of life") != std::string::npos);
}

TEST_CASE("technique notes are chosen by id and by name", "[sim][simserver][intel]") {
  auto ids = [](std::string_view q) {
    std::vector<std::string> out;
    for (const auto* n : sim::select_notes(q)) out.push_back(n->id);
    return out;
  };
  CHECK(ids("Explain MITRE ATT&CK T1047") == std::vector<std::string>{"T1047"});
  CHECK(ids("T1021.002 and T1570") == std::vector<std::string>{"T1021.002", "T1570"});
  auto psexec = ids("How do I detect PsExec?");
  CHECK(std::find(psexec.begin(), psexec.end(), "T1021.002") != psexec.end());
  CHECK(std::find(psexec.begin(), psexec.end(), "T1569.002") != psexec.end());
  auto subscription = ids("WMI event subscription persistence");
  CHECK(std::find(subscription.begin(), subscription.end(), "T1546.003") != subscription.end());
  CHECK(ids("tell me about the weather").empty());
  const std::string none = sim::answer_threat_question("tell me about the weather");
  CHECK(none.find("no specific threat intelligence") != std::string::npos);
  CHECK(sim::answer_threat_question("T1059.001").find("PowerShell") != std::string::npos);
}
