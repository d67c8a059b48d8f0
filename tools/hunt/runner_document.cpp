// runner_document.cpp — HuntRunner steps 9 (document) and 10 (escalate), and the comment spool.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "tools/hunt/report.hpp"
#include "tools/hunt/runner.hpp"
#include "tools/hunt/spool.hpp"

namespace hunt {
namespace {

std::string describe_error(const mcp::Error& e) {
  return std::string(downstream::error_kind(e.code)) + ": " + e.message;
}

bool comments_contain(const Json& comments, const std::string& marker) {
  if (!comments.is_array()) return false;
  for (const auto& c : comments) {
    const Json& text = c.is_object() ? c.value("comment", Json()) : c;
    if (text.is_string() && text.get_ref<const std::string&>().find(marker) != std::string::npos) {
      return true;
    }
  }
  return false;
}

constexpr const char* kHighPriority = "PriorityHigh";
constexpr const char* kCriticalPriority = "PriorityCritical";

}  // namespace

std::string default_spool_dir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return (std::filesystem::path(state) / "lmhunt" / "spool").string();
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return (std::filesystem::path(home) / ".local" / "state" / "lmhunt" / "spool").string();
  }
  return "lmhunt-spool";
}

std::string HuntRunner::spool_comment(const std::string& case_id, const std::string& comment,
                                      std::string& error) const {
  SpooledComment spooled;
  spooled.hunt_id = hunt_id_;
  spooled.case_id = case_id;
  spooled.comment = comment;
  auto written = write_spool_file(
      env_.settings.spool_dir.empty() ? default_spool_dir() : env_.settings.spool_dir, spooled);
  if (!written) {
    error = written.error().message;
    return {};
  }
  return written.value();
}

// soar_unreachable says why the SOAR could not be used in this hunt: a call that failed, or a
// SOAR server that is degraded or refused. "" when it answered or its state is unknown.
std::string HuntRunner::soar_unreachable() const {
  if (!soar_problem_.empty()) return soar_problem_;
  if (!env_.downstream.health) return {};
  for (const auto& server : env_.downstream.health()) {
    const bool soar =
        std::find(server.roles.begin(), server.roles.end(), "soar") != server.roles.end();
    if (soar && (server.state == "degraded" || server.state == "refused")) {
      return "SOAR server " + server.name + " is " + server.state +
             (server.detail.empty() ? "" : " (" + server.detail + ")");
    }
  }
  return {};
}

// ---- step 9: document -------------------------------------------------------------------------

void HuntRunner::step_document() {
  auto& soar = env_.downstream.soar;
  Documentation doc;
  std::string verdict;
  std::vector<RelatedCase> related;
  update([&](HuntResult& r) {
    verdict = r.verdict;
    related = r.related_cases;
  });
  if (!args_.case_id.empty()) {
    doc.case_id = args_.case_id;
    doc.case_source = "argument";
  } else if (!related.empty()) {
    doc.case_id = related.front().id;  // confirmed cases sort first
    doc.case_source = "related";
  }
  const std::string marker = comment_marker(hunt_id_);
  const std::string why_stopped = stop_reason();
  if (soar && doc.case_id.empty() && verdict == "confirmed" && soar->can_create_case() &&
      why_stopped.empty()) {
    // Confirmed movement with nowhere to document it: open the incident case (step 10's
    // "create a new incident case") and document there.
    auto created = soar->create_case(
        "Lateral movement (PsExec/WMI) confirmed by " + hunt_id_,
        "Opened by lmhunt: the hunt confirmed lateral movement. See the hunt comment.",
        kHighPriority, marker, call_context());
    if (created) {
      doc.case_id = created.value();
      doc.case_source = "created";
    } else {
      if (created.error().code != downstream::kNotConfigured) {
        soar_problem_ = "creating a case failed: " + describe_error(created.error());
      }
      warn("Creating an incident case failed (" + describe_error(created.error()) + ").");
    }
  }
  update([&](HuntResult& r) { r.documentation = doc; });
  const std::string comment = render_comment(snapshot());

  auto keep = [&](std::string status, std::string detail) {
    doc.status = std::move(status);
    std::string error;
    doc.spool_path = spool_comment(doc.case_id, comment, error);
    doc.detail =
        std::move(detail) +
        (doc.spool_path.empty()
             ? "; the comment could not be spooled either (" + error + ")"
             : "; the comment was saved to " + doc.spool_path + ", and `lmhunt spool flush" +
                   (doc.case_id.empty() ? " --case ID" : "") + "` delivers it");
  };
  if (!soar) {
    keep("skipped", "No SOAR server is configured, so nothing was posted");
  } else if (!why_stopped.empty()) {
    doc.status = "skipped";
    doc.detail = "Not posted: " + why_stopped;
  } else if (doc.case_id.empty()) {
    const std::string no_case =
        "No case to document in: no case_id was given and no related open case was found";
    if (auto down = soar_unreachable(); !down.empty()) {
      // The SOAR may well hold a related case we could not see: keep the comment (issue 7).
      keep("skipped", no_case + " (" + down + ")");
    } else {
      doc.status = "skipped";
      doc.detail = no_case;
    }
  } else {
    // Exactly once per hunt: a comment carrying this hunt's marker means an earlier attempt
    // (a retry, or a re-run of this step) already posted it.
    auto existing = soar->get_case(doc.case_id, call_context());
    if (existing && comments_contain(existing->comments, marker)) {
      doc.status = "already_posted";
      doc.detail = "Case " + doc.case_id + " already has this hunt's comment";
    } else if (auto posted = soar->post_comment(doc.case_id, comment, marker, call_context())) {
      doc.status = "posted";
      doc.detail = "Posted to case " + doc.case_id;
    } else {
      keep("failed",
           "Posting to case " + doc.case_id + " failed (" + describe_error(posted.error()) + ")");
    }
  }
  update([&](HuntResult& r) { r.documentation = doc; });
}

