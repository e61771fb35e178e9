#include "model/time_zone.h"

#include <array>
#include <chrono>

namespace salescore::detail {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 86'400'000;

struct ZoneEntry {
  const char* name;
  int offset_min;
  bool eu_dst;
};

// Current rules only: a zone that changed its offset in the past (Moscow until 2014,
// Almaty until 2024) is correct for today, which is all "tasks today" needs.
constexpr std::array<ZoneEntry, 56> kZones{{
    {"UTC", 0, false},                  {"Etc/UTC", 0, false},              {"GMT", 0, false},
    {"Europe/Kaliningrad", 120, false}, {"Europe/Moscow", 180, false},      {"Europe/Minsk", 180, false},
    {"Europe/Simferopol", 180, false},  {"Europe/Volgograd", 180, false},   {"Europe/Kirov", 180, false},
    {"Europe/Istanbul", 180, false},    {"Europe/Samara", 240, false},      {"Europe/Astrakhan", 240, false},
    {"Europe/Saratov", 240, false},     {"Europe/Ulyanovsk", 240, false},   {"Asia/Baku", 240, false},
    {"Asia/Tbilisi", 240, false},       {"Asia/Yerevan", 240, false},       {"Asia/Yekaterinburg", 300, false},
    {"Asia/Tashkent", 300, false},      {"Asia/Almaty", 300, false},        {"Asia/Omsk", 360, false},
    {"Asia/Bishkek", 360, false},       {"Asia/Novosibirsk", 420, false},   {"Asia/Barnaul", 420, false},
    {"Asia/Tomsk", 420, false},         {"Asia/Novokuznetsk", 420, false},  {"Asia/Krasnoyarsk", 420, false},
    {"Asia/Irkutsk", 480, false},       {"Asia/Shanghai", 480, false},      {"Asia/Hong_Kong", 480, false},
    {"Asia/Chita", 540, false},         {"Asia/Yakutsk", 540, false},       {"Asia/Vladivostok", 600, false},
    {"Asia/Magadan", 660, false},       {"Asia/Sakhalin", 660, false},      {"Asia/Kamchatka", 720, false},
    {"Asia/Anadyr", 720, false},        {"Europe/London", 0, true},         {"Europe/Lisbon", 0, true},
    {"Europe/Berlin", 60, true},        {"Europe/Paris", 60, true},         {"Europe/Rome", 60, true},
    {"Europe/Madrid", 60, true},        {"Europe/Vienna", 60, true},        {"Europe/Prague", 60, true},
    {"Europe/Warsaw", 60, true},        {"Europe/Budapest", 60, true},      {"Europe/Belgrade", 60, true},
    {"Europe/Sofia", 120, true},        {"Europe/Bucharest", 120, true},    {"Europe/Athens", 120, true},
    {"Europe/Helsinki", 120, true},     {"Europe/Riga", 120, true},         {"Europe/Vilnius", 120, true},
    {"Europe/Tallinn", 120, true},      {"Europe/Kyiv", 120, true},
}};

// 01:00 UTC on the last Sunday of `month` in `year`, when the EU switches clocks.
std::int64_t eu_switch_ms(int year, unsigned month) {
  using namespace std::chrono;
  sys_days day{std::chrono::year{year} / std::chrono::month{month} / Sunday[last]};
  return day.time_since_epoch().count() * kDayMs + 60 * kMinuteMs;
}

int year_of(Instant t) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(t.ms)));
  return static_cast<int>(year_month_day(days).year());
}

// "UTC+3", "UTC-05:30": minutes east of UTC, or false when `text` is not that shape.
bool parse_fixed_offset(std::string_view text, int& minutes) {
  if (text.size() < 5 || text.substr(0, 3) != "UTC" || (text[3] != '+' && text[3] != '-')) return false;
  std::string_view rest = text.substr(4);
  int hours = 0, mins = 0;
  std::size_t i = 0;
  while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && i < 2) hours = hours * 10 + (rest[i++] - '0');
  if (i == 0) return false;
  if (i < rest.size()) {
    if (rest[i] != ':' || rest.size() != i + 3) return false;
    for (std::size_t k = i + 1; k < rest.size(); ++k) {
      if (rest[k] < '0' || rest[k] > '9') return false;
      mins = mins * 10 + (rest[k] - '0');
    }
  }
  if (hours > 14 || mins > 59) return false;
  minutes = (text[3] == '-' ? -1 : 1) * (hours * 60 + mins);
  return true;
}

}  // namespace

Result<TimeZone> find_time_zone(std::string_view name) {
  for (const auto& z : kZones)
    if (name == z.name) return TimeZone{z.name, z.offset_min, z.eu_dst};
  int minutes = 0;
  if (parse_fixed_offset(name, minutes)) return TimeZone{std::string(name), minutes, false};
  std::string known;
  for (const auto& z : kZones) known += (known.empty() ? "" : ", ") + std::string(z.name);
  return Status::invalid("unknown time zone '" + std::string(name) + "' (known: " + known +
                             "; or a fixed offset like UTC+3)",
                         {{"timezone", "unknown time zone"}});
}

std::int64_t utc_offset_ms(const TimeZone& tz, Instant t) {
  std::int64_t offset = tz.standard_offset_min * kMinuteMs;
  if (!tz.eu_dst) return offset;
  const int year = year_of(t);
  const bool summer = t.ms >= eu_switch_ms(year, 3) && t.ms < eu_switch_ms(year, 10);
  return summer ? offset + 60 * kMinuteMs : offset;
}

LocalDay local_day(const TimeZone& tz, Instant t) {
  auto floor_day = [](std::int64_t ms) { return (ms >= 0 ? ms : ms - kDayMs + 1) / kDayMs * kDayMs; };
  const std::int64_t local_midnight = floor_day(t.ms + utc_offset_ms(tz, t));
  // The offset at midnight may differ from the one at `t` only across a clock change;
  // EU changes happen at 01:00 UTC, never at local midnight, so one correction is enough.
  auto to_utc = [&](std::int64_t local_ms) {
    std::int64_t guess = local_ms - utc_offset_ms(tz, t);
    return Instant{local_ms - utc_offset_ms(tz, Instant{guess})};
  };
  return LocalDay{to_utc(local_midnight), to_utc(local_midnight + kDayMs)};
}

std::vector<Instant> offset_changes(const TimeZone& tz, Instant from, Instant to) {
  std::vector<Instant> out;
  if (!tz.eu_dst || from >= to) return out;
  for (int year = year_of(from); year <= year_of(to); ++year)
    for (unsigned month : {3u, 10u}) {
      const Instant at{eu_switch_ms(year, month)};
      if (at >= from && at < to) out.push_back(at);
    }
  return out;
}

}  // namespace salescore::detail
