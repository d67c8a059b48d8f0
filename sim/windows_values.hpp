// windows_values.hpp — value conversions shared by the Windows record parser and the Windows →
// UDM mapping (internal to sim/; see docs/windows-mapping.md for why each one exists).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim::winvalues {

using UtcMillis = std::chrono::sys_time<std::chrono::milliseconds>;

// ParsedTime is a timestamp read from text; zoned is false when the text had no zone designator
// (no Z and no ±hh:mm offset), in which case t is the wall-clock time read as if it were UTC.
struct ParsedTime {
  UtcMillis t;
  bool zoned = false;
};

// parse_time reads "YYYY-MM-DD[T| ]hh:mm[:ss[.fraction]][Z|±hh[:]mm]"; nullopt otherwise.
std::optional<ParsedTime> parse_time(std::string_view text);

// format_utc_offset prints an offset in minutes as "±hh:mm" ("-04:00", "+05:30", "+00:00").
std::string format_utc_offset(int minutes);

// quarter_hour_offset rounds gap (local − UTC of one moment) to the nearest quarter hour (every
// real zone offset is a multiple of 15 min) and returns it when the remainder is at most tolerance
// and the offset is within ±14 h; nullopt otherwise (the two times are not the same moment).
std::optional<std::chrono::minutes> quarter_hour_offset(std::chrono::milliseconds gap,
                                                        std::chrono::milliseconds tolerance);

// html_unescape decodes &lt; &gt; &amp; &quot; &apos; &#N; and &#xH; in one pass (so "&amp;lt;"
// becomes "&lt;", not "<"). Unknown or malformed entities are kept as written.
std::string html_unescape(std::string_view text);

// collapse_doubled_percent turns "%%" into "%" unless a digit follows ("%%1833" is a message
// reference and is kept), e.g. "%%SystemRoot%%\x.exe" → "%SystemRoot%\x.exe".
std::string collapse_doubled_percent(std::string_view text);

// clean_string is what every mapped string value goes through: html_unescape, then
// collapse_doubled_percent.
std::string clean_string(std::string_view text);

// trim drops leading and trailing white space (std::isspace).
std::string_view trim(std::string_view text);

// is_absent is true for the values Windows writes for "no value": "", "-" (after trimming).
bool is_absent(std::string_view text);

// parse_windows_number reads a decimal ("7256") or hexadecimal ("0x1c58") unsigned number, with
// surrounding spaces allowed; nullopt for anything else.
std::optional<std::uint64_t> parse_windows_number(std::string_view text);

// normalise_ip prints an IPv4/IPv6 address in canonical form (inet_ntop): "fe80:0:0:0:90e:…" →
// "fe80::90e:…", "::ffff:10.0.0.5" → "10.0.0.5". Text that is not an address is returned as given.
std::string normalise_ip(std::string_view text);

// SplitUser is "DOMAIN\user" split at the last backslash; domain is empty when there was none.
struct SplitUser {
  std::string domain;
  std::string user;
};
SplitUser split_user(std::string_view text);

// lower returns text in ASCII lower case.
std::string lower(std::string_view text);

}  // namespace sim::winvalues
