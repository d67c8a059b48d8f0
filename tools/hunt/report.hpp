// report.hpp — issue 5 step 11 and the Output section: what a hunt shows people and agents.
//
//   render_markdown   the tool's text result: one screen (≈ 4 KB typical, never above
//                     kMarkdownHardLimit), first line naming a non-real downstream
//   to_structured     structuredContent, conforming to schemas/lateral_movement_hunt.output.json
//   render_comment    the SOAR case comment (runbook step 7/9), carrying "lmhunt hunt <hunt_id>"
//   mermaid_sequence  the calls actually made (runbook step 11)
//   mermaid_movement  host-to-host movement of the findings
// All are pure functions of their arguments.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tools/hunt/model.hpp"

namespace hunt {

inline constexpr std::size_t kMarkdownSoftLimit = 4500;  // aim: one screen
inline constexpr std::size_t kMarkdownHardLimit = 8192;  // never more
inline constexpr const char* kRunbookName = "Lateral Movement Detection Hunt (PsExec/WMI)";

std::string render_markdown(const HuntResult& result);
Json to_structured(const HuntResult& result);
std::string render_comment(const HuntResult& result);

// comment_marker is the line render_comment carries so a posted comment can be found again.
std::string comment_marker(const std::string& hunt_id);

// mermaid_sequence: `sequenceDiagram` with participant lmhunt and one per server, calls in start
// order, overlapping calls grouped in `par` blocks, each reply showing outcome and duration; at
// most max_calls calls, then a note counting the rest.
std::string mermaid_sequence(const std::vector<downstream::CallRecord>& calls,
                             std::size_t max_calls = 60);

// mermaid_movement: `graph LR` with one edge per (source, target) labelled by the techniques'
// families, malicious edges drawn red and thick, suspicious ones orange; at most max_edges edges,
// then a node counting the rest. Unattributed sources are drawn as "unknown source".
std::string mermaid_movement(const std::vector<Finding>& findings, std::size_t max_edges = 30);

}  // namespace hunt
