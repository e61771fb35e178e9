// Rows of the KPI aggregates (kpi_daily, kpi_monthly), their rebuild from the base
// tables, sales plans, and the few point-in-time reads the reports need.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "salescore/engine.h"
#include "salescore/kpi.h"
#include "store/sql.h"

namespace salescore::store {

// A change to one aggregate cell: added to the day's row and to its month's row.
struct FactDelta {
  std::string fact;
  std::int64_t day = 0;
  std::int64_t month = 0;  // yyyymm of `day`
  Id user_id = 0;
  std::string dim;
  std::int64_t value = 0;
  std::int64_t n = 0;
};
Status add_fact_deltas(Connection& c, const std::vector<FactDelta>& deltas);

// Whose rows to read: those users, or everyone when empty (std::nullopt).
using UserSet = std::optional<std::vector<Id>>;

// The cells of day numbers [first, last] of kpi_daily, or of months [first, last]
// (yyyymm) of kpi_monthly, one per period and (user, fact, dim): the caller sums them
// (a GROUP BY here would sort what a map sums for less).
struct FactSum {
  Id user_id = 0;
  std::string fact;
  std::string dim;
  std::int64_t value = 0;
  std::int64_t n = 0;
};
Result<std::vector<FactSum>> sum_daily_facts(Connection& c, std::int64_t first_day, std::int64_t last_day,
                                             const UserSet& users);
Result<std::vector<FactSum>> sum_monthly_facts(Connection& c, std::int64_t first_month, std::int64_t last_month,
                                               const UserSet& users);

// Every non-empty row of kpi_daily ("day") or kpi_monthly ("month"), in key order, as
// "key|user|fact|dim|value|n" lines: what the rebuild test compares.
Result<std::vector<std::string>> kpi_table_rows(Connection& c, const std::string& period_col);

// Summer-time spans of the company zone, [from, to) with the offset then; outside them
// the zone's standard offset applies. The rebuild cuts local days in SQL with them,
// trying the spans in the order given.
struct OffsetSpan {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::int64_t offset_ms = 0;
};
// Recomputes kpi_daily and kpi_monthly from the base tables in the caller's transaction.
Status rebuild_kpi_tables(Connection& c, std::int64_t standard_offset_ms, const std::vector<OffsetSpan>& summer);

// ---- sales plans ----
struct PlanRow {
  Id id = 0;
  Id user_id = 0;
  std::int64_t month = 0;  // yyyymm
  Money amount;
  Id set_by = 0;
  Instant set_at;
  std::optional<Instant> replaced_at;
};
Result<Id> insert_plan(Connection& c, const PlanRow& row);
Status replace_current_plan(Connection& c, Id user_id, std::int64_t month, Instant at);
Result<std::optional<PlanRow>> current_plan(Connection& c, Id user_id, std::int64_t month);
Result<std::vector<PlanRow>> plan_history(Connection& c, Id user_id, std::int64_t month);
// Plans in force for months [first, last]; `users` as for sum_daily_facts.
Result<std::vector<PlanRow>> plans_in_force(Connection& c, std::int64_t first_month, std::int64_t last_month,
                                            const UserSet& users);

// ---- point-in-time reads ----
// Open tasks due before `at`, per assignee.
Result<std::vector<std::pair<Id, std::int64_t>>> overdue_tasks_by_user(Connection& c, Instant at,
                                                                       const UserSet& users);
// Clients with an order (not cancelled) credited to the users in both [a_from, a_to)
// and [b_from, b_to): (clients in a, clients in both).
Result<std::pair<std::int64_t, std::int64_t>> returning_clients(Connection& c, Instant a_from, Instant a_to,
                                                                Instant b_from, Instant b_to,
                                                                const UserSet& owners);
// Must-have SKU distribution at `before`: per must-have SKU of the outlets' channels,
// the outlets whose last visit with stock recorded (before `before`, by the users as
// reps) saw that channel's list, and how many of them had the SKU on the shelf.
struct SkuDistribution {
  std::string sku;
  std::int64_t outlets = 0;
  std::int64_t carrying = 0;
};
Result<std::vector<SkuDistribution>> must_have_distribution(Connection& c, Instant before, const UserSet& reps);
// Route stops per weekday (1 Monday .. 7 Sunday) of the users' routes as they are now.
Result<std::vector<std::pair<int, std::int64_t>>> route_stops_by_weekday(Connection& c, const UserSet& reps);
// Clients per recorded segment, for clients owned by the users.
Result<std::vector<std::pair<std::string, std::int64_t>>> clients_by_segment(Connection& c, const UserSet& owners);

}  // namespace salescore::store
