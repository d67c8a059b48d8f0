// docs_test.cpp — the parts of docs/ that are generated from, or checked against, schemas/ and
// the code (issue 6, Docs), so the documentation cannot drift from what lmhunt does:
//   - docs/catalog.md is rendered from the embedded schemas/detection_catalog.json;
//   - docs/configuration.md names every key the config schema and the mcpServers loader accept;
//   - every relative link in docs/*.md points at a file that exists.
// LMHUNT_UPDATE_DOCS=1 build/tests/lmhunt_tests "[docs]" rewrites docs/catalog.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tools/downstream/config.hpp"
#include "tools/schemas.hpp"

using mcp::Json;
namespace fs = std::filesystem;

namespace {

const fs::path kDocs = fs::path(LMHUNT_SOURCE_DIR) / "docs";
constexpr const char* kRegenerate = "LMHUNT_UPDATE_DOCS=1 build/tests/lmhunt_tests \"[docs]\"";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// md_escape makes catalog prose literal Markdown: titles and rationales hold Windows paths
// (\\host, __output, <pid>) that would otherwise become escapes, emphasis or HTML tags.
std::string md_escape(const std::string& text) {
  static const std::string kSpecial = "\\`*_[]<>|#";
  std::string out;
  for (char c : text) {
    if (kSpecial.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// fenced returns `code` in a fenced block whose fence is longer than any backtick run inside.
std::string fenced(const std::string& code, const std::string& language) {
  std::size_t longest = 0, run = 0;
  for (char c : code) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + language + "\n" + code + "\n" + fence + "\n";
}

// attack_link: T1569.002 → a link to its ATT&CK page.
std::string attack_link(const std::string& id) {
  std::string path = id;
  std::replace(path.begin(), path.end(), '.', '/');
  return "[" + id + "](https://attack.mitre.org/techniques/" + path + "/)";
}

const std::map<std::string, std::string>& family_titles() {
  static const std::map<std::string, std::string> titles = {
      {"psexec", "PsExec and its clones"},
      {"service_execution", "Remote service execution"},
      {"admin_shares", "Admin shares (ADMIN$, C$, IPC$)"},
      {"wmi", "WMI remote execution"},
      {"wmi_persistence", "WMI event subscriptions"},
      {"impacket", "Impacket (wmiexec, smbexec, atexec)"},
      {"powershell_remoting", "PowerShell remoting over WMI/CIM"},
      {"fan_out", "Fan-out and correlation context"}};
  return titles;
}

std::string render_detection(const Json& d) {
  std::ostringstream out;
  const std::string id = d.at("id").get<std::string>();
  out << "<a id=\"" << id << "\"></a>\n\n### " << md_escape(d.at("title").get<std::string>())
      << "\n\n";
  std::string others;
  for (const auto& t : d.at("techniques")) {
    if (t != d.at("technique")) others += (others.empty() ? "" : ", ") + attack_link(t);
  }
  out << "| id | technique | also evidences | weight | role |\n|---|---|---|---|---|\n"
      << "| `" << id << "` | " << attack_link(d.at("technique").get<std::string>()) << " | "
      << (others.empty() ? "—" : others) << " | " << d.at("weight").get<int>() << " | "
      << d.at("role").get<std::string>() << " |\n\n";
  out << "**Why:** " << md_escape(d.at("rationale").get<std::string>()) << "\n\n";
  out << "**Query** (UDM Search):\n\n" << fenced(d.at("query").get<std::string>(), "") << "\n";
  if (d.contains("runbook_query")) {
    out << "**Runbook original** (the runbook's query that this search replaces):\n\n"
        << fenced(d.at("runbook_query").get<std::string>(), "") << "\n";
  }
  out << "**Natural-language fallback** (`search_security_events`, used only when no raw UDM "
         "search tool exists): "
      << md_escape(d.at("natural_language").get<std::string>()) << "\n\n";
  out << "**False positives:**" << (d.at("false_positives").empty() ? " none noted.\n" : "\n\n");
  for (const auto& fp : d.at("false_positives")) out << "- " << md_escape(fp) << "\n";
  out << "\n**Extracted fields:** ";
  std::string fields;
  for (const auto& f : d.at("extract")) {
    fields += (fields.empty() ? "`" : ", `") + f.get<std::string>() + "`";
  }
  out << (fields.empty() ? "none" : fields) << "\n\n";
  return out.str();
}

// render_catalog_markdown is docs/catalog.md: one section per family, in the order of the
// family enum of schemas/detection_catalog.schema.json, detections in catalog order.
std::string render_catalog_markdown(const Json& catalog, const Json& catalog_schema) {
  const Json& families =
      catalog_schema.at("definitions").at("detection").at("properties").at("family").at("enum");
  const Json& detections = catalog.at("detections");
  std::ostringstream out;
  out << "<!-- GENERATED from schemas/detection_catalog.json by tests/docs_test.cpp. Do not edit:\n"
      << "     change the catalog, then run " << kRegenerate << " -->\n\n"
      << "# The detection catalog\n\n"
      << md_escape(catalog.value("description", "")) << "\n\n"
      << "Catalog version " << catalog.at("version").get<int>() << ", " << detections.size()
      << " searches. `lateral_movement_hunt` runs every search of the families it is asked for "
         "(all by default), each conjoined with `target_scope_query` and bounded by "
         "`max_events_per_query`. Searches with role `detection` are scored with their weight "
         "(0–100); `context` searches (network connections, logons) feed correlation and "
         "fan-out. The same catalog is served at `lmhunt://catalog`. Field names follow "
         "[the Windows → UDM mapping](windows-mapping.md); how a hunt uses these searches is in "
         "[the architecture](architecture.md).\n\n"
      << "| family | searches |\n|---|---|\n";
  for (const auto& family : families) {
    std::string ids;
    for (const auto& d : detections) {
      if (d.at("family") != family) continue;
      const std::string id = d.at("id").get<std::string>();
      ids += (ids.empty() ? "" : ", ") + ("[`" + id + "`](#" + id + ")");
    }
    out << "| `" << family.get<std::string>() << "` | " << (ids.empty() ? "—" : ids) << " |\n";
  }
  out << "\n";
  for (const auto& family : families) {
    const std::string name = family.get<std::string>();
    auto title = family_titles().find(name);
    out << "## " << (title == family_titles().end() ? name : title->second) << " (`" << name
        << "`)\n\n";
    for (const auto& d : detections) {
      if (d.at("family") == family) out << render_detection(d);
    }
  }
  std::string text = out.str();
  while (text.size() >= 2 && text.substr(text.size() - 2) == "\n\n") text.pop_back();
  return text;
}

// first_difference describes where two texts first differ, by line.
std::string first_difference(const std::string& want, const std::string& have) {
  std::istringstream a(want), b(have);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) return "the texts differ only in line endings";
    if (!ga || !gb || la != lb) {
      return "line " + std::to_string(line) + ":\n  generated: " + (ga ? la : "<end>") +
             "\n  committed: " + (gb ? lb : "<end>");
    }
  }
}

// property_names collects every property name of `schema`, recursively (properties,
// additionalProperties and items), as "parent.child" paths.
void property_names(const Json& schema, const std::string& prefix, std::vector<std::string>& out) {
  if (!schema.is_object()) return;
  if (schema.contains("properties")) {
    for (const auto& [name, sub] : schema["properties"].items()) {
      out.push_back(prefix + name);
      property_names(sub, prefix + name + ".", out);
    }
  }
  if (schema.contains("additionalProperties")) {
    property_names(schema["additionalProperties"], prefix + "<name>.", out);
  }
  if (schema.contains("items")) property_names(schema["items"], prefix, out);
}

// code_identifiers returns every identifier inside the inline code spans and fenced blocks of a
// Markdown text: a key counts as documented when the page names it as code.
std::set<std::string> code_identifiers(const std::string& markdown) {
  std::set<std::string> names;
  static const std::regex code(R"(```[\s\S]*?```|`[^`\n]+`)");
  static const std::regex identifier(R"([A-Za-z_][A-Za-z0-9_]*)");
  for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), code);
       it != std::sregex_iterator(); ++it) {
    const std::string span = it->str();
    for (auto id = std::sregex_iterator(span.begin(), span.end(), identifier);
         id != std::sregex_iterator(); ++id) {
      names.insert(id->str());
    }
  }
  return names;
}

