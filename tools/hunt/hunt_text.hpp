// hunt_text.hpp — small string, host-name and time helpers shared by the analysis stages
// (evidence, correlation, scoring, reports). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hunt {

// short_host normalises a host name the way sim::short_hostname does (kept here so the hunt does
// not link the simulator): surrounding blanks and a leading `\\` dropped, an IP address returned
// unchanged, otherwise the first DNS label upper-cased (`wks-07.corp.local` → `WKS-07`).
std::string short_host(std::string_view host);

// looks_like_ip reports whether text is an IPv4 address (digits and dots) or contains ':' (IPv6).
bool looks_like_ip(std::string_view text);

// is_loopback_or_unset reports whether an IP / host value names no remote peer: "", "-",
// "127.0.0.1", "::1", "localhost", "." and the IPv4-mapped loopback.
bool is_loopback_or_unset(std::string_view value);

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view haystack, std::string_view needle);
bool istarts_with(std::string_view text, std::string_view prefix);
bool iends_with(std::string_view text, std::string_view suffix);

// glob_match matches text against a pattern with `*` (any run) and `?` (one character), ASCII
// case-insensitively: glob_match("JUMP*", "jump01") is true. A pattern without wildcards is an
// exact case-insensitive comparison.
bool glob_match(std::string_view pattern, std::string_view text);

// html_unescape undoes the five XML entities some pipelines leave in strings (&gt; &lt; &amp;
// &quot; &#39;), once, left to right (detections.md §7).
std::string html_unescape(std::string_view text);

// basename returns the last path component of a Windows or POSIX path.
std::string_view basename(std::string_view path);

// parse_time reads RFC 3339 text as epoch seconds (fractions dropped); nullopt when unreadable.
std::optional<std::int64_t> parse_time(std::string_view rfc3339);

// format_time prints epoch seconds as RFC 3339 UTC with a Z suffix: "2024-05-01T12:00:00Z".
std::string format_time(std::int64_t epoch_seconds);

// truncate_text keeps at most max_chars bytes of text (on a UTF-8 boundary), ending in "…" when
// anything was cut.
std::string truncate_text(std::string_view text, std::size_t max_chars);

}  // namespace hunt
