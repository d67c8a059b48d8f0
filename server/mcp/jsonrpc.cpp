#include "mcp/jsonrpc.hpp"

#include "mcp/json_codec.hpp"

namespace mcp::jsonrpc {
namespace {

DecodeError invalid(std::string message, Json id = nullptr) {
  return DecodeError{Error{kInvalidRequest, std::move(message), nullptr}, std::move(id)};
}

bool valid_id(const Json& id) {
  return id.is_string() || id.is_number_integer();
}

// envelope starts a message: {"jsonrpc": "2.0"} and the id, when there is one.
// Members are emplaced one by one: nlohmann's initializer-list form
// ({{"jsonrpc", "2.0"}, ...}) first builds each pair as a two-element array
// and then copies it, several allocations per member on the path every
// message takes.
Json envelope(const Json* id) {
  Json msg(Json::value_t::object);
  auto& members = msg.get_ref<Json::object_t&>();
  members.emplace("jsonrpc", "2.0");
  if (id) members.emplace("id", *id);
  return msg;
}

// call is a request (with an id) or a notification (without).
Json call(const Json* id, std::string_view method, Json params) {
  Json msg = envelope(id);
  auto& members = msg.get_ref<Json::object_t&>();
  members.emplace("method", method);
  if (!params.is_null()) members.emplace("params", std::move(params));
  return msg;
}

}  // namespace

std::variant<Message, DecodeError> decode(std::string_view frame) {
  Json value = json_codec::parse(frame);
  if (value.is_discarded()) {
    return DecodeError{Error{kParseError, "Parse error: invalid JSON", nullptr}, nullptr};
  }
  return validate(std::move(value));
}

std::variant<Message, DecodeError> validate(Json value) {
  if (value.is_array()) return invalid("Invalid Request: batches are not supported");
  if (!value.is_object()) return invalid("Invalid Request: a message must be a JSON object");

  Json id = nullptr;
  auto id_it = value.find("id");
  // An error response may carry a null id: the answer to a frame whose id
  // could not be read (JSON-RPC 2.0 §5).
  const bool null_id_error = id_it != value.end() && id_it->is_null() &&
                             !value.contains("method") && value.contains("error");
  const bool has_id = id_it != value.end() && !null_id_error;
  if (has_id) {
    if (!valid_id(*id_it)) return invalid("Invalid Request: id must be a string or an integer");
    id = *id_it;
  }
  auto version = value.find("jsonrpc");
  if (version == value.end() || *version != "2.0") {
    return invalid("Invalid Request: jsonrpc must be \"2.0\"", id);
  }

  Message msg;
  msg.id = id;
  auto method = value.find("method");
  if (method != value.end()) {
    if (!method->is_string() || method->get_ref<const std::string&>().empty()) {
      return invalid("Invalid Request: method must be a non-empty string", id);
    }
    msg.method = method->get<std::string>();
    auto params = value.find("params");
    if (params != value.end()) {
      if (!params->is_object() && !params->is_null()) {
        return DecodeError{
            Error{kInvalidParams, "Invalid params: params must be an object", nullptr}, id};
      }
      msg.params = std::move(*params);
    }
    msg.kind = has_id ? Kind::kRequest : Kind::kNotification;
    return msg;
  }

  auto result = value.find("result");
  auto error = value.find("error");
  if (result == value.end() && error == value.end()) {
    return invalid("Invalid Request: missing method", id);
  }
  if (!has_id && !null_id_error) return invalid("Invalid Request: missing method");
  if ((result != value.end()) == (error != value.end())) {
    return invalid("Invalid Request: a response needs exactly one of result and error", id);
  }
  if (result != value.end()) {
    msg.kind = Kind::kResponse;
    msg.result = std::move(*result);
    return msg;
  }
  if (!error->is_object() || !error->contains("code") || !(*error)["code"].is_number_integer()) {
    return invalid("Invalid Request: error must be an object with an integer code", id);
  }
  msg.kind = Kind::kErrorResponse;
  msg.error.code = (*error)["code"].get<int>();
  msg.error.message = error->value("message", std::string{});
  if (error->contains("data")) msg.error.data = (*error)["data"];
  return msg;
}

Json make_request(const Json& id, std::string_view method, Json params) {
  return call(&id, method, std::move(params));
}

Json make_notification(std::string_view method, Json params) {
  return call(nullptr, method, std::move(params));
}

Json make_result(const Json& id, Json result) {
  if (result.is_null()) result = Json::object();
  Json msg = envelope(&id);
  msg.get_ref<Json::object_t&>().emplace("result", std::move(result));
  return msg;
}

Json make_error(const Json& id, const Error& error) {
  Json err(Json::value_t::object);
  auto& fields = err.get_ref<Json::object_t&>();
  fields.emplace("code", error.code);
  fields.emplace("message", error.message);
  if (!error.data.is_null()) fields.emplace("data", error.data);
  Json msg = envelope(&id);
  msg.get_ref<Json::object_t&>().emplace("error", std::move(err));
  return msg;
}

std::string encode(const Json& message) {
  return json_codec::dump(message);
}

std::string id_key(const Json& id) {
  if (id.is_string()) return "s:" + id.get_ref<const std::string&>();
  // Integers without dump(): its serializer asks the C library for the locale.
  if (id.is_number_unsigned()) return "n:" + std::to_string(id.get<std::uint64_t>());
  if (id.is_number_integer()) return "n:" + std::to_string(id.get<std::int64_t>());
  return "n:" + id.dump();
}

}  // namespace mcp::jsonrpc
