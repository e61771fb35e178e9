// What must hold for any text given as a KPI period (`?period=` of the REST API,
// `salescore kpi --period`, Python's kpi.get): kpi_period_fuzz.cpp checks it on every
// input, FuzzCorpora on the checked-in seeds. The input is one period, or two days
// separated by '|' for period_between.
#pragma once

#include <string>
#include <string_view>

#include "salescore/kpi.h"

namespace salescore::fuzz {

inline std::string check_period(const Result<Period>& p, std::string_view text) {
  if (!p.ok()) {
    if (p.status().message().empty()) return "a refusal without a reason";
    return {};
  }
  if (p->first_day > p->last_day) return "a period that ends before it starts";
  if (p->label.empty()) return "a period without a label";
  // What was read reads back as itself: the label names the same days.
  auto again = parse_period(p->label);
  if (!again.ok()) return "the label '" + p->label + "' of '" + std::string(text) + "' is refused: " +
                          again.status().message();
  if (again->first_day != p->first_day || again->last_day != p->last_day || again->kind != p->kind)
    return "the label '" + p->label + "' names other days than '" + std::string(text) + "'";
  const Period before = previous_period(*p);
  if (before.last_day != p->first_day - 1 || before.first_day > before.last_day)
    return "the period before '" + p->label + "' does not end the day before it";
  return {};
}

inline std::string check_kpi_period(std::string_view text) {
  const std::size_t bar = text.find('|');
  if (bar != std::string_view::npos) {
    const auto first = text.substr(0, bar), last = text.substr(bar + 1);
    auto range = period_between(first, last);
    if (std::string broken = check_period(range, text); !broken.empty()) return broken;
    auto day = parse_day(first);
    if (day.ok() && format_day(*day) != first) return "the day '" + std::string(first) + "' formats otherwise";
    return {};
  }
  return check_period(parse_period(text), text);
}

}  // namespace salescore::fuzz
