// spool.hpp — the comment spool (issue 7, "No data loss"): a hunt's SOAR comment that could not
// be posted waits in <spool_dir>/<hunt_id>.md until `lmhunt spool flush` delivers it
// (spool_flush.hpp).
//
// File format, one file per hunt (docs/operations.md, "Undelivered SOAR comments"):
//   line 1  <!-- lmhunt spooled comment {"case_id":"1041","hunt_id":"hunt-…","spooled_at":"…",
//           "version":1} -->        (one line; '>' inside JSON strings is written \u003e)
//   rest    the comment exactly as it would have been posted; it carries comment_marker(hunt_id)
// case_id "" means no case was known when the hunt ended: `lmhunt spool flush --case ID` names
// one. Files of the first format ("<!-- lmhunt spooled comment; case: <id|none> -->") are read
// too; their hunt id comes from the comment's marker line.
//
// Files are written to a temporary name and renamed, so a reader never sees half a file. A file
// that cannot be read or parsed is reported, never deleted.
#pragma once

#include <string>
#include <vector>

#include "mcp/result.hpp"

namespace hunt {

inline constexpr int kSpoolFormatVersion = 1;

// kSpoolError is the mcp::Error code of every spool error.
inline constexpr int kSpoolError = -41200;

struct SpooledComment {
  std::string hunt_id;
  std::string case_id;     // "" = no case known ("none" in the first format)
  std::string spooled_at;  // RFC 3339 UTC; "" in files of the first format
  std::string comment;     // the body, as it is posted
  std::string path;        // the file it was read from or written to
};

struct UnreadableSpoolFile {
  std::string path;
  std::string error;
};

struct SpoolContents {
  std::vector<SpooledComment> comments;         // in file-name order
  std::vector<UnreadableSpoolFile> unreadable;  // left in place
};

// spool_file_text renders a spool file (header line + comment + final newline).
std::string spool_file_text(const SpooledComment& spooled);

// parse_spool_file reads a spool file's text; `path` names it in errors. Errors: no header line,
// an unknown header or version, a hunt id that is missing or not [A-Za-z0-9._-]+, a comment that
// is empty or does not carry comment_marker(hunt_id).
mcp::Result<SpooledComment> parse_spool_file(const std::string& text, const std::string& path);

// write_spool_file writes <dir>/<hunt_id>.md (creating dir), replacing an older file of the same
// hunt, and returns its path. spooled_at is filled when empty.
mcp::Result<std::string> write_spool_file(const std::string& dir, SpooledComment spooled);

// read_spool reads every *.md file of dir (a missing dir is an empty spool). An Error means the
// directory itself cannot be listed.
mcp::Result<SpoolContents> read_spool(const std::string& dir);

// remove_spool_file deletes a delivered comment's file.
mcp::Status remove_spool_file(const std::string& path);

}  // namespace hunt