// The mcpServers keys the loader (tools/downstream/config.cpp parse_server) reads; autoApprove
// is accepted and ignored, as Cline writes it.
const std::vector<std::string> kServerKeys = {"type",     "command",      "args",    "cwd",
                                              "env",      "url",          "headers", "timeout",
                                              "disabled", "transportType"};

}  // namespace

TEST_CASE("docs/catalog.md is the rendering of the embedded detection catalog", "[docs]") {
  auto catalog = tools::load_schema("detection_catalog.json");
  auto schema = tools::load_schema("detection_catalog.schema.json");
  REQUIRE(catalog.ok());
  REQUIRE(schema.ok());
  const std::string generated = render_catalog_markdown(*catalog, *schema);
  const fs::path path = kDocs / "catalog.md";
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread of this test exists.
  if (const char* update = std::getenv("LMHUNT_UPDATE_DOCS"); update && *update == '1') {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << generated;
    WARN("rewrote " << path.string());
  }
  const std::string committed = read_text(path);
  INFO(
      "docs/catalog.md is generated from schemas/detection_catalog.json and is out of date; "
      "regenerate it with: "
      << kRegenerate << "\nfirst difference at " << first_difference(generated, committed));
  CHECK(committed == generated);
}

TEST_CASE("the catalog page names every detection with its technique, weight and query", "[docs]") {
  auto catalog = tools::load_schema("detection_catalog.json");
  auto schema = tools::load_schema("detection_catalog.schema.json");
  REQUIRE(catalog.ok());
  REQUIRE(schema.ok());
  const std::string page = render_catalog_markdown(*catalog, *schema);
  for (const auto& d : catalog->at("detections")) {
    const std::string id = d.at("id").get<std::string>();
    INFO(id);
    CHECK(page.find("<a id=\"" + id + "\"></a>") != std::string::npos);
    CHECK(page.find("| `" + id + "` | " + attack_link(d.at("technique").get<std::string>()) +
                    " |") != std::string::npos);
    CHECK(page.find("\n" + d.at("query").get<std::string>() + "\n") != std::string::npos);
    if (d.contains("runbook_query")) {
      CHECK(page.find("\n" + d.at("runbook_query").get<std::string>() + "\n") != std::string::npos);
    }
  }
}

