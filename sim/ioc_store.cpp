// ioc_store.cpp — VirusTotal-shaped IOC reports indexed by every value a client may look up.
#include "sim/ioc_store.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace sim {

using mcp::Error;
using mcp::Json;

namespace {

constexpr int kIocInvalid = -41011;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<IocType> parse_type(const std::string& type) {
  if (type == "ip_address") return IocType::kIp;
  if (type == "domain") return IocType::kDomain;
  if (type == "file") return IocType::kFile;
  if (type == "url") return IocType::kUrl;
  return std::nullopt;
}

std::string key(IocType type, const std::string& value) {
  // Hashes, domains and URL ids are case-insensitive; an IP's text is kept as written.
  return std::string(ioc_type_name(type)) + ":" + (type == IocType::kIp ? value : lower(value));
}

}  // namespace

const char* ioc_type_name(IocType type) {
  switch (type) {
    case IocType::kIp:
      return "ip_address";
    case IocType::kDomain:
      return "domain";
    case IocType::kFile:
      return "file";
    case IocType::kUrl:
      return "url";
  }
  return "unknown";
}

mcp::Status IocStore::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{kIocInvalid, "cannot open IOC file " + path};
  std::stringstream text;
  text << in.rdbuf();
  Json objects = Json::parse(text.str(), nullptr, false);
  if (objects.is_discarded()) return Error{kIocInvalid, "IOC file " + path + " is not JSON"};
  return add_all(objects, "IOC file " + path);
}

mcp::Status IocStore::add_all(const Json& objects, const std::string& where) {
  if (!objects.is_array()) return Error{kIocInvalid, where + ": expected a JSON array"};
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const Json& o = objects[i];
    const std::string entry = where + " entry " + std::to_string(i + 1);
    if (!o.is_object() || !o.contains("type") || !o["type"].is_string() || !o.contains("id") ||
        !o["id"].is_string()) {
      return Error{kIocInvalid, entry + ": needs string \"type\" and \"id\""};
    }
    auto type = parse_type(o["type"].get<std::string>());
    if (!type) {
      return Error{kIocInvalid, entry + ": unknown type \"" + o["type"].get<std::string>() +
                                    "\" (ip_address, domain, file or url)"};
    }
    if (o.contains("attributes") && !o["attributes"].is_object()) {
      return Error{kIocInvalid, entry + ": \"attributes\" must be an object"};
    }
    const std::size_t at = objects_.size();
    objects_.push_back(o);
    index_[key(*type, o["id"].get<std::string>())] = at;
    const Json attributes = o.value("attributes", Json::object());
    const char* aliases[] = {"md5", "sha1", "sha256", "url"};
    for (const char* alias : aliases) {
      if (attributes.contains(alias) && attributes[alias].is_string()) {
        index_[key(*type, attributes[alias].get<std::string>())] = at;
      }
    }
  }
  return mcp::Ok{};
}

const Json* IocStore::find(IocType type, const std::string& value) const {
  auto it = index_.find(key(type, value));
  return it == index_.end() ? nullptr : &objects_[it->second];
}

bool is_flagged(const Json& report) {
  const Json attributes = report.value("attributes", Json::object());
  const Json stats = attributes.value("last_analysis_stats", Json::object());
  auto count = [&](const char* k) {
    return stats.contains(k) && stats[k].is_number() ? stats[k].get<double>() : 0.0;
  };
  const bool negative_reputation = attributes.contains("reputation") &&
                                   attributes["reputation"].is_number() &&
                                   attributes["reputation"].get<double>() < 0;
  return count("malicious") > 0 || count("suspicious") > 0 || negative_reputation;
}

}  // namespace sim
