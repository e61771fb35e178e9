#include "store/kpi_rows.h"

#include <algorithm>

#include "store/dialect_json.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {

// " AND col IN (1,2,3)" for a user set; ids are integers, so they are written into the
// text (statements are cached per text, as the access scopes' conditions are).
std::string and_in(const std::string& col, const UserSet& users) {
  if (!users) return "";
  if (users->empty()) return " AND 0 = 1";
  std::string out = " AND " + col + " IN (";
  for (std::size_t i = 0; i < users->size(); ++i) out += (i ? "," : "") + std::to_string((*users)[i]);
  return out + ")";
}

Status upsert_cell(Connection& c, const std::string& table, const std::string& period_col, std::int64_t period,
                   const FactDelta& d) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "INSERT INTO " + table + "(" + period_col +
                          ", user_id, fact, dim, value, n) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(" + period_col +
                          ", user_id, fact, dim) DO UPDATE SET value = " + table + ".value + excluded.value, n = " +
                          table + ".n + excluded.n")));
  StatementUse use(*s);
  use->bind_all(period, d.user_id, d.fact, d.dim, d.value, d.n);
  return use->run();
}

Result<std::vector<FactSum>> sum_facts(Connection& c, const std::string& table, const std::string& period_col,
                                       std::int64_t first, std::int64_t last, const UserSet& users) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders("SELECT user_id, fact, dim, value, n FROM " + table +
                                                         " WHERE " + period_col + " BETWEEN ? AND ?" +
                                                         and_in("user_id", users))));
  StatementUse use(*s);
  use->bind_all(first, last);
  return map_rows<FactSum>(*s, [](Statement& r) {
    return FactSum{r.column_int(0), r.column_text(1), r.column_text(2), r.column_int(3), r.column_int(4)};
  });
}

// The local day of a UTC instant column, in SQL: standard offset outside the summer
// spans, tried in the order given (the caller puts the present first: most rows are
// recent).
std::string local_day_sql(const std::string& col, std::int64_t standard_offset_ms,
                          const std::vector<OffsetSpan>& summer) {
  std::string offset = std::to_string(standard_offset_ms);
  if (!summer.empty()) {
    offset = "CASE";
    for (const auto& span : summer)
      offset += " WHEN " + col + " >= " + std::to_string(span.from_ms) + " AND " + col + " < " +
                std::to_string(span.to_ms) + " THEN " + std::to_string(span.offset_ms);
    offset += " ELSE " + std::to_string(standard_offset_ms) + " END";
  }
  // Instants are after 1970, so integer division is the floor.
  return "((" + col + " + " + offset + ") / 86400000)";
}

PlanRow plan_of(Statement& r) {
  PlanRow p;
  p.id = r.column_int(0);
  p.user_id = r.column_int(1);
  p.month = r.column_int(2);
  p.amount = Money{r.column_int(3), r.column_text(4)};
  p.set_by = r.column_int(5);
  p.set_at = Instant{r.column_int(6)};
  if (!r.column_is_null(7)) p.replaced_at = Instant{r.column_int(7)};
  return p;
}

const char* kPlanCols = "id, user_id, month, amount_minor, currency, COALESCE(set_by, 0), set_at, replaced_at";


// Local day numbers in C++, by the same rule as local_day_sql.
class LocalDays {
 public:
  LocalDays(std::int64_t standard_offset_ms, std::vector<OffsetSpan> summer)
      : standard_(standard_offset_ms), summer_(std::move(summer)) {
    std::sort(summer_.begin(), summer_.end(), [](const auto& a, const auto& b) { return a.from_ms < b.from_ms; });
  }
  std::int64_t day_of(std::int64_t ms) const {
    std::int64_t offset = standard_;
    auto it = std::upper_bound(summer_.begin(), summer_.end(), ms,
                               [](std::int64_t v, const OffsetSpan& s) { return v < s.from_ms; });
    if (it != summer_.begin() && ms < std::prev(it)->to_ms) offset = std::prev(it)->offset_ms;
    return (ms + offset) / 86'400'000;
  }

 private:
  std::int64_t standard_;
  std::vector<OffsetSpan> summer_;
};

// Sums per (day, user, fact, dim), the fact and dim interned to a small number. An
// open-addressing table keyed by one packed integer: millions of rows land in cells
// at random, and one probe into a flat array costs one cache miss where a node-based
// map costs three.
class CellSums {
 public:
  CellSums() : slots_(1 << 16) {}

