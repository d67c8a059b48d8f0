// report_detail.hpp — formatting helpers shared by the report renderers; not for other stages.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tools/hunt/model.hpp"

namespace hunt::report {

// join joins at most max items with sep, then "… N more".
std::string join(const std::vector<std::string>& items, std::size_t max,
                 const std::string& sep = ", ");

// inline_code renders text as Markdown inline code (backticks in text become ').
std::string inline_code(const std::string& text, std::size_t max_chars);

// source_label: the finding's source host, else IP, else "user X", else "unknown source".
std::string source_label(const Finding& f);

// movement_label: " (local execution, no remote target)" when every target is the source itself,
// else " → " and at most max_targets targets.
std::string movement_label(const Finding& f, std::size_t max_targets);

// example_line: "2024-05-01T10:01:02Z SRV01 PSEXESVC.exe → cmd.exe /c …" for one evidence item.
std::string example_line(const Evidence& ev, std::size_t max_chars);

// time_range: "2024-05-01 10:00–10:13Z" within one day, else "<first> … <last>" (RFC 3339).
std::string time_range(const std::string& first, const std::string& last);

// strongest_reasons orders score reasons by the size of their points (largest first, stable),
// each shortened to max_chars.
std::vector<std::string> strongest_reasons(const std::vector<std::string>& reasons,
                                           std::size_t max_chars);

// time_text prints a system_clock time as RFC 3339 UTC with milliseconds.
std::string time_text(std::chrono::system_clock::time_point t);

// duration_text: "850 ms", "12.3 s", "2 min 5 s".
std::string duration_text(std::int64_t ms);

// techniques_hunted: ATT&CK ids of the queries, sorted and unique.
std::vector<std::string> techniques_hunted(const HuntResult& result);

// verdict_title: "CONFIRMED", "SUSPICIOUS", "NO FINDINGS", "INCONCLUSIVE", "PLANNED (dry run)".
std::string verdict_title(const HuntResult& result);

}  // namespace hunt::report