TEST_CASE("docs/configuration.md documents every key the configuration accepts", "[docs]") {
  const std::set<std::string> documented = code_identifiers(read_text(kDocs / "configuration.md"));
  auto schema = tools::load_schema("lmhunt_config.schema.json");
  REQUIRE(schema.ok());
  std::vector<std::string> paths;
  property_names(*schema, "", paths);
  REQUIRE(paths.size() > 10);
  for (const auto& path : paths) {
    const std::string key = path.substr(path.rfind('.') + 1);
    INFO("lmhunt." << path
                   << " (schemas/lmhunt_config.schema.json) is not named as code in "
                      "docs/configuration.md");
    CHECK(documented.count(key) == 1);
  }
  for (const auto& key : kServerKeys) {
    INFO("mcpServers key '" << key << "' is not named as code in docs/configuration.md");
    CHECK(documented.count(key) == 1);
  }
  CHECK(documented.count("autoApprove") == 1);
}

TEST_CASE("the mcpServers keys the docs test checks are the ones the loader reads", "[docs]") {
  // Each listed key is type-checked by the loader: a wrong type is an error at that key. A key
  // the loader did not read would be ignored instead, and this list would be stale.
  for (const auto& key : kServerKeys) {
    Json document = {{"mcpServers", {{"s", {{"command", "x"}}}}}};
    document["mcpServers"]["s"][key] = Json::array({nullptr});
    auto parsed = downstream::parse_config(document, "test");
    INFO(key);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message, Catch::Contains("/mcpServers/s/" + key));
  }
  Json ignored = {{"mcpServers", {{"s", {{"command", "x"}, {"autoApprove", Json::array()}}}}}};
  CHECK(downstream::parse_config(ignored, "test").ok());
}

TEST_CASE("every relative link in docs/ resolves to an existing file", "[docs]") {
  static const std::regex link(R"(\]\(([^)\s]+)\))");
  static const std::regex fences(R"(```[\s\S]*?```)");
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kDocs)) {
    if (entry.path().extension() != ".md") continue;
    const std::string text = std::regex_replace(read_text(entry.path()), fences, "");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), link);
         it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1].str();
      if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0 ||
          target.rfind("mailto:", 0) == 0 || target.front() == '#') {
        continue;
      }
      target = target.substr(0, target.find('#'));
      ++checked;
      INFO(entry.path().filename().string() << " links to " << target);
      CHECK(fs::exists(kDocs / target));
    }
  }
  CHECK(checked > 0);
}
