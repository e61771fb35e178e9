// KPIs, sales plans and the daily / weekly / monthly sales reports (docs/kpi.md).
//
// Every KPI that is a sum over time is kept in aggregate tables by company-zone day and
// user, updated in the same transaction as the change that moves it, so reading a month
// costs the same with a thousand or ten million orders. KpiService::rebuild recomputes
// the tables from the base records and must give the same numbers.
//
// Thread-safety: as Engine; the services are handed out by it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/model.h"
#include "salescore/status.h"

namespace salescore {

namespace detail {
struct EngineState;
}

// ---- periods ----

enum class PeriodKind { kDay, kWeek, kMonth, kQuarter, kRange };

// A run of whole calendar days in the company time zone. Days are numbered from
// 1970-01-01 (local) = 0; both ends are included.
struct Period {
  PeriodKind kind = PeriodKind::kDay;
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
  std::string label;  // "2026-10", "2026-W44", "2026-10-05", "2026-Q4", "2026-10-01..2026-10-15"
  std::int64_t days() const { return last_day - first_day + 1; }
};

// "2026-10" (month), "2026-W44" (ISO week), "2026-10-05" (day), "2026-Q4" (quarter), or
// "2026-10-01..2026-10-15" (a range of days, both included). Errors name `period`.
Result<Period> parse_period(std::string_view text);
// The days from `first` to `last` ("2026-10-01", "2026-10-15"), both included.
Result<Period> period_between(std::string_view first, std::string_view last);
// The period of the same kind just before: the previous day, week, month or quarter;
// for a range, the same number of days ending the day before it starts.
Period previous_period(const Period& p);
// The day, ISO week, month or quarter holding `day`.
Period period_holding(PeriodKind kind, std::int64_t day);
// "2026-10-05" for a day number.
std::string format_day(std::int64_t day);
// The day number of a "YYYY-MM-DD" date.
Result<std::int64_t> parse_day(std::string_view text);

// ---- KPIs ----

// Whose figures: one user, a head's department (the head and everyone whose head they
// are), or the whole company.
enum class KpiScope { kUser, kTeam, kCompany };
const char* kpi_scope_name(KpiScope s);
Result<KpiScope> parse_kpi_scope(std::string_view name);

struct KpiTarget {
  KpiScope scope = KpiScope::kCompany;
  Id user_id = 0;  // the user (kUser) or the head (kTeam)
};

// What a KPI's number is: money in minor units of the company currency, a count,
// milliseconds, seconds, or basis points (a percent times 100: 8512 is 85.12 %).
enum class KpiUnit { kMoney, kCount, kMs, kSeconds, kBasisPoints };
const char* kpi_unit_name(KpiUnit u);

struct KpiDefinition {
  std::string id;  // "orders.revenue"
  KpiUnit unit = KpiUnit::kCount;
  std::string summary;
};
// Every KPI id with its unit, in catalog order.
const std::vector<KpiDefinition>& kpi_catalog();

struct KpiValue {
  std::string id;
  KpiUnit unit = KpiUnit::kCount;
  std::int64_t value = 0;
  // False for a ratio or average with nothing to divide by (no orders: no average
  // order value), and for a plan fulfilment without a plan.
  bool defined = true;
  // The parts of the value where the KPI has them: revenue by currency, lost deals by
  // reason, calls by direction, time per stage, claims by cause, receivables by aging.
  std::vector<std::pair<std::string, std::int64_t>> breakdown;
};

// A table of KPIs: the target's figures and the same figures split by user or by month.
enum class KpiSplit { kNone, kUser, kMonth };
const char* kpi_split_name(KpiSplit s);
Result<KpiSplit> parse_kpi_split(std::string_view name);  // "user" or "month"

struct KpiRow {
  Id user_id = 0;      // by user: whose figures
  std::string label;   // the user's name, or the month ("2026-10"; a part of a month as "A..B")
  Period period;       // by month: the month, cut to the period asked; by user: that period
  std::vector<KpiValue> values;
};

struct KpiTable {
  std::vector<KpiValue> total;  // the target's figures over the whole period
  std::vector<KpiRow> rows;     // by user: every active manager and head of the target, by
                                // name; by month: each calendar month the period touches
};

// ---- plans ----

// A manager's sales plan for one month, in minor units of the company currency. Setting
// it again keeps the old one with replaced_at, so the history of a plan is visible.
struct SalesPlan {
  Id id = 0;
  Id user_id = 0;
  std::string month;  // "2026-10"
  Money amount;
  Id set_by = 0;
  Instant set_at;
  std::optional<Instant> replaced_at;
};

class PlanService {
 public:
  explicit PlanService(detail::EngineState* s) : s_(s) {}
  // Sets `user_id`'s plan for `month` ("2026-10"). A head sets their department's plans,
  // a director or an admin anyone's; a manager cannot set their own.
  Result<SalesPlan> set(const Actor& actor, Id user_id, const std::string& month, Money amount);
  // The plan in force; not_found when none was set.
  Result<SalesPlan> get(const Actor& actor, Id user_id, const std::string& month);
  // Every plan set for that user and month, oldest first.
  Result<std::vector<SalesPlan>> history(const Actor& actor, Id user_id, const std::string& month);

