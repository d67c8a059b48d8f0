// evtx_reader.hpp — Windows .evtx files (through libevtx) into the event store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/event_store.hpp"
#include "sim/windows_mapping.hpp"

namespace sim {

// kEvtxSignature is the first 8 bytes of every EVTX file ("ElfFile" and a NUL).
inline constexpr std::string_view kEvtxSignature{"ElfFile\0", 8};

// windows_record_from_evtx_xml builds a WindowsRecord from the XML libevtx renders for one record
// (<Event><System>… <EventData><Data Name="…">…</Data>…</EventData></Event>, or <UserData>).
// nullopt with *why when the XML has no <EventID> or no <Channel> / <Provider Name>.
// time_utc is empty when <TimeCreated SystemTime> is missing or unreadable.
std::optional<WindowsRecord> windows_record_from_evtx_xml(std::string_view xml,
                                                          std::string* why = nullptr);

// load_evtx adds every record of the EVTX file at path to store and fills report (format "evtx";
// errors name the 1-based record index; a file libevtx cannot open is one error with record 0).
void load_evtx(EventStore& store, const std::string& path, LoadReport& report);

}  // namespace sim
