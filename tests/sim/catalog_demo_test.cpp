// schemas/detection_catalog.json: valid against its schema, every query valid UDM Search, every
// family covered, and every query finding something in the demo enterprise — including both the
// benign admin PsExec from JUMP01 and the intrusion from WKS-07, so the hunt must tell them apart
// by context rather than by query.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "demo_events.hpp"
#include "mcp/schema.hpp"
#include "sim/windows_mapping.hpp"
#include "tools/hunt/model.hpp"
#include "tools/schemas.hpp"
#include "udm/query.hpp"

using demo_test::json;
using demo_test::mapped_demo;
using demo_test::text_at;

namespace {

const json& catalog() {
  static const json doc = [] {
    auto loaded = tools::load_schema("detection_catalog.json");
    return loaded ? *loaded : json();
  }();
  return doc;
}

const json& entry(const std::string& id) {
  static const json none;
  for (const json& d : catalog()["detections"]) {
    if (d["id"] == id) return d;
  }
  return none;
}

// matching returns the mapped demo events that the catalog entry's query matches.
std::vector<const json*> matching(const std::string& id) {
  std::vector<const json*> out;
  const json& d = entry(id);
  if (!d.is_object()) return out;
  auto parsed = udm::parse(d["query"].get<std::string>());
  if (!parsed) return out;
  for (const json& e : mapped_demo()) {
    if (udm::matches(parsed.value(), e)) out.push_back(&e);
  }
  return out;
}

std::set<std::string> hosts_of(const std::vector<const json*>& events) {
  std::set<std::string> hosts;
  for (const json* e : events)
    hosts.insert(sim::short_hostname(text_at(*e, {"principal", "hostname"})));
  return hosts;
}

bool any_field_contains(const std::vector<const json*>& events,
                        std::initializer_list<const char*> path, const std::string& needle) {
  for (const json* e : events) {
    if (text_at(*e, path).find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the detection catalog is embedded and validates against its schema", "[catalog]") {
  REQUIRE(catalog().is_object());
  auto schema_json = tools::load_schema("detection_catalog.schema.json");
  REQUIRE(schema_json);
  auto schema = mcp::JsonSchema::compile(*schema_json);
  INFO((schema ? std::string() : schema.error().message));
  REQUIRE(schema);
  const auto problem = schema->validate(catalog());
  INFO(problem.value_or(""));
  CHECK_FALSE(problem);

  // The schema refuses what it should: an unknown family, a weight over 100, a missing query.
  json bad = catalog();
  bad["detections"][0]["family"] = "kerberoasting";
  CHECK(schema->validate(bad));
  bad = catalog();
  bad["detections"][0]["weight"] = 101;
  CHECK(schema->validate(bad));
  bad = catalog();
  bad["detections"][0].erase("query");
  CHECK(schema->validate(bad));
}

TEST_CASE("catalog ids are unique, weights in range and every family has detections", "[catalog]") {
  const json& detections = catalog()["detections"];
  REQUIRE(detections.size() >= 20);
  std::set<std::string> ids;
  std::map<std::string, int> per_family;
  int scored = 0;
  for (const json& d : detections) {
    const std::string id = d["id"].get<std::string>();
    INFO(id);
    CHECK(ids.insert(id).second);
    CHECK(d["weight"].get<int>() >= 0);
    CHECK(d["weight"].get<int>() <= 100);
    CHECK((d["role"] == "detection" || d["role"] == "context"));
    CHECK(d["techniques"][0] == d["technique"]);
    ++per_family[d["family"].get<std::string>()];
    if (d["role"] == "detection") ++scored;
  }
  for (const std::string& family : hunt::all_families()) {
    INFO(family);
    CHECK(per_family[family] > 0);
  }
  CHECK(per_family.size() == hunt::all_families().size());
  CHECK(scored >= 20);
  // Context queries for correlation and fan-out (detections.md §2 rows 5 and 17).
  for (const char* id :
       {"network_logons", "smb_rpc_connections", "admin_share_access", "service_installs"}) {
    INFO(id);
    CHECK(entry(id)["role"] == "context");
  }
}

TEST_CASE("every catalog query is valid UDM Search with an event-type field", "[catalog]") {
  for (const json& d : catalog()["detections"]) {
    const std::string query = d["query"].get<std::string>();
    INFO(d["id"].get<std::string>() << ": " << query);
    auto parsed = udm::parse(query);
    INFO((parsed ? std::string() : parsed.error().describe()));
    CHECK(parsed);
    CHECK((query.find("metadata.event_type") != std::string::npos ||
           query.find("metadata.product_event_type") != std::string::npos));
    CHECK(query.find("CONTAINS") == std::string::npos);
    CHECK(query.find("NOT IN") == std::string::npos);
    if (parsed) {
      // The canonical form parses again (the hunt conjoins and re-prints queries).
      CHECK(udm::parse(udm::to_string(parsed.value())));
    }
  }
}

TEST_CASE("the runbook's original queries are kept and are not valid UDM Search", "[catalog]") {
  int with_contains = 0;
  for (const json& d : catalog()["detections"]) {
    if (!d.contains("runbook_query")) continue;
    const std::string original = d["runbook_query"].get<std::string>();
    if (original.find("CONTAINS") != std::string::npos ||
        original.find("NOT IN") != std::string::npos) {
      INFO(original);
      CHECK_FALSE(udm::parse(original));
      ++with_contains;
    }
  }
  CHECK(with_contains >= 5);
}

TEST_CASE("every catalog query matches at least one mapped demo event", "[catalog][demo]") {
  REQUIRE(mapped_demo().size() == demo_test::demo().windows_records.size());
  for (const json& d : catalog()["detections"]) {
    const std::string id = d["id"].get<std::string>();
    INFO(id << ": " << d["query"].get<std::string>());
    CHECK(!matching(id).empty());
  }
}

TEST_CASE("admin PsExec from JUMP01 and the intrusion from WKS-07 match the same PsExec queries",
          "[catalog][demo]") {
  const auto clients = matching("psexec_client");
  CHECK(hosts_of(clients).count("JUMP01") == 1);
  CHECK(hosts_of(clients).count("WKS-07") == 1);

  const auto pipes = matching("psexec_default_pipes");
  CHECK(any_field_contains(pipes, {"target", "file", "full_path"}, "PSEXESVC-JUMP01-"));
  CHECK(any_field_contains(pipes, {"target", "file", "full_path"}, "PSEXESVC-WKS-07-"));

  for (const char* id : {"psexec_service_install", "service_remote_client", "svcctl_over_ipc"}) {
    INFO(id);
    const auto events = matching(id);
    CHECK(any_field_contains(events, {"principal", "user", "userid"}, "adm-jsmith"));
    CHECK(any_field_contains(events, {"principal", "user", "userid"}, "adm-lchen"));
  }
  const auto children = matching("psexesvc_children");
  CHECK(hosts_of(children).count("SQL01") == 1);
  CHECK(hosts_of(children).count("DC01") == 1);
}

TEST_CASE("intrusion-only queries stay quiet on the benign administration", "[catalog][demo]") {
  // SCCM's WmiPrvSE children run as SYSTEM; only the intrusion's run as a user.
  CHECK(matching("wmiprvse_child").size() > matching("wmiprvse_shell_child").size());
  for (const json* e : matching("wmiprvse_shell_child")) {
    CHECK(text_at(*e, {"target", "user", "userid"}) == "adm-lchen");
  }
  // The jump host's inventory wmic uses /node: but never process call create.
  CHECK(hosts_of(matching("wmic_remote_node")).count("JUMP01") == 1);
  CHECK(hosts_of(matching("wmic_remote_process_create")) == std::set<std::string>{"WKS-07"});
  CHECK(hosts_of(matching("renamed_psexec_client")) == std::set<std::string>{"WKS-07"});
  CHECK(hosts_of(matching("impacket_wmiexec")) == std::set<std::string>{"WKS-19"});
  // Both wmiexec commands match, including the one whose command line arrived HTML-escaped.
  CHECK(matching("impacket_wmiexec").size() >= 2);
}
