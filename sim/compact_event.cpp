// compact_event.cpp — building, storing, reading and re-materialising compact event tapes.
#include "sim/compact_event.hpp"

#include <algorithm>
#include <cstring>

namespace sim::store {

using nlohmann::json;

namespace {

// A stored block starts with two uint32: the token count and the byte count.
constexpr std::size_t kHeader = 2 * sizeof(std::uint32_t);

}  // namespace

KeyTable::KeyTable()
    : blocks_(std::make_unique<std::unique_ptr<const std::string*[]>[]>(kMaxKeys >> kBlockBits)) {
  static const std::string kNoKey;
  blocks_[0] = std::make_unique<const std::string*[]>(std::size_t{1} << kBlockBits);
  blocks_[0][0] = &kNoKey;
  count_ = 1;
}

KeyTable::~KeyTable() = default;

std::uint32_t KeyTable::intern(std::string_view key) {
  const std::lock_guard lock(mutex_);
  auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  if (count_ >= kMaxKeys) return 0;
  const std::uint32_t id = count_;
  it = ids_.emplace(std::string(key), id).first;
  auto& block = blocks_[id >> kBlockBits];
  if (!block) block = std::make_unique<const std::string*[]>(std::size_t{1} << kBlockBits);
  block[id & kMask] = &it->first;
  ++count_;
  return id;
}

// --- TapeBuilder -------------------------------------------------------------------------------

void TapeBuilder::reset() {
  tape_.clear();
  open_.clear();
  member_keys_.clear();
  member_starts_.clear();
  key_ = 0;
  keys_full_ = false;
}

bool TapeBuilder::parse(std::string_view text, std::string* why) {
  reset();
  const bool ok = json::sax_parse(text.begin(), text.end(), this);
  if (keys_full_ && why != nullptr) *why = "more distinct JSON keys than the store can hold";
  return ok && !keys_full_ && open_.empty() && !tape_.tokens.empty();
}

bool TapeBuilder::from_json(const json& value) {
  reset();
  walk(value);
  return !keys_full_;
}

void TapeBuilder::walk(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      start_object(value.size());
      for (const auto& [name, member] : value.items()) {
        key_ = intern(name);
        if (key_ == 0) keys_full_ = true;
        walk(member);
      }
      end_object();
      break;
    case json::value_t::array:
      start_array(value.size());
      for (const json& element : value) walk(element);
      end_array();
      break;
    case json::value_t::string:
      push_string(value.get_ref<const std::string&>());
      break;
    case json::value_t::boolean:
      boolean(value.get<bool>());
      break;
    case json::value_t::number_integer:
      number_integer(value.get<std::int64_t>());
      break;
    case json::value_t::number_unsigned:
      number_unsigned(value.get<std::uint64_t>());
      break;
    case json::value_t::number_float: {
      const double real = value.get<double>();
      push_bytes(Kind::kFloat, &real, sizeof real);
      break;
    }
    default:  // null, and binary / discarded, which no parsed UDM event holds
      null();
      break;
  }
}

void TapeBuilder::push(Kind kind, std::uint32_t value) {
  tape_.tokens.push_back(Token{static_cast<std::uint32_t>(kind) | (key_ << 4), value});
  key_ = 0;
}

void TapeBuilder::push_bytes(Kind kind, const void* data, std::size_t size) {
  push(kind, static_cast<std::uint32_t>(tape_.bytes.size()));
  const auto* first = static_cast<const std::uint8_t*>(data);
  tape_.bytes.insert(tape_.bytes.end(), first, first + size);
}

void TapeBuilder::push_string(std::string_view text) {
  push(Kind::kString, static_cast<std::uint32_t>(tape_.bytes.size()));
  // The length as LEB128 (7 bits a byte), then the bytes.
  std::size_t length = text.size();
  do {
    const auto low = static_cast<std::uint8_t>(length & 0x7F);
    length >>= 7;
    tape_.bytes.push_back(length != 0 ? static_cast<std::uint8_t>(low | 0x80) : low);
  } while (length != 0);
  tape_.bytes.insert(tape_.bytes.end(), text.begin(), text.end());
}

