// spool_flush.cpp — flush_spool (spool_flush.hpp).
#include "tools/hunt/spool_flush.hpp"

#include "tools/hunt/report.hpp"

namespace hunt {
namespace {

std::string describe(const mcp::Error& e) {
  return std::string(downstream::error_kind(e.code)) + ": " + e.message;
}

bool has_marker(const downstream::Json& comments, const std::string& marker) {
  if (!comments.is_array()) return false;
  for (const auto& c : comments) {
    const downstream::Json& text = c.is_object() ? c.value("comment", downstream::Json()) : c;
    if (text.is_string() && text.get_ref<const std::string&>().find(marker) != std::string::npos) {
      return true;
    }
  }
  return false;
}

FlushOutcome flush_one(const SpooledComment& s, downstream::Soar* soar, const FlushOptions& o,
                       const std::function<downstream::CallContext()>& context) {
  FlushOutcome out;
  out.path = s.path;
  out.hunt_id = s.hunt_id;
  const bool chosen = !o.hunt_id.empty() && o.hunt_id == s.hunt_id;
  out.case_id = (chosen || s.case_id.empty()) && !o.case_id.empty() ? o.case_id : s.case_id;
  if (out.case_id.empty()) {
    out.status = "skipped";
    out.detail =
        "spooled without a case (no case_id was given and no related case was found): name one "
        "with `lmhunt spool flush --case ID`";
    return out;
  }
  if (soar == nullptr) {
    out.status = "failed";
    out.detail = "no SOAR server is configured (give --config with your secops-soar server)";
    return out;
  }
  const std::string marker = comment_marker(s.hunt_id);
  auto existing = soar->get_case(out.case_id, context());
  if (!existing) {
    out.status = "failed";
    out.detail = "could not read case " + out.case_id + " to check for an earlier delivery (" +
                 describe(existing.error()) + "); nothing was posted";
    return out;
  }
  if (has_marker(existing->comments, marker)) {
    out.status = "already_posted";
    out.detail = "case " + out.case_id + " already has this hunt's comment";
  } else if (o.dry_run) {
    out.status = "would_post";
    out.detail = "would post to case " + out.case_id + " (dry run)";
    return out;
  } else if (auto posted = soar->post_comment(out.case_id, s.comment, marker, context()); !posted) {
    out.status = "failed";
    out.detail = "posting to case " + out.case_id + " failed (" + describe(posted.error()) +
                 "); the file is kept for the next flush";
    return out;
  } else {
    out.status = "posted";
    out.detail = "posted to case " + out.case_id;
  }
  if (o.dry_run) {
    out.detail += "; the file would be removed (dry run)";
  } else if (auto removed = remove_spool_file(s.path); !removed) {
    // Delivered all the same; the next flush finds the marker and removes the file then.
    out.detail += "; " + removed.error().message;
  } else {
    out.detail += "; removed " + s.path;
  }
  return out;
}

}  // namespace

std::vector<FlushOutcome> flush_spool(const SpoolContents& contents, downstream::Soar* soar,
                                      const FlushOptions& options,
                                      const std::function<downstream::CallContext()>& context) {
  std::vector<FlushOutcome> outcomes;
  for (const auto& bad :
       options.hunt_id.empty() ? contents.unreadable : std::vector<UnreadableSpoolFile>{}) {
    FlushOutcome out;
    out.path = bad.path;
    out.status = "unreadable";
    out.detail = bad.error + "; the file was left as it is";
    outcomes.push_back(std::move(out));
  }
  for (const auto& s : contents.comments) {
    if (!options.hunt_id.empty() && s.hunt_id != options.hunt_id) continue;
    outcomes.push_back(flush_one(s, soar, options, context));
  }
  return outcomes;
}

bool flush_succeeded(const std::vector<FlushOutcome>& outcomes, bool dry_run) {
  for (const auto& o : outcomes) {
    if (!o.delivered() && !(dry_run && o.status == "would_post")) return false;
  }
  return true;
}

}  // namespace hunt