  Status add(std::int64_t day, Id user, const std::string& fact, const std::string& dim, std::int64_t value,
             std::int64_t n = 1) {
    if (day < 0 || day >= (1 << 24) || user < 0 || user >= (1 << 24))
      return Status::internal("KPI rebuild: day " + std::to_string(day) + " or user " + std::to_string(user) +
                              " out of range");
    const std::uint64_t key = (static_cast<std::uint64_t>(day) << 40) | (static_cast<std::uint64_t>(user) << 16) |
                              static_cast<std::uint64_t>(intern(fact, dim));
    Slot& slot = find(key);
    if (!slot.used) {
      slot.used = true;
      slot.key = key;
      if (++used_ * 2 > slots_.size()) grow();
      return add_to(find(key), value, n);
    }
    return add_to(slot, value, n);
  }

  Status write(Connection& c) const {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                           "INSERT INTO kpi_daily(day, user_id, fact, dim, value, n) "
                                           "VALUES (?, ?, ?, ?, ?, ?)")));
    for (const Slot& slot : slots_) {
      if (!slot.used) continue;
      StatementUse use(*s);
      const auto& [fact, dim] = names_[slot.key & 0xffff];
      use->bind_all(static_cast<std::int64_t>(slot.key >> 40), static_cast<std::int64_t>((slot.key >> 16) & 0xffffff),
                    fact, dim, slot.value, slot.n);
      SC_RETURN_IF_ERROR(use->run());
    }
    return Status::ok();
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::int64_t value = 0;
    std::int64_t n = 0;
    bool used = false;
  };

  static Status add_to(Slot& slot, std::int64_t value, std::int64_t n) {
    slot.value += value;
    slot.n += n;
    return Status::ok();
  }

  Slot& find(std::uint64_t key) {
    // splitmix64's finalizer spreads the packed fields over the table.
    std::uint64_t h = key;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask)
      if (!slots_[i].used || slots_[i].key == key) return slots_[i];
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.used) find(s.key) = s;
  }

  // There are a few dozen (fact, dim) names at most: a scan finds one without building
  // a key per row.
  std::size_t intern(const std::string& fact, const std::string& dim) {
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i].second == dim && names_[i].first == fact) return i;
    names_.emplace_back(fact, dim);
    return names_.size() - 1;
  }

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  std::vector<std::pair<std::string, std::string>> names_;
};

// The twins of facts_of(Order), facts_of(Payment), facts_of_refund and facts_of(Interaction), summed in
// one pass over each table.
Status sum_orders_payments_interactions(Connection& c, const LocalDays& days) {
  CellSums sums;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT ordered_at, COALESCE(owner_id, 0), currency, total_minor "
                                                 "FROM orders WHERE status <> 'cancelled'"));
    StatementUse use(*s);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      SC_RETURN_IF_ERROR(
          sums.add(days.day_of(s->column_int(0)), s->column_int(1), "order", s->column_text(2), s->column_int(3)));
    }
  }
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT p.received_at, COALESCE(o.owner_id, 0), p.currency, "
                                                 "p.amount_minor FROM payments p JOIN orders o ON o.id = p.order_id"));
    StatementUse use(*s);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      SC_RETURN_IF_ERROR(
          sums.add(days.day_of(s->column_int(0)), s->column_int(1), "payment", s->column_text(2), s->column_int(3)));
    }
  }
  {
    // facts_of_refund: an order's refunds lower its sales on their day, counting no order;
    // a cancelled order's count for nothing.
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT r.refunded_at, COALESCE(o.owner_id, 0), o.currency, "
                                                 "r.amount_minor FROM order_refunds r JOIN orders o ON "
                                                 "o.id = r.order_id WHERE o.status <> 'cancelled'"));
    StatementUse use(*s);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      SC_RETURN_IF_ERROR(sums.add(days.day_of(s->column_int(0)), s->column_int(1), "order", s->column_text(2),
                                  -s->column_int(3), 0));
    }
  }
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT occurred_at, COALESCE(user_id, 0), kind, direction, "
                                                 "duration_s, call_disposition FROM interactions"));
    StatementUse use(*s);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      const std::string kind = s->column_text(2);
      // A call's answer goes into its dim; every other kind is its own fact by direction.
      if (kind == "call") {
        const std::int64_t seconds = s->column_int(4);
        const std::string disposition = s->column_text(5);  // kpi_facts.cpp: the same rule
        const bool answered = disposition.empty() ? seconds > 0 : disposition == "answered";
        SC_RETURN_IF_ERROR(sums.add(days.day_of(s->column_int(0)), s->column_int(1), kind,
                                    s->column_text(3) + (answered ? ":answered" : ":missed"), seconds));
      } else {
        SC_RETURN_IF_ERROR(sums.add(days.day_of(s->column_int(0)), s->column_int(1), kind, s->column_text(3), 0));
      }
    }
  }
  return sums.write(c);
}

}  // namespace