 private:
  detail::EngineState* s_;
};

// ---- reports ----

enum class ReportKind { kDaily, kWeekly, kMonthly };
const char* report_kind_name(ReportKind k);
Result<ReportKind> parse_report_kind(std::string_view name);

// One person's line of a report. Money in minor units of the company currency.
struct ReportLine {
  Id user_id = 0;  // 0 on the total line and on the "others" line
  std::string name;
  // "manager", "head", "assistant"; "others" for the line that gathers the figures of
  // people not listed (directors, people who left, records credited to no one), so the
  // lines add up to the total and the total equals the KPI; "total" on the total line.
  std::string role;
  std::int64_t calls = 0, meetings = 0, emails = 0;
  std::int64_t orders = 0, revenue = 0, payments = 0;
  std::int64_t plan = 0;              // the plan for the period (0: none)
  std::optional<std::int64_t> plan_bp;  // revenue / plan, basis points
  std::int64_t deals_won = 0, deals_lost = 0;
  std::int64_t leads = 0, leads_converted = 0;
  std::int64_t overdue_tasks = 0;     // open tasks due before the report's moment
  std::int64_t receivables = 0, overdue_receivables = 0;  // at the end of the period
  // The same figures of the previous period (weekly and monthly reports).
  std::int64_t prev_orders = 0, prev_revenue = 0, prev_calls = 0, prev_meetings = 0;
};

struct Report {
  ReportKind kind = ReportKind::kDaily;
  Period period;
  Period previous;
  std::string currency;
  Instant generated_at;
  // One per active manager, head and assistant in scope, by name; then the "others"
  // line when anyone else has figures in the period. They add up to `total`.
  std::vector<ReportLine> lines;
  ReportLine total;
};

class KpiService {
 public:
  explicit KpiService(detail::EngineState* s) : s_(s) {}
  // One KPI for a user, team or the company over a period. A manager may read their
  // own, a head their department's, a director or admin anyone's: anything else is
  // permission_denied. An unknown id is invalid_argument naming `kpi`.
  Result<KpiValue> get(const Actor& actor, const std::string& kpi_id, const KpiTarget& target, const Period& period);
  // Every KPI of the catalog for that target and period, in catalog order.
  Result<std::vector<KpiValue>> get_all(const Actor& actor, const KpiTarget& target, const Period& period);
  // The KPIs `ids` (in that order; every one of the catalog when empty) for the target
  // and period, and split by user or by month, as one screen or export needs them: the
  // sums are read once per user or month, not once per figure. Access as get(), checked
  // for the target and for every user listed.
  Result<KpiTable> table(const Actor& actor, const std::vector<std::string>& ids, const KpiTarget& target,
                         const Period& period, KpiSplit split);
  // The daily report of the day holding `date`, the weekly one of its ISO week, or the
  // monthly one of its month, for every manager in the target.
  Result<Report> report(const Actor& actor, ReportKind kind, std::int64_t date, const KpiTarget& target);
  // Recomputes every aggregate from the base tables (director, admin or the system).
  Status rebuild(const Actor& actor);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore
