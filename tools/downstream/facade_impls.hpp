// facade_impls.hpp — the real Siem, ThreatIntel and Soar over a Pool (siem.cpp,
// threat_intel.cpp, soar.cpp), plus helpers they share.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "tools/downstream/facades.hpp"
#include "tools/downstream/pool.hpp"

namespace downstream {

std::shared_ptr<Siem> make_siem(std::shared_ptr<Pool> pool);
std::shared_ptr<ThreatIntel> make_threat_intel(std::shared_ptr<Pool> pool);
std::shared_ptr<Soar> make_soar(std::shared_ptr<Pool> pool);

// put_time_range sets hours_back when the tool takes it (or declares no properties, as the
// local servers' schemas all do), else start_time/end_time computed from it (RFC 3339 UTC).
void put_time_range(Json& args, const mcp::Tool& tool, std::optional<int> hours_back,
                    const std::optional<std::string>& start, const std::optional<std::string>& end);

// kSoarSilentFailure is the message of secops-soar's empty answer (content: []).
inline constexpr const char* kSoarSilentFailure =
    "secops-soar returned nothing: the SOAR request failed";

}  // namespace downstream
