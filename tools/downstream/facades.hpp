// facades.hpp — what the hunt needs from the SecOps servers, as three small interfaces.
//
// The hunt sees only these; tools/downstream/ implements them over mcp::Client connections,
// discovering each operation by tool name across the configured servers (secops-mcp, gti-mcp,
// secops-soar, or the Google remote server's names), decoding results the way
// ../shared/reference/downstream-servers.md §3 says, retrying only transient failures, and
// recording every call it makes in the caller's CallLog. Unit tests of the hunt implement them
// in memory; end-to-end tests use the real ones against lmhunt-sim child processes.
//
// Every operation blocks until it has an answer, the deadline passes, or the stop token fires;
// all are safe to call from many threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcp/result.hpp"

namespace downstream {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Error codes facades return in mcp::Error::code (negative, distinct from JSON-RPC codes).
enum ErrorCode : int {
  kNotConfigured = -41001,  // no configured server offers this operation
  kUnavailable = -41002,    // the server is down, crashed, or failed to start (degraded)
  kTimeout = -41003,        // the deadline passed (notifications/cancelled was sent)
  kCancelled = -41004,      // the caller's stop token fired
  kToolError = -41005,      // isError, an in-band {"error": …}, or a known error text prefix
  kBadResponse = -41006,    // empty SOAR content, undecodable JSON, a missing expected key
  kNotFound = -41007,       // the entity / IOC / case is unknown to the server
  kRefused = -41008,        // we refused to call (e.g. secops-mcp without CHRONICLE_* ids)
};

// error_kind names a code for reports: "not_configured", "unavailable", "timeout", "cancelled",
// "tool_error", "bad_response", "not_found", "refused", else "error".
const char* error_kind(int code);

// CallRecord is one downstream tools/call as it happened (one per attempt that reached a server).
struct CallRecord {
  std::string server;   // configured server name, e.g. "secops"
  std::string tool;     // tool name as called, e.g. "search_udm"
  Json arguments;       // as sent
  std::string outcome;  // "ok", "empty", or an error_kind()
  std::string detail;   // error text, or a short summary ("14 events", "3 cases")
  std::chrono::system_clock::time_point started;
  std::chrono::milliseconds duration{0};
  std::size_t response_bytes = 0;  // size of the result JSON we received
  int attempt = 1;
};

// CallLog collects CallRecords from many threads.
class CallLog {
 public:
  void add(CallRecord record);
  std::vector<CallRecord> snapshot() const;
  std::size_t total_response_bytes() const;

