// summarize.cpp — entities_to_enrich, summarize_entity_text and summarize_intel (analysis.hpp):
// "Summarise, do not paste" — enrichment is shown as one line per entity.
#include <algorithm>
#include <sstream>

#include <re2/re2.h>

#include "tools/hunt/analysis.hpp"
#include "tools/hunt/hunt_text.hpp"

namespace hunt {

namespace {

bool worth_enriching_user(const std::string& user) {
  return !user.empty() && !user.ends_with('$') && !iequals(user, "SYSTEM") &&
         !iequals(user, "LOCAL SERVICE") && !iequals(user, "NETWORK SERVICE") &&
         !iequals(user, "ANONYMOUS LOGON") && user != "-";
}

// string_at / int_at read a member without nlohmann's throwing conversions.
std::string string_at(const Json& object, const Json::json_pointer& ptr) {
  if (!object.contains(ptr)) return {};
  const Json& v = object.at(ptr);
  return v.is_string() ? v.get<std::string>() : std::string{};
}

long int_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<long>() : 0L;
}

std::string after(const std::string& line, std::string_view prefix) {
  return std::string(line.substr(prefix.size()));
}

}  // namespace

std::vector<Entity> entities_to_enrich(const std::vector<Finding>& findings,
                                       std::size_t max_entities) {
  std::vector<Entity> out;
  auto add = [&](const std::string& value, const std::string& kind, const std::string& role) {
    if (value.empty() || is_loopback_or_unset(value)) return;
    auto it = std::find_if(out.begin(), out.end(), [&](const Entity& e) {
      return e.kind == kind && iequals(e.value, value);
    });
    if (it != out.end()) {
      if (std::find(it->roles.begin(), it->roles.end(), role) == it->roles.end()) {
        it->roles.push_back(role);
      }
      return;
    }
    if (out.size() >= max_entities) return;
    out.push_back(Entity{value, kind, {role}, "", "", "", ""});
  };
  static const RE2 kUrlHost(R"((?i)\b(?:https?|ftp)://([a-z0-9.\-]+))");
  std::vector<const Finding*> relevant;
  for (const auto& f : findings) {
    if (f.verdict == "malicious" || f.verdict == "suspicious") relevant.push_back(&f);
  }
  std::stable_sort(relevant.begin(), relevant.end(),
                   [](const Finding* a, const Finding* b) { return a->score > b->score; });
  // Sources, users and IOCs of every relevant finding first, then their targets, so that one
  // wide fan-out does not crowd out the next finding's source.
  for (const Finding* f : relevant) {
    if (!f->source_host.empty()) {
      add(f->source_host, looks_like_ip(f->source_host) ? "ip" : "host", "source");
    }
    add(f->source_ip, "ip", "source");
    if (worth_enriching_user(f->user)) add(f->user, "user", "user");
    for (const auto& ex : f->examples) {
      for (const auto& h : ex.hashes) add(h, "hash", "file");
      re2::StringPiece input(ex.command_line);
      std::string host;
      while (RE2::FindAndConsume(&input, kUrlHost, &host)) {
        add(to_lower(host), looks_like_ip(host) ? "ip" : "domain", "contacted");
      }
    }
  }
  for (const Finding* f : relevant) {
    for (const auto& t : f->targets) add(t, looks_like_ip(t) ? "ip" : "host", "target");
  }
  return out;
}

std::string summarize_entity_text(const std::string& text) {
  if (istarts_with(text, "No information found")) return "not found";
  std::istringstream in(text);
  std::string line, type, first_seen, last_seen, events, alerts, related;
  std::vector<std::string> rules;
  std::string first_line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (first_line.empty() && !line.empty()) first_line = line;
    if (line.starts_with("Entity Type: ") && type.empty()) type = after(line, "Entity Type: ");
    if (line.starts_with("First Seen: ")) first_seen = after(line, "First Seen: ");
    if (line.starts_with("Last Seen: ")) last_seen = after(line, "Last Seen: ");
    if (line.starts_with("Total Events: ")) events = after(line, "Total Events: ");
    if (line.starts_with("Total Alerts: ")) alerts = after(line, "Total Alerts: ");
    if (line.starts_with("Related Entities (")) {
      related = line.substr(18, line.find(')') == std::string::npos ? 0 : line.find(')') - 18);
    }
    if (line.starts_with("- Rule: ") && rules.size() < 2) {
      auto rule = after(line, "- Rule: ");
      auto comma = rule.rfind(", Count: ");
      rules.push_back(comma == std::string::npos
                          ? rule
                          : rule.substr(0, comma) + " (" + rule.substr(comma + 9) + ")");
    }
  }
  if (istarts_with(first_line, "Error")) return "error: " + truncate_text(first_line, 120);
  std::vector<std::string> parts;
  if (!type.empty()) parts.push_back(to_lower(type));
  if (!first_seen.empty() || !last_seen.empty()) {
    parts.push_back("seen " + (first_seen.empty() ? "?" : first_seen) + " → " +
                    (last_seen.empty() ? "?" : last_seen));
  }
  if (!events.empty() || !alerts.empty()) {
    parts.push_back((events.empty() ? "?" : events) + " events, " +
                    (alerts.empty() ? "?" : alerts) + " alerts");
  }
  if (!related.empty()) parts.push_back(related + " related entities");
  if (!rules.empty()) {
    std::string r = "rules: ";
    for (std::size_t i = 0; i < rules.size(); ++i) r += (i ? ", " : "") + rules[i];
    parts.push_back(r);
  }
  if (parts.empty()) return truncate_text(first_line, 160);
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return truncate_text(out, 200);
}

std::string summarize_intel(const Json& report) {
  if (!report.is_object()) return "no analysis data";
  if (auto it = report.find("error"); it != report.end()) {
    return "error: " + truncate_text(it->is_string() ? it->get<std::string>() : it->dump(), 120);
  }
  const Json& attrs = report.contains("attributes") && report["attributes"].is_object()
                          ? report["attributes"]
                          : report;
  std::vector<std::string> parts;
  if (auto s = attrs.find("last_analysis_stats"); s != attrs.end() && s->is_object()) {
    long total = 0;
    for (const auto& [k, v] : s->items()) {
      if (v.is_number_integer()) total += v.get<long>();
    }
    long malicious = int_at(*s, "malicious"), suspicious = int_at(*s, "suspicious");
    std::string stats =
        std::to_string(malicious) + "/" + std::to_string(total) + " engines malicious";
    if (suspicious > 0) stats += ", " + std::to_string(suspicious) + " suspicious";
    parts.push_back(stats);
  }
  if (auto r = attrs.find("reputation"); r != attrs.end() && r->is_number()) {
    parts.push_back("reputation " + r->dump());
  }
  if (auto g = attrs.find("gti_assessment"); g != attrs.end() && g->is_object()) {
    std::string verdict = string_at(*g, Json::json_pointer("/verdict/value"));
    if (!verdict.empty()) parts.push_back("GTI " + to_lower(verdict.substr(verdict.find('_') + 1)));
  }
  if (auto p = attrs.find("popular_threat_classification"); p != attrs.end() && p->is_object()) {
    std::string label = string_at(*p, Json::json_pointer("/suggested_threat_label"));
    if (!label.empty()) parts.push_back(label);
  }
  if (parts.empty()) return "no analysis data";
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

}  // namespace hunt
