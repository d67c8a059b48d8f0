// EVTX: the conversion of the XML libevtx renders for a record into a WindowsRecord, and from
// there into the store. (No real .evtx fixture: see docs/event-store.md, "EVTX".)
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/event_store.hpp"
#include "sim/evtx_reader.hpp"
#include "udm/query.hpp"

namespace {

// The shape of libevtx's rendering (evtxexport -f xml) of a System 7045 record.
const std::string kServiceInstalled =
    R"(<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Service Control Manager" Guid="{555908d1-a6d7-4695-8e1e-26931d2012f4}" EventSourceName="Service Control Manager"/>
    <EventID Qualifiers="16384">7045</EventID>
    <Version>0</Version>
    <Level>4</Level>
    <Task>0</Task>
    <Opcode>0</Opcode>
    <Keywords>0x8080000000000000</Keywords>
    <TimeCreated SystemTime="2019-03-19T23:34:25.926226200Z"/>
    <EventRecordID>1234</EventRecordID>
    <Correlation/>
    <Execution ProcessID="604" ThreadID="3380"/>
    <Channel>System</Channel>
    <Computer>WIN-77LTAPHIQ1R.example.corp</Computer>
    <Security UserID="S-1-5-21-3583694148-1414552638-2922671848-500"/>
  </System>
  <EventData>
    <Data Name="ServiceName">PSEXESVC</Data>
    <Data Name="ImagePath">%SystemRoot%\PSEXESVC.exe</Data>
    <Data Name="ServiceType">user mode service</Data>
    <Data Name="StartType">demand start</Data>
    <Data Name="AccountName">LocalSystem</Data>
  </EventData>
</Event>
)";

}  // namespace

TEST_CASE("an EVTX record's XML becomes a WindowsRecord with its System and EventData fields",
          "[sim][store][evtx]") {
  std::string why;
  const auto record = sim::windows_record_from_evtx_xml(kServiceInstalled, &why);
  INFO(why);
  REQUIRE(record);
  CHECK(record->event_id == 7045);
  CHECK(record->channel == "System");
  CHECK(record->provider == "Service Control Manager");
  CHECK(record->computer == "WIN-77LTAPHIQ1R.example.corp");
  CHECK(record->time_utc == "2019-03-19T23:34:25.926Z");
  CHECK(record->data["ServiceName"] == "PSEXESVC");
  CHECK(record->data["ImagePath"] == "%SystemRoot%\\PSEXESVC.exe");
  CHECK(record->data.size() == 5);
}

TEST_CASE("an EVTX record is mapped and stored like the same event from JSON",
          "[sim][store][evtx]") {
  const auto record = sim::windows_record_from_evtx_xml(kServiceInstalled);
  REQUIRE(record);
  sim::EventStore store;
  std::string why;
  INFO(why);
  REQUIRE(store.add_windows_record(*record, &why));
  store.finalize();
  auto query = udm::parse(R"(metadata.product_event_type = "7045" AND principal.hostname = )"
                          R"("WIN-77LTAPHIQ1R.example.corp")");
  REQUIRE(query);
  CHECK(store.search(query.value(), {}, 10).events.size() == 1);
}

TEST_CASE("EVTX XML entities, unnamed Data and UserData are read", "[sim][store][evtx]") {
  const std::string xml = R"(<Event><System><Provider Name="Microsoft-Windows-Security-Auditing"/>
    <EventID>4688</EventID><TimeCreated SystemTime="2020-01-01T00:00:00Z"/>
    <Channel>Security</Channel><Computer>WS1</Computer></System>
    <EventData><Data Name="CommandLine">cmd /c "a &amp; b" &lt;x&gt; &#x41;&#66; &bogus; &amp</Data>
    <Data>first</Data><Data Name="">second</Data><Data Name="Empty"/></EventData></Event>)";
  const auto record = sim::windows_record_from_evtx_xml(xml);
  REQUIRE(record);
  CHECK(record->data["CommandLine"] == "cmd /c \"a & b\" <x> AB &bogus; &amp");
  CHECK(record->data["param1"] == "first");
  CHECK(record->data["param2"] == "second");
  CHECK(record->data["Empty"] == "");

  const std::string user_data = R"(<Event><System><Provider Name="Microsoft-Windows-Eventlog"/>
    <EventID>1102</EventID><Channel>Security</Channel><Computer>WS1</Computer></System>
    <UserData><LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog">
    <SubjectUserName>alice</SubjectUserName><SubjectDomainName>CORP</SubjectDomainName>
    </LogFileCleared></UserData></Event>)";
  const auto cleared = sim::windows_record_from_evtx_xml(user_data);
  REQUIRE(cleared);
  CHECK(cleared->event_id == 1102);
  CHECK(cleared->time_utc.empty());  // no TimeCreated: the loader uses the record's written time
  CHECK(cleared->data["SubjectUserName"] == "alice");
  CHECK(cleared->data["SubjectDomainName"] == "CORP");
}

TEST_CASE("EVTX XML without an event id or a channel is refused with the reason",
          "[sim][store][evtx]") {
  std::string why;
  CHECK_FALSE(sim::windows_record_from_evtx_xml("", &why));
  CHECK(why == "no <System> element");
  CHECK_FALSE(sim::windows_record_from_evtx_xml(
      "<Event><System><Channel>Security</Channel></System></Event>", &why));
  CHECK(why == "no <EventID>");
  CHECK_FALSE(sim::windows_record_from_evtx_xml(
      "<Event><System><EventID>x1</EventID><Channel>S</Channel></System></Event>", &why));
  CHECK(why == "<EventID> is not a number");
  CHECK_FALSE(sim::windows_record_from_evtx_xml(
      "<Event><System><EventID>4624</EventID></System></Event>", &why));
  CHECK(why == "no <Channel> or <Provider>");
}

TEST_CASE("every truncation of EVTX XML is handled without crashing", "[sim][store][evtx]") {
  std::size_t parsed = 0;
  for (std::size_t length = 0; length <= kServiceInstalled.size(); ++length) {
    if (sim::windows_record_from_evtx_xml(std::string_view(kServiceInstalled).substr(0, length))) {
      ++parsed;
    }
  }
  CHECK(parsed > 0);  // once <System> is closed the record reads, with what data is complete
}