// ---- step 10: escalate ------------------------------------------------------------------------

void HuntRunner::step_escalate() {
  Escalation esc;
  std::string verdict;
  std::string verdict_reason;
  Documentation doc;
  update([&](HuntResult& r) {
    verdict = r.verdict;
    verdict_reason = r.verdict_reason;
    doc = r.documentation;
  });
  auto& soar = env_.downstream.soar;
  if (verdict == "confirmed") {
    // current_priority reads the case's priority ("" when it cannot be read: then we raise).
    auto current_priority = [this](downstream::Soar& s, const std::string& id) -> std::string {
      auto details = s.get_case(id, call_context());
      return details ? details->summary.priority : std::string();
    };
    esc.priority = kHighPriority;
    esc.case_id = doc.case_id;
    if (doc.case_source == "created") {
      esc.action = "case_created";
      esc.reason =
          "Confirmed lateral movement: opened incident case " + doc.case_id + " at PriorityHigh.";
    } else if (doc.case_id.empty()) {
      esc.action = "manual_required";
      esc.reason = std::string("Confirmed lateral movement, but there is no case to escalate: ") +
                   (!soar ? "no SOAR server is configured"
                          : "no case_id was given, no related open case was found and the SOAR "
                            "cannot create cases") +
                   ". A person must open an incident case now.";
    } else if (!soar) {
      esc.action = "manual_required";
      esc.reason =
          "Confirmed lateral movement; no SOAR server is configured. A person must raise "
          "case " +
          doc.case_id + " to PriorityHigh.";
    } else if (auto why = stop_reason(); !why.empty()) {
      esc.action = "manual_required";
      esc.reason = "Confirmed lateral movement; escalation not attempted (" + why +
                   "). A person must raise case " + doc.case_id + " to PriorityHigh.";
    } else if (auto current = current_priority(*soar, doc.case_id);
               current == kHighPriority || current == kCriticalPriority) {
      // Escalation never lowers a case: PriorityCritical stays, PriorityHigh needs no change.
      esc.action = "not_needed";
      esc.priority = current;
      esc.reason = "Confirmed lateral movement: case " + doc.case_id + " is already " + current +
                   "; its priority was left as it is.";
    } else if (auto raised = soar->change_priority(doc.case_id, kHighPriority, call_context())) {
      esc.action = "priority_raised";
      esc.reason = "Confirmed lateral movement: case " + doc.case_id + " raised to PriorityHigh.";
    } else {
      esc.action = "failed";
      esc.reason = "Raising case " + doc.case_id + " to PriorityHigh failed (" +
                   describe_error(raised.error()) + "). A person must escalate it.";
    }
  } else if (verdict == "suspicious") {
    esc.action = "manual_required";
    esc.case_id = doc.case_id;
    esc.reason =
        "Suspicious activity the hunt could not confirm: an analyst must review the "
        "findings and decide whether to escalate.";
  } else if (verdict == "no_findings") {
    esc.action = "not_needed";
    esc.reason = "No lateral movement found by the searches that ran.";
  } else {
    esc.action = "manual_required";
    esc.case_id = doc.case_id;
    esc.reason = "The hunt was inconclusive" +
                 (verdict_reason.empty() ? std::string() : " (" + verdict_reason + ")") +
                 ": a person must review what did not run before concluding.";
  }
  update([&](HuntResult& r) { r.escalation = std::move(esc); });
}

}  // namespace hunt
