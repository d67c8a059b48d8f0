// threat_knowledge.hpp — what lmhunt-sim's get_threat_intel answers instead of Gemini: short
// technique notes (written for this project) for the ATT&CK techniques of PsExec/WMI lateral
// movement and their neighbours, chosen by the technique ids and names a question mentions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim {

struct TechniqueNote {
  std::string id;                     // e.g. "T1021.002"
  std::string name;                   // e.g. "Remote Services: SMB/Windows Admin Shares"
  std::vector<std::string> keywords;  // lower-case phrases that select the note
  std::string text;                   // the note itself (several paragraphs)
};

// technique_notes lists every note the knowledge base holds.
const std::vector<TechniqueNote>& technique_notes();

// select_notes returns the notes a question is about: every technique id it names (a parent id
// such as T1021 also selects the notes of its sub-techniques that the text names by keyword), then
// notes whose keywords it contains; in knowledge-base order, without duplicates.
std::vector<const TechniqueNote*> select_notes(std::string_view question);

// answer_threat_question renders get_threat_intel's text: the selected notes, or a plain answer
// that the knowledge base has nothing specific (naming what it does cover).
std::string answer_threat_question(std::string_view question);

}  // namespace sim