void TapeBuilder::close() {
  const std::uint32_t container = open_.back();
  open_.pop_back();
  tape_.tokens[container].value = static_cast<std::uint32_t>(tape_.tokens.size());
}

bool TapeBuilder::null() {
  push(Kind::kNull, 0);
  return true;
}

bool TapeBuilder::boolean(bool value) {
  push(Kind::kBoolean, value ? 1 : 0);
  return true;
}

bool TapeBuilder::number_integer(json::number_integer_t value) {
  push_bytes(Kind::kInteger, &value, sizeof value);
  return true;
}

bool TapeBuilder::number_unsigned(json::number_unsigned_t value) {
  push_bytes(Kind::kUnsigned, &value, sizeof value);
  return true;
}

bool TapeBuilder::number_float(json::number_float_t value, const json::string_t& /*text*/) {
  push_bytes(Kind::kFloat, &value, sizeof value);
  return true;
}

bool TapeBuilder::string(json::string_t& value) {
  push_string(value);
  return true;
}

bool TapeBuilder::binary(json::binary_t& /*value*/) {
  return false;  // JSON text has no binary values
}

bool TapeBuilder::start_object(std::size_t /*elements*/) {
  member_starts_.push_back(static_cast<std::uint32_t>(member_keys_.size()));
  open_.push_back(static_cast<std::uint32_t>(tape_.tokens.size()));
  push(Kind::kObject, 0);
  return true;
}

std::uint32_t TapeBuilder::intern(const std::string& key) {
  auto it = seen_.find(key);
  if (it != seen_.end()) return it->second;
  const std::uint32_t id = keys_.intern(key);
  if (id != 0) seen_.emplace(key, id);
  return id;
}

bool TapeBuilder::key(json::string_t& value) {
  key_ = intern(value);
  if (key_ == 0) keys_full_ = true;
  const auto first = member_keys_.begin() + member_starts_.back();
  if (std::find(first, member_keys_.end(), key_) != member_keys_.end()) {
    tape_.repeated_keys = true;
  }
  member_keys_.push_back(key_);
  return !keys_full_;
}

bool TapeBuilder::end_object() {
  member_keys_.resize(member_starts_.back());
  member_starts_.pop_back();
  close();
  return true;
}

bool TapeBuilder::start_array(std::size_t /*elements*/) {
  open_.push_back(static_cast<std::uint32_t>(tape_.tokens.size()));
  push(Kind::kArray, 0);
  return true;
}

bool TapeBuilder::end_array() {
  close();
  return true;
}

bool TapeBuilder::parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                              const nlohmann::detail::exception& /*error*/) {
  return false;
}

// --- storing and reading -----------------------------------------------------------------------

std::size_t stored_size(const Tape& tape, std::uint32_t root) {
  const Token& token = tape.tokens[root];
  const bool container = token.kind() == Kind::kArray || token.kind() == Kind::kObject;
  const std::size_t count = container ? token.value - root : 1;
  const std::size_t size = kHeader + count * sizeof(Token) + tape.bytes.size();
  return (size + 7) & ~std::size_t{7};
}

void store_tape(const Tape& tape, std::uint32_t root, std::uint8_t* out) {
  const Token& first = tape.tokens[root];
  const bool container = first.kind() == Kind::kArray || first.kind() == Kind::kObject;
  const std::uint32_t count = container ? first.value - root : 1;
  const auto bytes = static_cast<std::uint32_t>(tape.bytes.size());
  std::memcpy(out, &count, sizeof count);
  std::memcpy(out + sizeof count, &bytes, sizeof bytes);
  auto* tokens = reinterpret_cast<Token*>(out + kHeader);
  for (std::uint32_t i = 0; i < count; ++i) {
    Token token = tape.tokens[root + i];
    const Kind kind = token.kind();
    if (kind == Kind::kArray || kind == Kind::kObject) token.value -= root;
    tokens[i] = token;
  }
  tokens[0].head &= 0xF;  // the root has no key; its key bits flag repeated keys
  if (tape.repeated_keys) tokens[0].head |= 1u << 4;
  std::memcpy(out + kHeader + count * sizeof(Token), tape.bytes.data(), bytes);
}

