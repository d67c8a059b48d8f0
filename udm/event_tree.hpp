// event_tree.hpp — internal to udm/: two adapters with one interface over an event's value tree,
// so that the evaluator is written once (as templates) and runs over nlohmann::json (JsonTree,
// no virtual calls, the hunt's path) and over any udm::EventView (ViewTree).
//
// A Tree has a Node type and: root(), kind(n), string(n), integer(n), unsigned_integer(n),
// real(n), boolean(n), find(object, key) (null() when absent), null(), and
// any_child(container, f) (true as soon as f returns true for an element).
#pragma once

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "udm/event_view.hpp"

namespace udm::detail {

using Kind = EventView::Kind;

class JsonTree {
 public:
  using Node = const nlohmann::json*;
  explicit JsonTree(const nlohmann::json& root) : root_(&root) {}

  Node root() const { return root_; }
  static Node null() { return nullptr; }
  static Kind kind(Node n) {
    switch (n->type()) {
      case nlohmann::json::value_t::object:
        return Kind::kObject;
      case nlohmann::json::value_t::array:
        return Kind::kArray;
      case nlohmann::json::value_t::string:
        return Kind::kString;
      case nlohmann::json::value_t::boolean:
        return Kind::kBoolean;
      case nlohmann::json::value_t::number_integer:
        return Kind::kInteger;
      case nlohmann::json::value_t::number_unsigned:
        return Kind::kUnsigned;
      case nlohmann::json::value_t::number_float:
        return Kind::kFloat;
      default:
        return Kind::kNull;  // null, binary, discarded: no comparable value
    }
  }
  static std::string_view string(Node n) { return n->get_ref<const std::string&>(); }
  static std::int64_t integer(Node n) { return n->get<std::int64_t>(); }
  static std::uint64_t unsigned_integer(Node n) { return n->get<std::uint64_t>(); }
  static double real(Node n) { return n->get<double>(); }
  static bool boolean(Node n) { return n->get<bool>(); }
  static Node find(Node object, std::string_view key) {
    if (!object->is_object()) return nullptr;
    auto it = object->find(key);
    return it == object->end() ? nullptr : &*it;
  }
  template <typename F>
  static bool any_child(Node container, F&& f) {
    return std::any_of(container->begin(), container->end(),
                       [&](const nlohmann::json& element) { return f(&element); });
  }

 private:
  Node root_;
};

class ViewTree {
 public:
  using Node = EventView::Node;
  explicit ViewTree(const EventView& view) : view_(view) {}

  Node root() const { return view_.root(); }
  static Node null() { return EventView::kNone; }
  Kind kind(Node n) const { return view_.kind(n); }
  std::string_view string(Node n) const { return view_.string(n); }
  std::int64_t integer(Node n) const { return view_.integer(n); }
  std::uint64_t unsigned_integer(Node n) const { return view_.unsigned_integer(n); }
  double real(Node n) const { return view_.real(n); }
  bool boolean(Node n) const { return view_.boolean(n); }
  Node find(Node object, std::string_view key) const { return view_.find(object, key); }
  template <typename F>
  bool any_child(Node container, F&& f) const {
    for (Node child = view_.first_child(container); child != EventView::kNone;
         child = view_.next_sibling(container, child)) {
      if (f(child)) return true;
    }
    return false;
  }

 private:
  const EventView& view_;
};

}  // namespace udm::detail