Status add_fact_deltas(Connection& c, const std::vector<FactDelta>& deltas) {
  for (const auto& d : deltas) {
    SC_RETURN_IF_ERROR(upsert_cell(c, "kpi_daily", "day", d.day, d));
    SC_RETURN_IF_ERROR(upsert_cell(c, "kpi_monthly", "month", d.month, d));
  }
  return Status::ok();
}

Result<std::vector<FactSum>> sum_daily_facts(Connection& c, std::int64_t first_day, std::int64_t last_day,
                                             const UserSet& users) {
  return sum_facts(c, "kpi_daily", "day", first_day, last_day, users);
}

Result<std::vector<FactSum>> sum_monthly_facts(Connection& c, std::int64_t first_month, std::int64_t last_month,
                                               const UserSet& users) {
  return sum_facts(c, "kpi_monthly", "month", first_month, last_month, users);
}

Result<std::vector<std::string>> kpi_table_rows(Connection& c, const std::string& period_col) {
  const std::string table = period_col == "day" ? "kpi_daily" : "kpi_monthly";
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT " + period_col + ", user_id, fact, dim, value, n FROM " + table +
                                               " WHERE value <> 0 OR n <> 0 ORDER BY 1, 2, 3, 4"));
  StatementUse use(*s);
  return map_rows<std::string>(*s, [](Statement& r) {
    return std::to_string(r.column_int(0)) + "|" + std::to_string(r.column_int(1)) + "|" + r.column_text(2) + "|" +
           r.column_text(3) + "|" + std::to_string(r.column_int(4)) + "|" + std::to_string(r.column_int(5));
  });
}