 private:
  mutable std::mutex mu_;
  std::vector<CallRecord> records_;
};

// CallContext is what every operation takes: the deadline for the whole operation (retries
// included), the caller's stop token, and where to record calls (may be null).
struct CallContext {
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(60);
  std::stop_token stop;
  CallLog* log = nullptr;
};

// ---- SIEM -------------------------------------------------------------------------------------

struct SearchRequest {
  std::string query;                      // valid UDM Search text
  std::optional<int> hours_back;          // either hours_back ...
  std::optional<std::string> start_time;  // ... or start/end, RFC 3339 UTC
  std::optional<std::string> end_time;
  int max_events = 100;  // always sent (the real default asks for 10,000)
};

struct SearchResult {
  std::vector<Json> events;  // UDM event objects (the "udm" of each result), oldest first
  bool more_data_available = false;
  std::string tool;       // the tool that ran: "search_udm", "udm_search", "search_security_events"
  std::string udm_query;  // the query that ran (for the NL fallback: the translated one)
};

class Siem {
 public:
  virtual ~Siem() = default;
  // search runs a raw UDM query with search_udm (or the remote udm_search); when neither exists it
  // falls back to search_security_events with `natural_language` (if non-empty), returning the
  // translated udm_query; kNotConfigured otherwise.
  virtual mcp::Result<SearchResult> search(const SearchRequest& request,
                                           const std::string& natural_language,
                                           const CallContext& ctx) = 0;
  // lookup_entity returns the server's summary text; kNotFound for "No information found".
  virtual mcp::Result<std::string> lookup_entity(const std::string& value, int hours_back,
                                                 const CallContext& ctx) = 0;
  // get_threat_intel returns the answer text.
  virtual mcp::Result<std::string> get_threat_intel(const std::string& question,
                                                    const CallContext& ctx) = 0;
  virtual mcp::Result<std::string> get_ioc_matches(int hours_back, int max_matches,
                                                   const CallContext& ctx) = 0;
};

// ---- Threat intelligence ----------------------------------------------------------------------

enum class IocKind { kIp, kDomain, kFile, kUrl };

class ThreatIntel {
 public:
  virtual ~ThreatIntel() = default;
  // report returns the VirusTotal-shaped object ({"type","id","attributes":{…}}); kNotFound when
  // the server says the IOC is unknown.
  virtual mcp::Result<Json> report(IocKind kind, const std::string& value,
                                   const CallContext& ctx) = 0;
};

// ---- SOAR -------------------------------------------------------------------------------------

// CaseSummary is one list_cases entry, normalised (fields missing upstream are empty).
struct CaseSummary {
  std::string id;
  std::string name;
  std::string description;
  std::string priority;  // e.g. "PriorityMedium"
  std::string status;    // e.g. "Opened", "Closed"
  Json raw;              // the entry as the server sent it
};

// CaseDetails is get_case_full_details (or the remote get_case) normalised.
struct CaseDetails {
  CaseSummary summary;
  Json alerts = Json::array();
  Json comments = Json::array();  // each has at least "comment" (text)
  Json raw;
};

class Soar {
 public:
  virtual ~Soar() = default;
  // list_cases follows every page; kBadResponse for empty content (secops-soar's silent failure).
  virtual mcp::Result<std::vector<CaseSummary>> list_cases(const CallContext& ctx) = 0;
  virtual mcp::Result<CaseDetails> get_case(const std::string& case_id, const CallContext& ctx) = 0;
  // post_comment posts once. It is never retried blindly: on an ambiguous failure it reads the
  // case back and looks for `marker` (the hunt id) in the comments before trying again.
  virtual mcp::Status post_comment(const std::string& case_id, const std::string& comment,
                                   const std::string& marker, const CallContext& ctx) = 0;
  // change_priority sets e.g. "PriorityHigh" (checked first, so repeating it is harmless).
  virtual mcp::Status change_priority(const std::string& case_id, const std::string& priority,
                                      const CallContext& ctx) = 0;
  virtual bool can_create_case() const = 0;
  // create_case returns the new case id; kNotConfigured when no server offers case creation.
  virtual mcp::Result<std::string> create_case(const std::string& title,
                                               const std::string& description,
                                               const std::string& priority,
                                               const std::string& marker,
                                               const CallContext& ctx) = 0;
};

// ServerHealth is one configured downstream server as the hunt reports it.
struct ServerHealth {
  std::string name;
  std::string state;   // "not_started", "starting", "ready", "degraded", "disabled", "refused"
  std::string detail;  // last error, restart count, ...
  std::vector<std::string> roles;  // "siem", "threat_intel", "soar"
};

// Downstream is what a hunt is given: each facade may be null when no configured server offers
// that role (the hunt then reports the steps as not run, never as "no findings").
struct Downstream {
  std::shared_ptr<Siem> siem;
  std::shared_ptr<ThreatIntel> threat_intel;
  std::shared_ptr<Soar> soar;
  // health lists the configured servers' current states (empty when unknown).
  std::function<std::vector<ServerHealth>()> health;
  // description is the first line of every report when the downstream is not the user's real
  // SecOps, e.g. "Embedded demo: lmhunt-sim over the bundled demo enterprise (no real SecOps)".
  std::string description;
};

}  // namespace downstream
