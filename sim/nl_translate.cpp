// nl_translate.cpp — keyword rules, applied in order to the lower-cased text. Each recognised
// concept adds one condition; event types found are OR-ed, everything else is AND-ed.
#include "sim/nl_translate.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <vector>

namespace sim {

namespace {

// Words that follow "on", "from", "to", "by", ... without being a host or user name.
const std::set<std::string>& stop_words() {
  static const std::set<std::string> words = {
      "a",        "an",      "the",     "any",      "all",      "port",     "ports",   "host",
      "hosts",    "server",  "servers", "machine",  "machines", "user",     "users",   "account",
      "accounts", "remote",  "other",   "multiple", "many",     "this",     "that",    "it",
      "them",     "last",    "past",    "day",      "days",     "hour",     "hours",   "week",
      "weeks",    "windows", "domain",  "network",  "same",     "each",     "every",   "ip",
      "admin",    "target",  "source",  "local",    "system",   "services", "service", "wmi",
      "wmic",     "psexec",  "smb",     "is",       "was",      "were",     "be",      "and",
      "or",       "with",    "in",      "of",       "for",      "at",       "via",     "using"};
  return words;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// regex_escape escapes RE2 metacharacters and the '/' that would end a UDM regex literal.
std::string regex_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(R"(\.^$|?*+()[]{}/)").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool has(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern));
}

std::vector<std::string> captures(const std::string& text, const std::regex& re) {
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    std::string value = (*it)[2].str();
    while (!value.empty() && (value.back() == '.' || value.back() == ',')) value.pop_back();
    if (value.empty() || stop_words().count(value) ||
        std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
      continue;
    }
    out.push_back((*it)[1].str() + " " + value);
  }
  return out;
}

struct Builder {
  std::vector<std::string> event_types;
  std::vector<std::string> conditions;

  void event_type(const std::string& type) {
    const std::string c = "metadata.event_type = " + quote(type);
    if (std::find(event_types.begin(), event_types.end(), c) == event_types.end()) {
      event_types.push_back(c);
    }
  }
  void add(std::string condition) {
    if (std::find(conditions.begin(), conditions.end(), condition) == conditions.end()) {
      conditions.push_back(std::move(condition));
    }
  }
  std::string query() const {
    std::vector<std::string> parts;
    if (event_types.size() == 1) parts.push_back(event_types[0]);
    if (event_types.size() > 1) {
      std::string any;
      for (const auto& t : event_types) any += (any.empty() ? "" : " OR ") + t;
      parts.push_back("(" + any + ")");
    }
    parts.insert(parts.end(), conditions.begin(), conditions.end());
    std::string q;
    for (const auto& p : parts) q += (q.empty() ? "" : " AND ") + p;
    return q;
  }
};

