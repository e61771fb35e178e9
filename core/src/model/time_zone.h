// The company's time zone, for cutting "today" out of UTC instants.
//
// A fixed table of the zones salescore's users work in: each zone's standard offset and
// whether it follows the EU daylight-saving rule (last Sunday of March to last Sunday of
// October, switching at 01:00 UTC). GCC 12's standard library has no tz database and
// Poco only knows the machine's own zone, so a table is the one answer that is the same
// on every server; docs/rules.md ("Daily work") lists the zones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/status.h"
#include "salescore/values.h"

namespace salescore::detail {

struct TimeZone {
  std::string name;
  int standard_offset_min = 0;
  bool eu_dst = false;
};

// A zone by its IANA name ("Europe/Moscow") or a fixed offset ("UTC", "UTC+3",
// "UTC+05:30"). Unknown names are an error naming the zones known.
Result<TimeZone> find_time_zone(std::string_view name);

// The zone's offset from UTC at instant `t`, in milliseconds.
std::int64_t utc_offset_ms(const TimeZone& tz, Instant t);

// The local calendar day containing `t`, as UTC instants: [start, end).
struct LocalDay {
  Instant start;
  Instant end;
};
LocalDay local_day(const TimeZone& tz, Instant t);

// The instants in [from, to) at which the zone's offset changes (the EU clock changes),
// in order: empty for a zone without daylight saving. The KPI rebuild cuts local days
// with them.
std::vector<Instant> offset_changes(const TimeZone& tz, Instant from, Instant to);

}  // namespace salescore::detail