Status rebuild_kpi_tables(Connection& c, std::int64_t standard_offset_ms, const std::vector<OffsetSpan>& summer) {
  auto day = [&](const std::string& col) { return local_day_sql(col, standard_offset_ms, summer); };
  const std::string into = "INSERT INTO kpi_daily(day, user_id, fact, dim, value, n) ";
  // The other facts, one statement each, the SQL twin of its facts_of() in
  // kpi/kpi_facts.cpp.
  SC_RETURN_IF_ERROR(c.exec("DELETE FROM kpi_daily"));
  SC_RETURN_IF_ERROR(c.exec("DELETE FROM kpi_monthly"));
  // The largest tables are summed here in one pass each: SQLite would sort their
  // millions of rows for a GROUP BY, which costs several times the reading.
  SC_RETURN_IF_ERROR(sum_orders_payments_interactions(c, LocalDays(standard_offset_ms, summer)));
  const std::vector<std::string> statements = {
      into + "SELECT " + day("received_at") +
          ", COALESCE(assignee_id, 0), 'lead.received', channel, 0, COUNT(*) FROM leads GROUP BY 1, 2, 4",
      into + "SELECT " + day("received_at") +
          ", COALESCE(assignee_id, 0), 'lead.converted', '', 0, COUNT(*) FROM leads "
          "WHERE status = 'converted' GROUP BY 1, 2",
      into + "SELECT " + day("received_at") +
          ", COALESCE(assignee_id, 0), 'lead.response', '', SUM(first_action_at - received_at), COUNT(*) "
          "FROM leads WHERE first_action_at IS NOT NULL GROUP BY 1, 2",
      into + "SELECT " + day("breached_at") +
          ", COALESCE(user_id, 0), 'lead.breach', '', 0, COUNT(*) FROM lead_breaches GROUP BY 1, 2",
      // Segment moves live only in the event log; the event names the owner at the move.
      into + "SELECT " + day("at") +
          ", COALESCE(" + json_int(c.dialect(), "payload", "owner_id") + ", 0), 'segment.move', " +
          json_text(c.dialect(), "payload", "from") + " || '>' || " + json_text(c.dialect(), "payload", "to") +
          ", 0, COUNT(*) FROM events "
          "WHERE type = 'client.segment_changed' GROUP BY 1, 2, 4",
      into + "SELECT " + day("created_at") +
          ", COALESCE(owner_id, 0), 'deal.created', '', SUM(CASE WHEN stage = 'won' THEN 1 ELSE 0 END), COUNT(*) "
          "FROM deals GROUP BY 1, 2",
      into + "SELECT " + day("stage_changed_at") +
          ", COALESCE(owner_id, 0), 'deal.won', currency, SUM(amount_minor), COUNT(*) FROM deals "
          "WHERE stage = 'won' GROUP BY 1, 2, 4",
      into + "SELECT " + day("stage_changed_at") +
          ", COALESCE(owner_id, 0), 'deal.cycle', '', SUM(stage_changed_at - created_at), COUNT(*) FROM deals "
          "WHERE stage = 'won' GROUP BY 1, 2",
      into + "SELECT " + day("stage_changed_at") +
          ", COALESCE(owner_id, 0), 'deal.lost', lost_reason, 0, COUNT(*) FROM deals WHERE stage = 'lost' "
          "GROUP BY 1, 2, 4",
      into + "SELECT " + day("s.left_at") +
          ", COALESCE(d.owner_id, 0), 'deal.stage', s.stage, SUM(s.left_at - s.entered_at), COUNT(*) "
          "FROM deal_stages s JOIN deals d ON d.id = s.deal_id WHERE s.left_at IS NOT NULL GROUP BY 1, 2, 4",
      into + "SELECT " + day("created_at") +
          ", COALESCE(owner_id, 0), 'claim.opened', kind, 0, COUNT(*) FROM claims GROUP BY 1, 2, 4",
      into + "SELECT " + day("created_at") +
          ", COALESCE(owner_id, 0), 'claim.cause', cause_key, 0, COUNT(*) FROM claims WHERE cause_key <> '' "
          "GROUP BY 1, 2, 4",
      into + "SELECT " + day("resolved_at") +
          ", COALESCE(owner_id, 0), 'claim.closed', status, 0, COUNT(*) FROM claims WHERE resolved_at IS NOT NULL "
          "GROUP BY 1, 2, 4",
      into + "SELECT " + day("checked_in_at") +
          ", rep_id, 'route.visit', CASE WHEN planned <> 0 THEN 'planned' ELSE 'unplanned' END, "
          "SUM(CASE WHEN COALESCE(order_id, 0) <> 0 THEN 1 ELSE 0 END), COUNT(*) FROM visits GROUP BY 1, 2, 4",
      // Months from days: day 0 is 1970-01-01 in the local calendar, so the date
      // arithmetic needs no zone.
      "INSERT INTO kpi_monthly(month, user_id, fact, dim, value, n) "
      "SELECT " + c.dialect().month_of_day("day") + ", user_id, fact, dim, SUM(value), SUM(n) "
      "FROM kpi_daily GROUP BY 1, 2, 3, 4",
  };
  for (const auto& sql : statements) SC_RETURN_IF_ERROR(c.exec(sql));
  return Status::ok();
}

Result<Id> insert_plan(Connection& c, const PlanRow& row) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert(
                                         "sales_plans", {"user_id", "month", "amount_minor", "currency", "set_by",
                                                         "set_at"}))));
  StatementUse use(*s);
  use->bind_all(row.user_id, row.month, row.amount.minor, row.amount.currency, null_if_zero(row.set_by),
                row.set_at.ms);
  SC_RETURN_IF_ERROR(use->run());
  return c.last_insert_id();
}

Status replace_current_plan(Connection& c, Id user_id, std::int64_t month, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "UPDATE sales_plans SET replaced_at = ? WHERE user_id = ? AND month = ? AND replaced_at IS NULL")));
  StatementUse use(*s);
  use->bind_all(at.ms, user_id, month);
  return use->run();
}

Result<std::optional<PlanRow>> current_plan(Connection& c, Id user_id, std::int64_t month) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(std::string("SELECT ") + kPlanCols +
                                                         " FROM sales_plans WHERE user_id = ? AND month = ? AND "
                                                         "replaced_at IS NULL")));
  StatementUse use(*s);
  use->bind_all(user_id, month);
  return map_first<PlanRow>(*s, plan_of);
}

Result<std::vector<PlanRow>> plan_history(Connection& c, Id user_id, std::int64_t month) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         std::string("SELECT ") + kPlanCols +
                                         " FROM sales_plans WHERE user_id = ? AND month = ? ORDER BY set_at, id")));
  StatementUse use(*s);
  use->bind_all(user_id, month);
  return map_rows<PlanRow>(*s, plan_of);
}

