// catalog.cpp — load_catalog, parse_catalog, catalog_to_json (catalog.hpp).
#include "tools/hunt/catalog.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include "tools/schemas.hpp"
#include "udm/query.hpp"

namespace hunt {
namespace {

mcp::Error problem(const std::string& where, const std::string& what) {
  return mcp::Error{kCatalogError, "detection catalog: " + where + ": " + what};
}

bool is_snake_case(const std::string& s) {
  static const std::regex pattern("[a-z][a-z0-9_]*");
  return std::regex_match(s, pattern);
}

bool is_technique_id(const std::string& s) {
  static const std::regex pattern("T[0-9]{4}(\\.[0-9]{3})?");
  return std::regex_match(s, pattern);
}

// Reader pulls typed fields out of one detection object, remembering the first problem so the
// parse reads top to bottom instead of as a ladder of checks.
class Reader {
 public:
  Reader(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  std::string text(const char* key, bool required) {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      if (required) fail(key, "is required");
      return {};
    }
    if (!it->is_string()) {
      fail(key, "must be a string");
      return {};
    }
    if (required && it->get_ref<const std::string&>().empty()) fail(key, "must not be empty");
    return it->get<std::string>();
  }

  std::vector<std::string> texts(const char* key) {
    std::vector<std::string> out;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return out;
    if (!it->is_array()) {
      fail(key, "must be an array of strings");
      return out;
    }
    for (const auto& item : *it) {
      if (!item.is_string()) {
        fail(key, "must be an array of strings");
        return out;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  int integer(const char* key) {
    auto it = object_.find(key);
    if (it == object_.end() || !it->is_number_integer()) {
      fail(key, "must be an integer");
      return 0;
    }
    return it->get<int>();
  }

  void fail(const std::string& key, const std::string& why) {
    if (!error_) error_ = problem(where_ + " field " + key, why);
  }
  const std::optional<mcp::Error>& error() const { return error_; }

 private:
  const Json& object_;
  std::string where_;
  std::optional<mcp::Error> error_;
};

mcp::Result<CatalogEntry> parse_entry(const Json& object, std::size_t index) {
  if (!object.is_object()) {
    return problem("detections[" + std::to_string(index) + "]", "must be an object");
  }
  std::string where = "detections[" + std::to_string(index) + "]";
  if (auto id = object.find("id"); id != object.end() && id->is_string()) {
    where = "detection " + id->get<std::string>();
  }
  Reader r(object, where);
  // udm::Query has no empty state, so fields are read first and the entry is built last.
  struct Fields {
    std::string id, title, family, role, technique, query, natural_language, runbook_query,
        rationale;
    std::vector<std::string> techniques, false_positives, extract;
    int weight = 0;
  } e;
  e.id = r.text("id", true);
  e.title = r.text("title", true);
  e.family = r.text("family", true);
  e.role = r.text("role", true);
  e.technique = r.text("technique", true);
  e.techniques = r.texts("techniques");
  e.query = r.text("query", true);
  e.natural_language = r.text("natural_language", false);
  e.runbook_query = r.text("runbook_query", false);
  e.rationale = r.text("rationale", false);
  e.false_positives = r.texts("false_positives");
  e.weight = r.integer("weight");
  e.extract = r.texts("extract");
  if (r.error()) return *r.error();

  const auto& families = all_families();
  if (!is_snake_case(e.id)) r.fail("id", "'" + e.id + "' is not snake_case");
  if (std::find(families.begin(), families.end(), e.family) == families.end()) {
    std::string valid;
    for (const auto& f : families) valid += (valid.empty() ? "" : ", ") + f;
    r.fail("family", "'" + e.family + "' is not one of " + valid);
  }
  if (e.role != "detection" && e.role != "context") {
    r.fail("role", "'" + e.role + "' must be \"detection\" or \"context\"");
  }
  if (!is_technique_id(e.technique)) {
    r.fail("technique", "'" + e.technique + "' is not an ATT&CK id like T1047 or T1021.002");
  }
  if (e.techniques.empty()) e.techniques.push_back(e.technique);
  if (e.techniques.front() != e.technique) {
    r.fail("techniques", "must start with the primary technique " + e.technique);
  }
  for (const auto& t : e.techniques) {
    if (!is_technique_id(t)) r.fail("techniques", "'" + t + "' is not an ATT&CK id");
  }
  if (e.weight < 0 || e.weight > 100) r.fail("weight", "must be between 0 and 100");
  if (r.error()) return *r.error();

  auto parsed = udm::parse(e.query);
  if (!parsed) {
    return problem(where + " field query", "not valid UDM Search " + parsed.error().describe());
  }
  if (e.query.find("metadata.event_type") == std::string::npos &&
      e.query.find("metadata.product_event_type") == std::string::npos) {
    return problem(where + " field query",
                   "must constrain metadata.event_type or metadata.product_event_type");
  }
  return CatalogEntry{.id = std::move(e.id),
                      .title = std::move(e.title),
                      .technique = std::move(e.technique),
                      .techniques = std::move(e.techniques),
                      .family = std::move(e.family),
                      .role = std::move(e.role),
                      .query = std::move(e.query),
                      .parsed = std::move(parsed).value(),
                      .natural_language = std::move(e.natural_language),
                      .runbook_query = std::move(e.runbook_query),
                      .rationale = std::move(e.rationale),
                      .false_positives = std::move(e.false_positives),
                      .weight = e.weight,
                      .extract = std::move(e.extract)};
}

}  // namespace

mcp::Result<std::vector<CatalogEntry>> parse_catalog(const Json& catalog) {
  if (!catalog.is_object()) return problem("document", "must be a JSON object");
  if (catalog.value("version", 0) != 1) return problem("version", "must be 1");
  auto detections = catalog.find("detections");
  if (detections == catalog.end() || !detections->is_array() || detections->empty()) {
    return problem("detections", "must be a non-empty array");
  }
  std::vector<CatalogEntry> entries;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < detections->size(); ++i) {
    auto entry = parse_entry((*detections)[i], i);
    if (!entry) return entry.error();
    if (!ids.insert(entry->id).second) {
      return problem("detection " + entry->id, "id is not unique");
    }
    entries.push_back(std::move(entry).value());
  }
  return entries;
}

mcp::Result<std::vector<CatalogEntry>> load_catalog() {
  auto document = tools::load_schema("detection_catalog.json");
  if (!document) return document.error();
  return parse_catalog(document.value());
}

Json catalog_to_json(const std::vector<CatalogEntry>& entries) {
  Json detections = Json::array();
  for (const auto& e : entries) {
    Json d = {{"id", e.id},       {"title", e.title},         {"family", e.family},
              {"role", e.role},   {"technique", e.technique}, {"techniques", e.techniques},
              {"query", e.query}, {"weight", e.weight}};
    if (!e.natural_language.empty()) d["natural_language"] = e.natural_language;
    if (!e.runbook_query.empty()) d["runbook_query"] = e.runbook_query;
    if (!e.rationale.empty()) d["rationale"] = e.rationale;
    if (!e.false_positives.empty()) d["false_positives"] = e.false_positives;
    if (!e.extract.empty()) d["extract"] = e.extract;
    detections.push_back(std::move(d));
  }
  return Json{{"version", 1}, {"detections", std::move(detections)}};
}

}  // namespace hunt
