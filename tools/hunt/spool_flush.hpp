// spool_flush.hpp — delivering spooled comments (`lmhunt spool flush`, issue 7 "No data loss").
//
// For each spooled comment: the case is the one in its file, or FlushOptions::case_id when the
// file has none (or when `hunt_id` selects this one comment). The case's comments are read
// first: when one already carries the hunt's marker the comment was delivered before (by a
// retry, an earlier flush that lost its answer, or a person) and only the file is removed.
// Otherwise the comment is posted once (Soar::post_comment, which never retries blindly) and the
// file is removed only after the post is confirmed. Nothing is posted when the case cannot be
// read, so a flush never posts a comment twice.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tools/downstream/facades.hpp"
#include "tools/hunt/spool.hpp"

namespace hunt {

struct FlushOptions {
  std::string case_id;  // for comments spooled without a case (and for `hunt_id`'s comment)
  std::string hunt_id;  // "" = every spooled comment; else only this hunt's
  bool dry_run = false;
};

struct FlushOutcome {
  std::string path;
  std::string hunt_id;
  std::string case_id;  // where it went or would go ("" when none)
  // "posted", "already_posted", "would_post" (dry run), "skipped" (no case), "failed"
  // (the SOAR refused or could not be reached), "unreadable" (the file is kept as it is)
  std::string status;
  std::string detail;
  bool delivered() const { return status == "posted" || status == "already_posted"; }
};

// flush_spool delivers `contents` through `soar` (null: every comment fails with "no SOAR").
// `context` makes a fresh CallContext per operation. Never throws.
std::vector<FlushOutcome> flush_spool(const SpoolContents& contents, downstream::Soar* soar,
                                      const FlushOptions& options,
                                      const std::function<downstream::CallContext()>& context);

// flush_succeeded: every outcome delivered (or, for a dry run, would be posted or already was).
bool flush_succeeded(const std::vector<FlushOutcome>& outcomes, bool dry_run);

}  // namespace hunt
