#pragma once
// Result<T>: a value or an Error. GCC 12 has no std::expected; errors are values
// so that exceptions never cross a module boundary (DESIGN.md).

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <variant>

namespace mcp {

using Json = nlohmann::json;

// Error is a JSON-RPC style error: code, human message, optional data.
struct Error {
  Error() = default;
  Error(int error_code, std::string error_message, Json error_data = nullptr)
      : code(error_code), message(std::move(error_message)), data(std::move(error_data)) {}

  int code = 0;
  std::string message;
  Json data;  // null when absent
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Status is a Result with no value.
struct Ok {};
using Status = Result<Ok>;

}  // namespace mcp