CompactView::CompactView(const std::uint8_t* data, const KeyTable& keys)
    : tokens_(reinterpret_cast<const Token*>(data + kHeader)), keys_(keys) {
  std::memcpy(&count_, data, sizeof count_);
  bytes_ = data + kHeader + std::size_t{count_} * sizeof(Token);
  unique_keys_ = tokens_[0].key() == 0;
}

std::string_view CompactView::string(Node node) const {
  const std::uint8_t* at = bytes_ + tokens_[node].value;
  std::size_t length = 0;
  for (unsigned shift = 0;; shift += 7) {
    const std::uint8_t byte = *at++;
    length |= static_cast<std::size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  return {reinterpret_cast<const char*>(at), length};
}

std::int64_t CompactView::integer(Node node) const {
  std::int64_t value = 0;
  std::memcpy(&value, bytes_ + tokens_[node].value, sizeof value);
  return value;
}

std::uint64_t CompactView::unsigned_integer(Node node) const {
  std::uint64_t value = 0;
  std::memcpy(&value, bytes_ + tokens_[node].value, sizeof value);
  return value;
}

double CompactView::real(Node node) const {
  double value = 0;
  std::memcpy(&value, bytes_ + tokens_[node].value, sizeof value);
  return value;
}

udm::EventView::Node CompactView::after(Node node) const {
  const Kind kind = tokens_[node].kind();
  return kind == Kind::kArray || kind == Kind::kObject ? tokens_[node].value : node + 1;
}

udm::EventView::Node CompactView::find(Node object, std::string_view key) const {
  if (tokens_[object].kind() != Kind::kObject) return kNone;
  Node found = kNone;  // the last member with that key wins, as in nlohmann::json's parser
  const Node end = tokens_[object].value;
  for (Node child = object + 1; child < end; child = after(child)) {
    if (keys_.name(tokens_[child].key()) == key) {
      if (unique_keys_) return child;
      found = child;
    }
  }
  return found;
}

udm::EventView::Node CompactView::first_child(Node container) const {
  const Kind kind = tokens_[container].kind();
  if (kind != Kind::kArray && kind != Kind::kObject) return kNone;
  return container + 1 < tokens_[container].value ? container + 1 : kNone;
}

udm::EventView::Node CompactView::next_sibling(Node container, Node child) const {
  const Node next = after(child);
  return next < tokens_[container].value ? next : kNone;
}

json to_json(const CompactView& view, udm::EventView::Node node) {
  switch (view.kind(node)) {
    case Kind::kNull:
      return json(nullptr);
    case Kind::kBoolean:
      return json(view.boolean(node));
    case Kind::kInteger:
      return json(view.integer(node));
    case Kind::kUnsigned:
      return json(view.unsigned_integer(node));
    case Kind::kFloat:
      return json(view.real(node));
    case Kind::kString:
      return json(view.string(node));
    case Kind::kArray: {
      json array = json::array();
      for (auto child = view.first_child(node); child != udm::EventView::kNone;
           child = view.next_sibling(node, child)) {
        array.push_back(to_json(view, child));
      }
      return array;
    }
    case Kind::kObject: {
      json object = json::object();
      for (auto child = view.first_child(node); child != udm::EventView::kNone;
           child = view.next_sibling(node, child)) {
        object[std::string(view.key(child))] = to_json(view, child);  // the last repeat wins
      }
      return object;
    }
  }
  return json(nullptr);
}

std::uint8_t* Arena::allocate(std::size_t size) {
  size = (size + 7) & ~std::size_t{7};
  if (size > kChunk / 4) {  // a large event gets a chunk of its own
    chunks_.emplace_back(new std::uint8_t[size]);
    bytes_ += size;
    return chunks_.back().get();
  }
  if (size > left_) {
    chunks_.emplace_back(new std::uint8_t[kChunk]);
    current_ = chunks_.back().get();
    left_ = kChunk;
    bytes_ += kChunk;
  }
  std::uint8_t* block = current_;
  current_ += size;
  left_ -= size;
  return block;
}

}  // namespace sim::store
