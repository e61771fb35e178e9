// Report periods as runs of local calendar days: the CLI, Python and REST all write
// them the same way ("2026-10", "2026-W44", "2026-10-05", "2026-Q4", "A..B").
#include <charconv>
#include <chrono>

#include "salescore/kpi.h"

namespace salescore {
namespace {

using namespace std::chrono;

std::int64_t day_of(year_month_day ymd) { return sys_days{ymd}.time_since_epoch().count(); }

Status bad_period(std::string_view text, const std::string& why) {
  return Status::invalid("invalid period '" + std::string(text) + "': " + why, {{"period", why}});
}

// Digits only, exactly `width` of them.
bool read_number(std::string_view text, std::size_t width, int& out) {
  if (text.size() != width) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  std::from_chars(text.data(), text.data() + text.size(), out);
  return true;
}

Period make(PeriodKind kind, std::int64_t first, std::int64_t last, std::string label) {
  return Period{kind, first, last, std::move(label)};
}

std::string two(unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// A label's year has the four digits the parser wants: "0999-01", not "999-01", which it
// would refuse (found by kpi_period_fuzz). The years a period reaches from its text are
// 0000 to 9999; one before 0000 (the period before 0000-01) keeps its sign.
std::string four(int y) {
  std::string digits = std::to_string(y < 0 ? -y : y);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return (y < 0 ? "-" : "") + digits;
}

std::string month_label(year_month ym) {
  return four(static_cast<int>(ym.year())) + "-" + two(static_cast<unsigned>(ym.month()));
}

Period month_period(year_month ym) {
  return make(PeriodKind::kMonth, day_of(ym / 1), day_of(ym / last), month_label(ym));
}

Period quarter_period(int y, int q) {
  const year_month first{year{y}, month{static_cast<unsigned>(q * 3 - 2)}};
  const year_month last_m{year{y}, month{static_cast<unsigned>(q * 3)}};
  return make(PeriodKind::kQuarter, day_of(first / 1), day_of(last_m / last),
              four(y) + "-Q" + std::to_string(q));
}

// ISO week: weeks start on Monday; week 1 holds the year's first Thursday.
std::int64_t iso_week1_monday(int y) {
  const sys_days jan4{year{y} / January / 4};
  return (jan4 - (weekday{jan4} - Monday)).time_since_epoch().count();
}

Period week_period(std::int64_t any_day) {
  const sys_days d{days{any_day}};
  const sys_days monday = d - (weekday{d} - Monday);
  const sys_days thursday = monday + days{3};
  const int y = static_cast<int>(year_month_day{thursday}.year());
  const std::int64_t first = monday.time_since_epoch().count();
  const std::int64_t week = (first - iso_week1_monday(y)) / 7 + 1;
  return make(PeriodKind::kWeek, first, first + 6, four(y) + "-W" + two(static_cast<unsigned>(week)));
}

}  // namespace

std::string format_day(std::int64_t day) {
  const year_month_day ymd{sys_days{days{day}}};
  return four(static_cast<int>(ymd.year())) + "-" + two(static_cast<unsigned>(ymd.month())) + "-" +
         two(static_cast<unsigned>(ymd.day()));
}

Result<std::int64_t> parse_day(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_number(text.substr(0, 4), 4, y) ||
      !read_number(text.substr(5, 2), 2, m) || !read_number(text.substr(8, 2), 2, d))
    return bad_period(text, "expected a date YYYY-MM-DD");
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad_period(text, "no such date");
  return day_of(ymd);
}

Result<Period> parse_period(std::string_view text) {
  if (auto dots = text.find(".."); dots != std::string_view::npos)
    return period_between(text.substr(0, dots), text.substr(dots + 2));
  int y = 0, n = 0;
  if (text.size() < 6 || text[4] != '-' || !read_number(text.substr(0, 4), 4, y))
    return bad_period(text, "expected 2026-10, 2026-W44, 2026-10-05, 2026-Q4 or FIRST..LAST");
  const std::string_view rest = text.substr(5);
  if (rest.size() == 2 && read_number(rest, 2, n)) {
    if (n < 1 || n > 12) return bad_period(text, "month must be 01 to 12");
    return month_period(year{y} / month{static_cast<unsigned>(n)});
  }
  if (rest.size() == 2 && rest[0] == 'Q') {
    if (!read_number(rest.substr(1), 1, n) || n < 1 || n > 4) return bad_period(text, "quarter must be Q1 to Q4");
    return quarter_period(y, n);
  }
  if (rest.size() == 3 && rest[0] == 'W') {
    if (!read_number(rest.substr(1), 2, n) || n < 1) return bad_period(text, "week must be W01 to W53");
    Period p = week_period(iso_week1_monday(y) + (n - 1) * 7);
    if (p.label != text) return bad_period(text, "the year has no such ISO week");
    return p;
  }
  SC_ASSIGN_OR_RETURN(std::int64_t d, parse_day(text));
  return make(PeriodKind::kDay, d, d, format_day(d));
}

Result<Period> period_between(std::string_view first, std::string_view last) {
  SC_ASSIGN_OR_RETURN(std::int64_t a, parse_day(first));
  SC_ASSIGN_OR_RETURN(std::int64_t b, parse_day(last));
  if (b < a) return bad_period(std::string(first) + ".." + std::string(last), "the range ends before it starts");
  return make(PeriodKind::kRange, a, b, format_day(a) + ".." + format_day(b));
}

Period previous_period(const Period& p) {
  switch (p.kind) {
    case PeriodKind::kDay: return make(PeriodKind::kDay, p.first_day - 1, p.first_day - 1, format_day(p.first_day - 1));
    case PeriodKind::kWeek: return week_period(p.first_day - 7);
    case PeriodKind::kMonth: {
      const year_month_day first{sys_days{days{p.first_day}}};
      return month_period(year_month{first.year(), first.month()} - months{1});
    }
    case PeriodKind::kQuarter: {
      const year_month_day first{sys_days{days{p.first_day}}};
      int y = static_cast<int>(first.year());
      int q = static_cast<int>((static_cast<unsigned>(first.month()) - 1) / 3 + 1) - 1;
      if (q == 0) q = 4, --y;
      return quarter_period(y, q);
    }
    case PeriodKind::kRange: break;
  }
  const std::int64_t n = p.days();
  return make(PeriodKind::kRange, p.first_day - n, p.first_day - 1,
              format_day(p.first_day - n) + ".." + format_day(p.first_day - 1));
}

// The period of a given kind holding `day` (reports: the day, its ISO week, its month).
Period period_holding(PeriodKind kind, std::int64_t day) {
  const year_month_day ymd{sys_days{days{day}}};
  switch (kind) {
    case PeriodKind::kWeek: return week_period(day);
    case PeriodKind::kMonth: return month_period(year_month{ymd.year(), ymd.month()});
    case PeriodKind::kQuarter:
      return quarter_period(static_cast<int>(ymd.year()), static_cast<int>((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1));
    default: return make(PeriodKind::kDay, day, day, format_day(day));
  }
}

}  // namespace salescore