Result<std::vector<PlanRow>> plans_in_force(Connection& c, std::int64_t first_month, std::int64_t last_month,
                                            const UserSet& users) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         std::string("SELECT ") + kPlanCols +
                                         " FROM sales_plans WHERE month BETWEEN ? AND ? AND replaced_at IS NULL" +
                                         and_in("user_id", users))));
  StatementUse use(*s);
  use->bind_all(first_month, last_month);
  return map_rows<PlanRow>(*s, plan_of);
}

Result<std::vector<std::pair<Id, std::int64_t>>> overdue_tasks_by_user(Connection& c, Instant at,
                                                                       const UserSet& users) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         "SELECT assignee_id, COUNT(*) FROM tasks WHERE status = 'open' AND "
                                         "due_at < ? AND assignee_id IS NOT NULL" +
                                         and_in("assignee_id", users) + " GROUP BY assignee_id")));
  StatementUse use(*s);
  use->bind_all(at.ms);
  return map_rows<std::pair<Id, std::int64_t>>(
      *s, [](Statement& r) { return std::pair<Id, std::int64_t>{r.column_int(0), r.column_int(1)}; });
}

Result<std::pair<std::int64_t, std::int64_t>> returning_clients(Connection& c, Instant a_from, Instant a_to,
                                                                Instant b_from, Instant b_to, const UserSet& owners) {
  const std::string buyers = "SELECT DISTINCT client_id FROM orders WHERE status <> 'cancelled' AND ordered_at >= ? "
                             "AND ordered_at < ?" +
                             and_in("owner_id", owners);
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders("SELECT (SELECT COUNT(*) FROM (" + buyers +
                                                         ") a), (SELECT COUNT(*) FROM (" + buyers + " INTERSECT " +
                                                         buyers + ") b)")));
  StatementUse use(*s);
  use->bind_all(a_from.ms, a_to.ms, a_from.ms, a_to.ms, b_from.ms, b_to.ms);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return std::pair<std::int64_t, std::int64_t>{0, 0};
  return std::pair<std::int64_t, std::int64_t>{s->column_int(0), s->column_int(1)};
}

Result<std::vector<SkuDistribution>> must_have_distribution(Connection& c, Instant before, const UserSet& reps) {
  SC_ASSIGN_OR_RETURN(
      Statement * s,
      c.prepare(c.dialect().placeholders(
          "WITH last AS (SELECT client_id, MAX(stock_recorded_at) AS at FROM visits WHERE stock_recorded_at IS NOT "
          "NULL AND stock_recorded_at < ?" +
          and_in("rep_id", reps) +
          " GROUP BY client_id), "
          "shelf AS (SELECT MAX(v.id) AS visit_id, v.client_id FROM visits v JOIN last ON last.client_id = "
          "v.client_id AND v.stock_recorded_at = last.at GROUP BY v.client_id) "
          "SELECT m.sku, COUNT(*), SUM(CASE WHEN COALESCE(st.quantity_milli, 0) > 0 THEN 1 ELSE 0 END) "
          "FROM shelf JOIN outlet_profiles op ON op.client_id = shelf.client_id "
          "JOIN must_have_skus m ON m.channel = op.channel "
          "LEFT JOIN visit_stock st ON st.visit_id = shelf.visit_id AND st.sku = m.sku "
          "GROUP BY m.sku ORDER BY m.sku")));
  StatementUse use(*s);
  use->bind_all(before.ms);
  return map_rows<SkuDistribution>(
      *s, [](Statement& r) { return SkuDistribution{r.column_text(0), r.column_int(1), r.column_int(2)}; });
}

Result<std::vector<std::pair<int, std::int64_t>>> route_stops_by_weekday(Connection& c, const UserSet& reps) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT weekday, COUNT(*) FROM route_stops WHERE 1 = 1" +
                                               and_in("rep_id", reps) + " GROUP BY weekday"));
  StatementUse use(*s);
  return map_rows<std::pair<int, std::int64_t>>(*s, [](Statement& r) {
    return std::pair<int, std::int64_t>{static_cast<int>(r.column_int(0)), r.column_int(1)};
  });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> clients_by_segment(Connection& c, const UserSet& owners) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT cs.segment, COUNT(*) FROM client_segments cs JOIN clients cl "
                                               "ON cl.id = cs.client_id WHERE 1 = 1" +
                                               and_in("cl.owner_id", owners) + " GROUP BY cs.segment ORDER BY 1"));
  StatementUse use(*s);
  return map_rows<std::pair<std::string, std::int64_t>>(
      *s, [](Statement& r) { return std::pair<std::string, std::int64_t>{r.column_text(0), r.column_int(1)}; });
}

}  // namespace salescore::store
