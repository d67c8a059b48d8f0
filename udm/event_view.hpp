// event_view.hpp — read access to one UDM event held in some form other than nlohmann::json, so
// that udm::matches can evaluate a query over it (the event store's compact events use this).
//
// A view hands out opaque node handles. It describes a JSON value tree exactly: objects, arrays,
// strings, integers (signed and unsigned, as a JSON parser types them), doubles, booleans, null.
// The matcher walks it with the same rules as over nlohmann::json, so a view of an event and that
// event as JSON always give the same answer.
#pragma once

#include <cstdint>
#include <string_view>

namespace udm {

class EventView {
 public:
  using Node = std::uint32_t;
  // kNone is the handle of no node (find found nothing, no further child).
  static constexpr Node kNone = 0xFFFF'FFFFu;

  // The JSON type of a node; kUnsigned is a non-negative integer, kInteger a negative one (as
  // nlohmann::json types parsed numbers), kFloat any number with a fraction or exponent.
  enum class Kind : std::uint8_t {
    kNull,
    kBoolean,
    kInteger,
    kUnsigned,
    kFloat,
    kString,
    kArray,
    kObject,
  };

  virtual ~EventView() = default;

  // root is the event's top-level value (an object for any real event).
  virtual Node root() const = 0;
  virtual Kind kind(Node node) const = 0;

  // The scalar accessors are valid only on a node of the matching kind.
  virtual std::string_view string(Node node) const = 0;
  virtual std::int64_t integer(Node node) const = 0;
  virtual std::uint64_t unsigned_integer(Node node) const = 0;
  virtual double real(Node node) const = 0;
  virtual bool boolean(Node node) const = 0;

  // find returns the member of an object named key, or kNone (also when node is not an object).
  // When a key repeats in one object the last one counts, as in nlohmann::json's parser.
  virtual Node find(Node object, std::string_view key) const = 0;

  // first_child and next_sibling walk the elements of an array (or the members of an object) in
  // order; both return kNone past the end. next_sibling takes the container too.
  virtual Node first_child(Node container) const = 0;
  virtual Node next_sibling(Node container, Node child) const = 0;
};

}  // namespace udm
