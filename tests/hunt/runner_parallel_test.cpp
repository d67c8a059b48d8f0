// Which hunt steps overlap: related cases run beside enrichment (both need only the findings).
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <mutex>

#include "support/fake_downstream.hpp"
#include "support/hunt_fixture.hpp"
#include "tools/hunt/runner.hpp"

namespace {

using namespace std::chrono_literals;
using mcp::Json;
using test::CallContext;
using test::FakeSiem;
using test::FakeSoar;
using test::Rig;

// A SOAR that announces its first list_cases call.
class AnnouncingSoar : public FakeSoar {
 public:
  std::shared_future<void> listed() const { return listed_; }
  mcp::Result<std::vector<downstream::CaseSummary>> list_cases(const CallContext& ctx) override {
    std::call_once(once_, [this] { announce_.set_value(); });
    return FakeSoar::list_cases(ctx);
  }

 private:
  std::once_flag once_;
  std::promise<void> announce_;
  std::shared_future<void> listed_ = announce_.get_future().share();
};

// A SIEM whose entity lookups wait (at most 10 s) for the SOAR's case list, and remember whether
// it came: it can come only if related cases run while enrichment is still in flight.
class SiemWaitingForCases : public FakeSiem {
 public:
  explicit SiemWaitingForCases(std::shared_future<void> listed) : listed_(std::move(listed)) {}
  std::atomic<int> lookups{0};
  std::atomic<int> saw_cases_listed{0};

  mcp::Result<std::string> lookup_entity(const std::string& value, int hours_back,
                                         const CallContext& ctx) override {
    ++lookups;
    if (listed_.wait_for(10s) == std::future_status::ready) ++saw_cases_listed;
    return FakeSiem::lookup_entity(value, hours_back, ctx);
  }

 private:
  std::shared_future<void> listed_;
};

}  // namespace

TEST_CASE("related cases are looked up while the entities are still being enriched",
          "[hunt][engine][runner]") {
  Rig rig;
  auto soar = std::make_shared<AnnouncingSoar>();
  soar->add_case("42", "Hunting case", "Threat hunting log");
  soar->add_case("77", "WKS07 beaconing", "Suspicious traffic from WKS07");
  auto siem = std::make_shared<SiemWaitingForCases>(soar->listed());
  siem->events = rig.siem->events;
  siem->entities = rig.siem->entities;
  rig.soar = soar;
  rig.siem = siem;
  const auto result = rig.run(rig.args());
  REQUIRE(siem->lookups.load() > 0);  // the hunt enriched at least one entity
  CHECK(siem->saw_cases_listed.load() == siem->lookups.load());
  REQUIRE_FALSE(result.related_cases.empty());
  CHECK(result.related_cases.front().id == "77");
  CHECK(result.timings_ms.count("related_cases") == 1);
  CHECK(result.timings_ms.count("enrich") == 1);
}
