// windows_mapping_table.hpp — the Windows → UDM mapping as data (internal to sim/). One row per
// (log family, event id); each field rule copies one Windows field into one UDM path. The rows are
// in windows_mapping_table.cpp and documented, with each field's confidence, in
// docs/windows-mapping.md. To correct a mapping, edit the row and the document together.
#pragma once

#include <span>
#include <string_view>

namespace sim::winmap {

// Family is the Windows log a record comes from, decided from its channel (case-insensitively)
// or, when the channel is unknown (e.g. a WEF "ForwardedEvents" channel), from its provider.
enum class Family { kUnknown, kSysmon, kSecurity, kSystem, kWmiActivity, kPowerShell };

// Kind says how a rule converts the value it reads.
enum class Kind {
  kString,     // cleaned string (HTML-unescaped, "%%" collapsed); "" and "-" are absent
  kPid,        // decimal or 0x-hex number → decimal string
  kPort,       // decimal number → JSON integer
  kIp,         // address in canonical form, appended to the array at path
  kUser,       // "DOMAIN\user" → <path>.user.userid = user, <path>.administrative_domain = DOMAIN
  kUpper,      // string in upper case (network.ip_protocol)
  kHashes,     // "SHA1=…,MD5=…,SHA256=…" → <path>.sha1 / .md5 / .sha256 (lower case hex)
  kLogonType,  // LogonType number → [mechanism] (extensions.auth.mechanism)
};

// FieldRule reads the first present of sources ('|'-separated Windows field names) and writes
// path (a dotted UDM path; "additional.fields.X" is additional.fields["X"]).
struct FieldRule {
  Kind kind;
  const char* sources;
  const char* path;
};

// MappingRow maps one event id of one family. product_name overrides the family's default
// metadata.product_name when set; action, when set, becomes security_result = [{action: [it]}].
struct MappingRow {
  Family family;
  int event_id;
  const char* event_type;  // metadata.event_type
  const char* product_name;
  std::span<const FieldRule> fields;
  const char* action = nullptr;
};

// rows returns every row of the table.
std::span<const MappingRow> rows();

// family_of decides the family from a record's channel and provider.
Family family_of(std::string_view channel, std::string_view provider);

// family_product_name / family_log_type: metadata.product_name and metadata.log_type defaults.
const char* family_product_name(Family family);
const char* family_log_type(Family family);
const char* family_label(Family family);

}  // namespace sim::winmap
