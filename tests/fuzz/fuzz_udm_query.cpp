// fuzz_udm_query: the UDM Search parser, printer and evaluator.
//
// The input is a query text. When it parses, the canonical text must parse again and print the
// same (the round trip query.hpp promises), both queries must agree on fixed events, and
// conjoin / required_equalities must hold up. The only reparse failures allowed are the limits
// printing can cross: kMaxQueryBytes (the canonical text adds spaces and explicit ANDs) and
// kMaxLogicalOperatorsPerGroup (dropping redundant parentheses can merge two groups into one).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "udm/query.hpp"

namespace {

using nlohmann::json;

[[noreturn]] void fail(const char* what, std::string_view query, const std::string& detail) {
  std::fprintf(stderr, "fuzz_udm_query invariant broken: %s\nquery: %.*s\ndetail: %s\n", what,
               static_cast<int>(query.size()), query.data(), detail.c_str());
  std::abort();
}

// Events in both export styles, with repeated fields, timestamps and additional.fields.
const json& events() {
  static const json* e = new json(json::parse(R"json([
    {"metadata": {"event_type": "PROCESS_LAUNCH", "product_event_type": "1",
                  "event_timestamp": "2022-08-18T01:00:00Z",
                  "ingested_timestamp": {"seconds": 1660784400, "nanos": 5}},
     "principal": {"hostname": "WORKSTATION6", "ip": ["10.0.0.6", "fe80::6"],
                   "process": {"file": {"full_path": "C:\\Windows\\PSEXESVC.exe"}, "pid": "4242"}},
     "target": {"process": {"file": {"full_path": "C:\\Windows\\System32\\cmd.exe"},
                            "command_line": "cmd.exe /c whoami\nsecond line"},
                "port": 445, "user": {"userid": "Administrator"}},
     "security_result": [{"action": "ALLOW", "severity": "LOW"}, {"action": "BLOCK"}],
     "network": {"tls": {"established": true}, "direction": "INBOUND"},
     "extensions": {"auth": {"type": "MACHINE"}},
     "additional": {"fields": [{"key": "Initiated", "value": {"string_value": "true"}},
                               {"key": "Count", "value": {"number_value": 3}}]}},
    {"udm": {"metadata": {"eventType": "NETWORK_CONNECTION", "productEventType": "3",
                          "eventTimestamp": "2022-08-18T03:00:00.250+02:00"},
             "principal": {"ip": ["10.0.0.7"], "port": "49812"},
             "target": {"ip": ["10.0.0.5"], "port": "445",
                        "process": {"commandLine": "svchost.exe -k RPCSS"}},
             "network": {"ipProtocol": "TCP"},
             "additional": {"fields": {"Initiated": {"stringValue": "false"}}}}},
    {"metadata": {"event_type": "USER_LOGIN", "event_timestamp": "yesterday"},
     "principal": null, "target": {"ip": [], "port": -1.5e300, "hostname": ""}}
  ])json"));
  return *e;
}

// quoted writes value as a UDM Search string literal.
std::string udm_literal(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

// reparse_allowed_to_fail: the printed text crossed a limit the input stayed within.
bool reparse_allowed_to_fail(const std::string& printed, const udm::ParseError& error) {
  return printed.size() > udm::kMaxQueryBytes ||
         error.message.find("logical operators") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const udm::ParseResult parsed = udm::parse(text);
  if (!parsed) {
    const auto& error = parsed.error();
    if (error.position > text.size()) fail("error position past the end", text, error.describe());
    return 0;
  }
  const udm::Query& query = parsed.value();
  const std::string printed = udm::to_string(query);
  const udm::ParseResult reparsed = udm::parse(printed);
  if (!reparsed) {
    if (reparse_allowed_to_fail(printed, reparsed.error())) return 0;
    fail("the canonical text does not parse", text, printed + "\n" + reparsed.error().describe());
  }
  const std::string reprinted = udm::to_string(reparsed.value());
  if (reprinted != printed) fail("the canonical text prints differently", text, printed);

  const udm::Query both = udm::conjoin(query, reparsed.value());
  for (const auto& event : events()) {
    const bool a = udm::matches(query, event);
    if (udm::matches(reparsed.value(), event) != a) {
      fail("query and its canonical text disagree on an event", text, event.dump());
    }
    if (udm::matches(both, event) != a) fail("q AND q differs from q", text, event.dump());
  }
  (void)udm::to_string(both);

  // required_equalities' contract: every event that matches the query satisfies each
  // `field = "value"` it returns.
  for (const auto& eq : udm::required_equalities(query)) {
    const udm::ParseResult condition = udm::parse(eq.field + " = " + udm_literal(eq.value));
    if (!condition) fail("a required equality does not parse", text, eq.field + " = " + eq.value);
    for (const auto& event : events()) {
      if (udm::matches(query, event) && !udm::matches(condition.value(), event)) {
        fail("a matching event breaks a required equality", text, eq.field + " = " + eq.value);
      }
    }
  }
  return 0;
}
