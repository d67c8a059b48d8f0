// compact_event.hpp — internal to the event store: one UDM event as a compact "tape" instead of an
// nlohmann::json tree, so that a million events fit in about the size of their JSON text and a
// query walks one contiguous block per event.
//
// A tape is the event's JSON values in document order (pre-order), 8 bytes each: the kind, the
// interned id of the member's key (0 for array elements and the root), and either the value (a
// boolean), the offset of its bytes (strings, length-prefixed; numbers, 8 raw bytes) or, for an
// array or object, the index just past its last descendant. Keys live once in a KeyTable shared
// by all events. CompactView reads a stored tape as a udm::EventView; to_json turns it back into
// the nlohmann::json the same text would have parsed to (same types, values and, as nlohmann keeps
// the last of repeated keys, the same members), so results are byte-identical to a DOM's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "udm/event_view.hpp"

namespace sim::store {

using Kind = udm::EventView::Kind;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

// KeyTable interns object keys; id 0 is "no key". intern is thread-safe (loaders parse lines on
// several threads); name is safe from any thread for an id that thread got from intern, and from
// every thread once loading is done. Names never move.
class KeyTable {
 public:
  KeyTable();
  ~KeyTable();
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  // intern returns the id of key, adding it when new; 0 when the table is full (2^28 keys).
  std::uint32_t intern(std::string_view key);
  std::string_view name(std::uint32_t id) const { return *blocks_[id >> kBlockBits][id & kMask]; }

 private:
  static constexpr unsigned kBlockBits = 14;
  static constexpr std::uint32_t kMask = (1u << kBlockBits) - 1;
  static constexpr std::uint32_t kMaxKeys = 1u << 28;  // ids fit above a token's 4 kind bits

  std::mutex mutex_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids_;
  std::uint32_t count_ = 0;
  // Fixed blocks of name pointers, so that adding a name never moves one another thread reads.
  std::unique_ptr<std::unique_ptr<const std::string*[]>[]> blocks_;
};

struct Token {
  std::uint32_t head;   // kind in the low 4 bits, key id above
  std::uint32_t value;  // see the file comment
  Kind kind() const { return static_cast<Kind>(head & 0xF); }
  std::uint32_t key() const { return head >> 4; }
};

// Tape is a tape being built (by TapeBuilder) before it is copied into the store.
struct Tape {
  std::vector<Token> tokens;
  std::vector<std::uint8_t> bytes;
  bool repeated_keys = false;  // some object holds a key twice (then the last one counts)
  void clear() {
    tokens.clear();
    bytes.clear();
    repeated_keys = false;
  }
};

// TapeBuilder is an nlohmann::json SAX handler that writes the tape of one JSON value, interning
// keys in keys. Reuse it (reset) for the next value: it keeps its buffers.
class TapeBuilder {
 public:
  using json = nlohmann::json;
  explicit TapeBuilder(KeyTable& keys) : keys_(keys) {}

  // parse reads text as one JSON value into tape(); false when it is not valid JSON (or has more
  // keys than the table can hold, which *why then says).
  bool parse(std::string_view text, std::string* why = nullptr);
  // from_json writes the tape of an already parsed value; false when the key table is full.
  bool from_json(const json& value);
  const Tape& tape() const { return tape_; }

  // The SAX interface (nlohmann::json::sax_parse).
  bool null();
  bool boolean(bool value);
  bool number_integer(json::number_integer_t value);
  bool number_unsigned(json::number_unsigned_t value);
  bool number_float(json::number_float_t value, const json::string_t& text);
  bool string(json::string_t& value);
  bool binary(json::binary_t& value);
  bool start_object(std::size_t elements);
  bool key(json::string_t& value);
  bool end_object();
  bool start_array(std::size_t elements);
  bool end_array();
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& error);

 private:
  void reset();
  void push(Kind kind, std::uint32_t value);
  void push_bytes(Kind kind, const void* data, std::size_t size);
  void push_string(std::string_view text);
  void close();
  void walk(const json& value);

  std::uint32_t intern(const std::string& key);

  KeyTable& keys_;
  // The ids this builder has seen, so that the shared table's lock is taken only for new keys.
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> seen_;
  Tape tape_;
  std::vector<std::uint32_t> open_;  // indexes of the containers not yet closed
  // The keys of the open objects' members so far, and where each open object's keys start, to
  // notice a repeated key.
  std::vector<std::uint32_t> member_keys_;
  std::vector<std::uint32_t> member_starts_;
  std::uint32_t key_ = 0;  // the key of the next value (0 inside arrays)
  bool keys_full_ = false;
};

// CompactView reads a stored tape. data points at a block written by store_tape.
class CompactView final : public udm::EventView {
 public:
  CompactView(const std::uint8_t* data, const KeyTable& keys);
  // A view of a tape still being built (not stored).
  CompactView(const Tape& tape, const KeyTable& keys)
      : tokens_(tape.tokens.data()),
        bytes_(tape.bytes.data()),
        count_(static_cast<std::uint32_t>(tape.tokens.size())),
        unique_keys_(!tape.repeated_keys),
        keys_(keys) {}

  Node root() const override { return 0; }
  Kind kind(Node node) const override { return tokens_[node].kind(); }
  std::string_view string(Node node) const override;
  std::int64_t integer(Node node) const override;
  std::uint64_t unsigned_integer(Node node) const override;
  double real(Node node) const override;
  bool boolean(Node node) const override { return tokens_[node].value != 0; }
  Node find(Node object, std::string_view key) const override;
  Node first_child(Node container) const override;
  Node next_sibling(Node container, Node child) const override;

  std::string_view key(Node node) const { return keys_.name(tokens_[node].key()); }
  std::size_t size() const { return count_; }

 private:
  Node after(Node node) const;

  const Token* tokens_;
  const std::uint8_t* bytes_;
  std::uint32_t count_;
  bool unique_keys_;  // no object repeats a key: find may stop at the first match
  const KeyTable& keys_;
};

// stored_size is the number of bytes store_tape writes for the subtree of tape at root.
std::size_t stored_size(const Tape& tape, std::uint32_t root);
// store_tape writes the subtree of tape at root (as a root without a key) to out, which must
// have stored_size bytes, 8-byte aligned. The root token's key bits say whether the tape had
// repeated keys.
void store_tape(const Tape& tape, std::uint32_t root, std::uint8_t* out);

// to_json rebuilds the JSON value of a node.
nlohmann::json to_json(const CompactView& view, udm::EventView::Node node);

// Arena hands out blocks that never move, carved from large chunks.
class Arena {
 public:
  std::uint8_t* allocate(std::size_t size);  // 8-byte aligned
  std::size_t bytes() const { return bytes_; }

 private:
  static constexpr std::size_t kChunk = 4u << 20;
  std::vector<std::unique_ptr<std::uint8_t[]>> chunks_;
  std::uint8_t* current_ = nullptr;  // the free part of the chunk being filled
  std::size_t left_ = 0;
  std::size_t bytes_ = 0;  // total allocated from chunks
};

}  // namespace sim::store
