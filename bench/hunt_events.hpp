#pragma once
// bench/hunt_events.hpp: synthetic UDM events for the hunt's memory check. Many of them match the
// hunt's searches (SMB/RPC connections, network logons, service and WMI children), so that every
// search returns more events than max_events_per_query allows and the hunt's memory is bounded
// by that limit, not by how much matches.
//
// Shaped like store_bench.cpp's generator (which is private to that file): 500 hosts, one event
// per 50 ms, a fixed seed.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

inline std::string iso_time(std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[80];  // room for any int the format could print (-Wformat-truncation)
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(epoch_ms % 1000));
  return text;
}

// write_hunt_events writes n events as JSON lines to path; returns the bytes written (0 when the
// file cannot be written).
inline std::size_t write_hunt_events(const std::string& path, std::size_t n) {
  std::mt19937_64 random(7);
  std::ofstream out(path, std::ios::binary);
  if (!out) return 0;
  const std::int64_t start_ms = 1'714'550'400'000;
  auto host_name = [](std::uint64_t h) {
    char name[32];
    std::snprintf(name, sizeof name, "WS%03llu", static_cast<unsigned long long>(h));
    return std::string(name);
  };
  auto host_ip = [](std::uint64_t h) {
    return "10.0." + std::to_string(h / 250) + "." + std::to_string(h % 250 + 1);
  };
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto host = random() % 500;
    const auto peer = random() % 500;
    nlohmann::json e;
    e["metadata"] = {{"event_timestamp", iso_time(start_ms + 50 * static_cast<std::int64_t>(i))},
                     {"vendor_name", "Microsoft"},
                     {"log_type", "WINEVTLOG"}};
    e["principal"] = {{"hostname", host_name(host)},
                      {"ip", {host_ip(host)}},
                      {"user", {{"userid", "user" + std::to_string(random() % 2000)}}}};
    const auto roll = random() % 100;
    if (roll < 40) {
      e["metadata"]["event_type"] = "NETWORK_CONNECTION";
      e["metadata"]["product_event_type"] = "3";
      e["target"] = {{"hostname", host_name(peer)},
                     {"ip", {host_ip(peer)}},
                     {"port", roll < 20 ? 445 : (roll < 30 ? 135 : 443)}};
      e["network"] = {{"ip_protocol", "TCP"}, {"direction", "OUTBOUND"}};
    } else if (roll < 60) {
      e["metadata"]["event_type"] = "USER_LOGIN";
      e["metadata"]["product_event_type"] = "4624";
      e["principal"] = {{"hostname", host_name(peer)}, {"ip", {host_ip(peer)}}};
      e["target"] = {{"hostname", host_name(host)},
                     {"user", {{"userid", "admin" + std::to_string(random() % 50)}}}};
      e["extensions"]["auth"]["type"] = "NETWORK";
      e["additional"]["fields"]["LogonType"] = "3";
    } else if (roll < 90) {
      e["metadata"]["event_type"] = "PROCESS_LAUNCH";
      e["metadata"]["product_event_type"] = "1";
      const auto kind = random() % 3;
      const char* parent = kind == 0   ? "C:\\Windows\\PSEXESVC.exe"
                           : kind == 1 ? "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe"
                                       : "C:\\Windows\\System32\\services.exe";
      e["principal"]["process"] = {{"file", {{"full_path", parent}}}};
      e["target"]["process"] = {
          {"file", {{"full_path", "C:\\Windows\\System32\\cmd.exe"}}},
          {"command_line", "cmd.exe /c whoami " + std::to_string(random() % 100000)}};
    } else {
      e["metadata"]["event_type"] = "SERVICE_CREATION";
      e["metadata"]["product_event_type"] = "7045";
      e["target"]["resource"]["name"] = "PSEXESVC";
      e["target"]["process"]["file"]["full_path"] = "%SystemRoot%\\PSEXESVC.exe";
    }
    std::string line = e.dump();
    line += '\n';
    bytes += line.size();
    out << line;
  }
  out.close();
  return out ? bytes : 0;
}

}  // namespace bench