void activities(const std::string& t, Builder& b) {
  if (has(t, R"(psexe(c|svc)|paexec|remcom)")) {
    b.add(
        "(target.process.file.full_path = /(psexe(c|svc)|paexec|remcom)/ nocase OR "
        "principal.process.file.full_path = /(psexe(c|svc)|paexec|remcom)/ nocase OR "
        "target.application = /(psexesvc|paexe|remcom)/ nocase OR "
        "target.file.full_path = /(psexesvc|paexe|remcom)/ nocase)");
  }
  if (has(t, R"(\bwmic\b)")) {
    b.event_type("PROCESS_LAUNCH");
    b.add("target.process.file.full_path = /wmic\\.exe/ nocase");
  } else if (has(t, R"(\bwmi\b|wmiprvse|windows management instrumentation)")) {
    b.event_type("PROCESS_LAUNCH");
    b.add(
        "(principal.process.file.full_path = /wmiprvse\\.exe/ nocase OR "
        "target.process.file.full_path = /wmic\\.exe/ nocase)");
  }
  if (has(t, R"(process\s+call\s+create)")) {
    b.add("target.process.command_line = /process\\s+call\\s+create/ nocase");
  }
  if (has(t, R"(\bpowershell\b)")) {
    b.event_type("PROCESS_LAUNCH");
    b.add("target.process.file.full_path = /powershell\\.exe/ nocase");
  }
  if (has(t,
          R"(service\s+(install|creat)|services?\s+(were\s+|was\s+)?(installed|created)|new\s+services?\b|\b7045\b|\b4697\b)")) {
    b.event_type("SERVICE_CREATION");
  }
  if (has(t, R"(network\s+connection|\bconnections?\b|\bport\s+\d+)")) {
    b.event_type("NETWORK_CONNECTION");
  }
  std::smatch port;
  if (std::regex_search(t, port, std::regex(R"(\bport\s+(\d{1,5})\b)"))) {
    b.add("target.port = " + port[1].str());
  }
  if (has(t, R"(\blog\s?ons?\b|\blog\s?ins?\b|\bsign-?ins?\b|authenticat|\b4624\b|\b4625\b)")) {
    b.event_type("USER_LOGIN");
    if (has(t, R"(\bfail|\b4625\b)")) b.add("security_result.action = \"BLOCK\"");
    if (has(t, R"(network\s+log|type\s*3\b)")) b.add("extensions.auth.mechanism = \"NETWORK\"");
  }
  if (has(t,
          R"(process\s+(launch|creat|execution|start)|processes\s+(launched|started|created)|\bprocesses\b)")) {
    b.event_type("PROCESS_LAUNCH");
  }
  if (has(t, R"(named\s+pipes?)")) {
    b.add("(metadata.product_event_type = \"17\" OR metadata.product_event_type = \"18\")");
  }
  if (has(t, R"(admin\s+shares?|admin\$|ipc\$|\bc\$)")) {
    b.add("(metadata.product_event_type = \"5140\" OR metadata.product_event_type = \"5145\")");
  }
}

void entities(const std::string& t, Builder& b) {
  static const std::regex kIp(
      R"(\b((25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3})\b)");
  std::vector<std::string> ips;
  for (auto it = std::sregex_iterator(t.begin(), t.end(), kIp); it != std::sregex_iterator();
       ++it) {
    const std::string ip = (*it)[1].str();
    ips.push_back(ip);
    b.add("(principal.ip = " + quote(ip) + " OR target.ip = " + quote(ip) +
          " OR src.ip = " + quote(ip) + ")");
  }
  static const std::regex kHost(
      R"(\b(on|from|to|host|hostname|computer|machine|workstation|server)\s+(?:(?:host|hostname|server|machine|computer|workstation)\s+)?([a-z0-9][a-z0-9\-\.]*))");
  for (const auto& match : captures(t, kHost)) {
    const auto space = match.find(' ');
    const std::string role = match.substr(0, space);
    const std::string host = match.substr(space + 1);
    if (std::find(ips.begin(), ips.end(), host) != ips.end()) continue;
    const std::string re = "/^" + regex_escape(host) + "(\\.|$)/ nocase";
    if (role == "to") {
      b.add("target.hostname = " + re);
    } else if (role == "from") {
      b.add("(principal.hostname = " + re + " OR src.hostname = " + re + ")");
    } else {
      b.add("(principal.hostname = " + re + " OR target.hostname = " + re + ")");
    }
  }
  static const std::regex kUser(
      R"(\b(user|account|by|as)\s+(?:(?:user|account)\s+)?([a-z0-9_\\\-\.\$@]+))");
  for (const auto& match : captures(t, kUser)) {
    std::string user = match.substr(match.find(' ') + 1);
    if (auto slash = user.rfind('\\'); slash != std::string::npos) user = user.substr(slash + 1);
    if (user.empty() || stop_words().count(user)) continue;
    b.add("(principal.user.userid = " + quote(user) +
          " nocase OR target.user.userid = " + quote(user) + " nocase)");
  }
}

}  // namespace

mcp::Result<std::string> translate_to_udm(std::string_view text) {
  const std::string t = lower(text);
  Builder b;
  activities(t, b);
  entities(t, b);
  const std::string q = b.query();
  if (q.empty()) {
    return mcp::Error{kNotTranslatable,
                      "Failed to translate the request into a UDM query: no known activity, "
                      "host, user or IP address in \"" +
                          std::string(text) + "\""};
  }
  return q;
}

}  // namespace sim
