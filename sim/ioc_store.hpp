// ioc_store.hpp — the local threat-intelligence data gti-mcp's report tools answer from: a JSON
// array of VirusTotal-shaped objects {"type", "id", "attributes": {...}} (type one of
// "ip_address", "domain", "file", "url"), as vt-py's Object.to_dict() gives them.
//
// Thread-safety: load before serving; lookups are then safe from many threads (immutable).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mcp/result.hpp"

namespace sim {

enum class IocType { kIp, kDomain, kFile, kUrl };

// ioc_type_name is VirusTotal's object type: "ip_address", "domain", "file", "url".
const char* ioc_type_name(IocType type);

class IocStore {
 public:
  // load_file reads a JSON array of objects from path; Error names the file and the entry.
  mcp::Status load_file(const std::string& path);
  // add_all adds each object of a JSON array; Error names the first bad entry (entries before it
  // stay added).
  mcp::Status add_all(const mcp::Json& objects, const std::string& where = "IOC data");

  // find returns the report for value: IPs and domains as given (domains case-insensitively),
  // files by md5, sha1 or sha256 (id or attributes), URLs by id or attributes.url.
  const mcp::Json* find(IocType type, const std::string& value) const;

  // all returns every object in load order.
  const std::vector<mcp::Json>& all() const { return objects_; }
  std::size_t size() const { return objects_.size(); }

 private:
  std::vector<mcp::Json> objects_;
  std::map<std::string, std::size_t> index_;  // "<type>:<key>" → objects_ index
};

// is_flagged reports whether a report marks the IOC as bad: a malicious or suspicious engine
// count above zero, or a negative reputation.
bool is_flagged(const mcp::Json& report);

}  // namespace sim
