// HttpClientTransport: open, close and the channel; the Streamable HTTP
// exchanges are in http_client_streamable.cpp, the legacy HTTP+SSE transport
// in http_client_legacy.cpp.
#include <spdlog/spdlog.h>

#include "mcp/http_client_impl.hpp"

namespace mcp {

using jsonrpc::kServerError;

namespace {

// invalid_header reports why a configured header cannot be sent, empty if it can.
std::string invalid_header(const std::string& name, const std::string& value) {
  if (name.empty()) return "a header has an empty name";
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f ||
        std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) !=
            std::string_view::npos) {
      return "header name '" + httpc::excerpt(name, 60) + "' is not a valid HTTP token";
    }
  }
  if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos) {
    return "header '" + name + "' has a line break or NUL in its value";
  }
  return {};
}

}  // namespace

Error http_status_error(const std::string& where, const httplib::Headers& headers, int status,
                        const std::string& reason, const std::string& body) {
  std::string message = where + ": HTTP " + std::to_string(status);
  if (!reason.empty()) message += " " + reason;
  if (status == 401) {
    message += " (authentication failed: check the Authorization header configured for this server";
    auto it = headers.find("WWW-Authenticate");
    if (it != headers.end()) message += "; WWW-Authenticate: " + httpc::excerpt(it->second, 200);
    message += ")";
  } else if (status == 403) {
    message += " (access denied: check the credentials' permissions and project headers)";
  }
  if (!body.empty()) message += ": " + httpc::excerpt(body, 300);
  return Error{kServerError, message, Json{{"httpStatus", status}}};
}

// --- HttpClientChannel -------------------------------------------------------

bool HttpClientChannel::send(const Json& message) {
  std::shared_lock lock(mu_);
  return impl_ != nullptr && impl_->send(message);
}

void HttpClientChannel::detach() {
  std::unique_lock lock(mu_);
  impl_ = nullptr;
}

// --- HttpClientTransport -----------------------------------------------------

Result<std::shared_ptr<HttpClientTransport>> HttpClientTransport::open(HttpClientOptions options,
                                                                       Executor& executor) {
  auto url = httpc::parse_url(options.url);
  if (!url) return Error{jsonrpc::kInvalidParams, options.name + ": " + url.error().message};
  for (const auto& [name, value] : options.headers) {
    if (auto why = invalid_header(name, value); !why.empty()) {
      return Error{jsonrpc::kInvalidParams, options.name + ": " + why};
    }
  }
  std::shared_ptr<HttpClientTransport> transport(new HttpClientTransport());
  transport->impl_ = std::make_unique<Impl>();
  Impl& impl = *transport->impl_;
  impl.options = std::move(options);
  impl.url = std::move(url.value());
  httpc::RequesterOptions requester;
  requester.name = impl.options.name;
  requester.connect_timeout = impl.options.connect_timeout;
  requester.ca_cert_file = impl.options.ca_cert_file;
  impl.requester = std::make_unique<httpc::Requester>(std::move(requester));
  impl.session = std::make_shared<Session>(impl.options.name, executor);
  impl.channel = std::make_shared<HttpClientChannel>(&impl);
  impl.session->set_default_channel(impl.channel);
  impl.posts = std::make_unique<Executor>();
  if (impl.options.legacy_sse) {
    if (auto opened = impl.open_legacy(); !opened) {
      transport->close();
      return opened.error();
    }
  }
  spdlog::debug("[{}] HTTP client transport ready for {}", impl.options.name, impl.url.redacted());
  return transport;
}

HttpClientTransport::~HttpClientTransport() {
  close();
}

const std::shared_ptr<Session>& HttpClientTransport::session() const {
  return impl_->session;
}

bool HttpClientTransport::connected() const {
  std::lock_guard lock(impl_->mu);
  return !impl_->closed && !impl_->failed && !impl_->stream_ended && !impl_->session->closed();
}

std::string HttpClientTransport::session_id() const {
  std::lock_guard lock(impl_->mu);
  return impl_->session_id;
}

void HttpClientTransport::close() {
  if (!impl_) return;
  Impl& impl = *impl_;
  std::lock_guard serial(impl.close_mu);
  {
    std::lock_guard lock(impl.mu);
    if (impl.closed) return;
    impl.closed = true;
  }
  impl.closing = true;
  impl.session->close(impl.options.name + ": the connection was closed by the client");
  impl.requester->abort_all();  // POSTs in flight and the legacy stream
  impl.requester->resume();
  if (!impl.options.legacy_sse) impl.send_delete();
  impl.requester->abort_all();
  if (impl.stream_thread.joinable()) {
    if (impl.stream_thread.get_id() == std::this_thread::get_id()) {
      impl.stream_thread.detach();
    } else {
      impl.stream_thread.join();
    }
  }
  impl.posts.reset();  // joins the POST tasks, which fail fast now
  impl.channel->detach();
}

}  // namespace mcp
