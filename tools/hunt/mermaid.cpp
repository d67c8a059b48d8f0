// mermaid.cpp — mermaid_sequence and mermaid_movement (report.hpp).
#include <algorithm>
#include <map>
#include <set>

#include "tools/hunt/hunt_text.hpp"
#include "tools/hunt/report.hpp"
#include "tools/hunt/report_detail.hpp"

namespace hunt {

namespace {

// label_text makes text safe inside Mermaid labels and messages: no quotes, semicolons, '#'
// (entity codes), brackets or pipes, no line breaks.
std::string label_text(std::string_view text, std::size_t max_chars = 60) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"':
        out += '\'';
        break;
      case ';':
        out += ',';
        break;
      case '#':
        out += "no.";
        break;
      case '|':
      case '[':
      case ']':
      case '{':
      case '}':
      case '<':
      case '>':
        out += ' ';
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return truncate_text(out, max_chars);
}

std::string node_id(const std::string& name) {
  std::string id = "h_";
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}

}  // namespace

std::string mermaid_sequence(const std::vector<downstream::CallRecord>& calls,
                             std::size_t max_calls) {
  std::vector<const downstream::CallRecord*> ordered;
  for (const auto& c : calls) ordered.push_back(&c);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->started < b->started; });
  std::map<std::string, std::string> participants;  // server → id
  std::vector<std::string> order;
  for (const auto* c : ordered) {
    if (!participants.contains(c->server)) {
      participants[c->server] = "S" + std::to_string(participants.size() + 1);
      order.push_back(c->server);
    }
  }
  std::string out = "sequenceDiagram\n  participant L as lmhunt\n";
  for (const auto& server : order) {
    out += "  participant " + participants[server] + " as " +
           label_text(server.empty() ? "unknown" : server, 40) + "\n";
  }
  const std::size_t shown = std::min(ordered.size(), max_calls);
  auto message = [&](const downstream::CallRecord& c, const std::string& indent) {
    const std::string& p = participants[c.server];
    std::string call = label_text(c.tool, 40);
    if (c.attempt > 1) call += " (attempt " + std::to_string(c.attempt) + ")";
    std::string reply = label_text(c.outcome, 20);
    if (!c.detail.empty()) reply += ", " + label_text(c.detail, 40);
    reply += ", " + report::duration_text(c.duration.count());
    const bool failed = c.outcome != "ok" && c.outcome != "empty";
    return indent + "L->>" + p + ": " + call + "\n" + indent + p + (failed ? "--xL: " : "-->>L: ") +
           reply + "\n";
  };
  // Calls overlapping in time form one `par` block (they ran in parallel).
  for (std::size_t i = 0; i < shown;) {
    auto group_end = ordered[i]->started + ordered[i]->duration;
    std::size_t j = i + 1;
    while (j < shown && ordered[j]->started < group_end) {
      group_end = std::max(group_end, ordered[j]->started + ordered[j]->duration);
      ++j;
    }
    if (j - i == 1) {
      out += message(*ordered[i], "  ");
    } else {
      for (std::size_t k = i; k < j; ++k) {
        out += (k == i ? "  par\n" : "  and\n") + message(*ordered[k], "    ");
      }
      out += "  end\n";
    }
    i = j;
  }
  if (ordered.size() > shown) {
    out += "  Note over L: … " + std::to_string(ordered.size() - shown) + " more calls\n";
  }
  if (ordered.empty()) out += "  Note over L: no downstream calls were made\n";
  return out;
}

std::string mermaid_movement(const std::vector<Finding>& findings, std::size_t max_edges) {
  struct Edge {
    std::string from, to;
    std::set<std::string> families;
    std::string verdict;  // the worst verdict on this edge
  };
  auto rank = [](const std::string& v) {
    return v == "malicious" ? 3 : v == "suspicious" ? 2 : v == "informational" ? 1 : 0;
  };
  std::vector<Edge> edges;
  for (const auto& f : findings) {
    std::string from = report::source_label(f);
    for (const auto& to : f.targets) {
      auto it = std::find_if(edges.begin(), edges.end(),
                             [&](const Edge& e) { return e.from == from && e.to == to; });
      if (it == edges.end()) {
        edges.push_back({from, to, {}, f.verdict});
        it = std::prev(edges.end());
      }
      it->families.insert(f.families.begin(), f.families.end());
      if (rank(f.verdict) > rank(it->verdict)) it->verdict = f.verdict;
    }
  }
  std::stable_sort(edges.begin(), edges.end(),
                   [&](const Edge& a, const Edge& b) { return rank(a.verdict) > rank(b.verdict); });
  std::string out = "graph LR\n";
  std::set<std::string> declared;
  std::vector<std::string> red, orange;
  const std::size_t shown = std::min(edges.size(), max_edges);
  // A node's label is written where it first appears, so each edge is one line.
  auto node = [&](const std::string& name) {
    return node_id(name) +
           (declared.insert(name).second ? "[\"" + label_text(name, 40) + "\"]" : std::string{});
  };
  for (std::size_t i = 0; i < shown; ++i) {
    const Edge& e = edges[i];
    std::string label = label_text(report::join({e.families.begin(), e.families.end()}, 3), 40);
    std::string from = node(e.from);
    out += "  " + from + " -->|" + (label.empty() ? "?" : label) + "| " + node(e.to) + "\n";
    if (e.verdict == "malicious") red.push_back(std::to_string(i));
    if (e.verdict == "suspicious") orange.push_back(std::to_string(i));
  }
  std::string styles;
  if (!red.empty()) {
    styles +=
        "  linkStyle " + report::join(red, red.size(), ",") + " stroke:#d00,stroke-width:3px\n";
  }
  if (!orange.empty()) {
    styles += "  linkStyle " + report::join(orange, orange.size(), ",") +
              " stroke:#e80,stroke-width:2px\n";
  }
  if (edges.size() > shown) {
    out += "  more[\"… " + std::to_string(edges.size() - shown) + " more edges\"]\n";
  }
  if (edges.empty()) out += "  none[\"no host-to-host movement found\"]\n";
  std::string classes;
  for (const auto& f : findings) {
    std::string from = report::source_label(f);
    if (f.verdict == "malicious" && declared.contains(from)) {
      classes += "  class " + node_id(from) + " malicious\n";
    }
  }
  if (!classes.empty()) out += "  classDef malicious fill:#fdd,stroke:#d00\n" + classes;
  return out + styles;
}

}  // namespace hunt
