#include "store/payment_rows.h"
#include "store/column_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::optional<std::int64_t> opt_ms(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(t->ms) : std::nullopt;
}
std::optional<Instant> opt_instant(Statement& r, int col) {
  return r.column_is_null(col) ? std::nullopt : std::optional<Instant>(Instant{r.column_int(col)});
}

const std::vector<std::string> kInstallmentCols = {"schedule_id",     "order_id",        "number",
                                                   "term_start",      "due_at",          "amount_minor",
                                                   "currency",        "mid_reminder_at", "eve_reminder_at",
                                                   "paid_at"};

InstallmentRow map_installment(Statement& r) {
  InstallmentRow i;
  i.id = r.column_int(0);
  i.schedule_id = r.column_int(1);
  i.order_id = r.column_int(2);
  i.number = static_cast<int>(r.column_int(3));
  i.term_start = Instant{r.column_int(4)};
  i.due_at = Instant{r.column_int(5)};
  i.amount = Money{r.column_int(6), r.column_text(7)};
  i.mid_reminder_at = opt_instant(r, 8);
  i.eve_reminder_at = opt_instant(r, 9);
  i.paid_at = opt_instant(r, 10);
  return i;
}

const std::vector<std::string> kPaymentCols = {"order_id", "client_id",   "amount_minor", "currency",
                                               "received_at", "method",   "reference",    "source",
                                               "external_id", "recorded_by", "created_at"};

std::vector<std::string> with_id(const std::vector<std::string>& cols) {
  std::vector<std::string> out = {"id"};
  out.insert(out.end(), cols.begin(), cols.end());
  return out;
}

Payment map_payment(Statement& r) {
  Payment p;
  p.id = r.column_int(0);
  p.order_id = r.column_int(1);
  p.client_id = r.column_int(2);
  p.amount = Money{r.column_int(3), r.column_text(4)};
  p.received_at = Instant{r.column_int(5)};
  auto m = parse_payment_method(r.column_text(6));
  p.method = m.ok() ? *m : PaymentMethod::kOther;
  p.reference = r.column_text(7);
  p.source = r.column_text(8);
  p.external_id = r.column_text(9);
  p.recorded_by = r.column_int(10);
  p.created_at = Instant{r.column_int(11)};
  return p;
}

// The allocation of payments to installments, in SQL so that receivables at any instant
// are one query: an installment is covered by what the order's payments received by
// `at` leave after the installments before it (in due order, which is number order).
// Binds: at, at, the parameters of `installment_where`, at.
std::string balances_sql(const std::string& installment_where) {
  return "WITH inst AS (SELECT i.id, i.order_id, i.due_at, i.amount_minor, i.currency, "
         "COALESCE(SUM(i.amount_minor) OVER (PARTITION BY i.order_id ORDER BY i.number "
         "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_minor "
         "FROM installments i JOIN payment_schedules ps ON ps.id = i.schedule_id "
         "WHERE ps.created_at <= ? AND (ps.replaced_at IS NULL OR ps.replaced_at > ?)" +
         installment_where +
         "), paid AS (SELECT order_id, SUM(amount_minor) AS paid_minor FROM payments "
         "WHERE received_at <= ? AND order_id IN (SELECT order_id FROM inst) GROUP BY order_id), "
         "bal AS (SELECT inst.id, inst.order_id, inst.due_at, inst.currency, CASE "
         "WHEN COALESCE(paid.paid_minor, 0) <= inst.before_minor THEN inst.amount_minor "
         "WHEN COALESCE(paid.paid_minor, 0) >= inst.before_minor + inst.amount_minor THEN 0 "
         "ELSE inst.before_minor + inst.amount_minor - paid.paid_minor END AS unpaid_minor "
         "FROM inst LEFT JOIN paid ON paid.order_id = inst.order_id) ";
}

}  // namespace

Result<std::optional<ScheduleRow>> current_schedule(Connection& c, Id order_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"id", "order_id", "created_at"}, "payment_schedules",
                                         "order_id = ? AND replaced_at IS NULL", "id DESC"))));
  StatementUse use(*s);
  s->bind_all(order_id);
  return map_first<ScheduleRow>(*s, [](Statement& r) {
    return ScheduleRow{r.column_int(0), r.column_int(1), Instant{r.column_int(2)}};
  });
}

Result<Id> insert_schedule(Connection& c, Id order_id, Instant created_at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().insert("payment_schedules", {"order_id", "created_at"}))));
  StatementUse use(*s);
  s->bind_all(order_id, created_at.ms);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status mark_schedule_replaced(Connection& c, Id schedule_id, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().update("payment_schedules", {"replaced_at"}, "id = ?"))));
  StatementUse use(*s);
  s->bind_all(at.ms, schedule_id);
  return s->run();
}

Result<Id> insert_installment(Connection& c, const InstallmentRow& i) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("installments", kInstallmentCols))));
  StatementUse use(*s);
  s->bind_all(i.schedule_id, i.order_id, i.number, i.term_start.ms, i.due_at.ms, i.amount.minor, i.amount.currency,
              opt_ms(i.mid_reminder_at), opt_ms(i.eve_reminder_at), opt_ms(i.paid_at));
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Result<std::vector<InstallmentRow>> installments_of_schedule(Connection& c, Id schedule_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         with_id(kInstallmentCols), "installments", "schedule_id = ?", "number"))));
  StatementUse use(*s);
  s->bind_all(schedule_id);
  return map_rows<InstallmentRow>(*s, map_installment);
}

Status set_installment_paid(Connection& c, Id installment_id, Instant paid_at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().update("installments", {"paid_at"}, "id = ?"))));
  StatementUse use(*s);
  s->bind_all(paid_at.ms, installment_id);
  return s->run();
}

Result<std::vector<std::pair<Id, std::int64_t>>> unpaid_installments(Connection& c, Id order_id, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         balances_sql(" AND i.order_id = ?") + "SELECT id, unpaid_minor FROM bal ORDER BY id")));
  StatementUse use(*s);
  s->bind_all(at.ms, at.ms, order_id, at.ms);
  return map_rows<std::pair<Id, std::int64_t>>(
      *s, [](Statement& r) { return std::pair<Id, std::int64_t>(r.column_int(0), r.column_int(1)); });
}

Result<std::vector<DueInstallmentReminder>> due_installment_reminders(Connection& c, Instant now) {
  // Each installment is in one window at a time (mid-term until the day before, the day
  // before until due, overdue after), so a reminder whose window passed unsent is not
  // sent late: the next window's reminder supersedes it.
  static const std::string sql =
      "SELECT x.installment_id, x.order_id, x.order_number, x.client_id, x.client_name, x.manager_id, "
      "x.installment_number, x.due_at, x.amount_minor, x.currency, x.kind FROM ("
      "SELECT i.id AS installment_id, i.order_id AS order_id, o.number AS order_number, o.client_id AS client_id, "
      "c.name AS client_name, COALESCE(c.owner_id, o.owner_id, 0) AS manager_id, i.number AS installment_number, "
      "i.due_at AS due_at, i.amount_minor AS amount_minor, i.currency AS currency, "
      "CASE WHEN i.due_at <= ? THEN 'overdue' WHEN i.eve_reminder_at <= ? THEN 'eve' ELSE 'mid' END AS kind "
      "FROM installments i JOIN payment_schedules ps ON ps.id = i.schedule_id "
      "JOIN orders o ON o.id = i.order_id JOIN clients c ON c.id = o.client_id "
      "WHERE ps.replaced_at IS NULL AND i.paid_at IS NULL AND o.status <> 'cancelled' "
      "AND (i.due_at <= ? OR i.eve_reminder_at <= ? OR i.mid_reminder_at <= ?) "
      "AND NOT EXISTS (SELECT 1 FROM installment_reminders r WHERE r.installment_id = i.id AND r.kind = 'overdue')"
      ") x WHERE NOT EXISTS (SELECT 1 FROM installment_reminders r2 "
      "WHERE r2.installment_id = x.installment_id AND r2.kind = x.kind) ORDER BY x.due_at, x.installment_id";
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  s->bind_all(now.ms, now.ms, now.ms, now.ms, now.ms);
  return map_rows<DueInstallmentReminder>(*s, [](Statement& r) {
    DueInstallmentReminder d;
    d.installment_id = r.column_int(0);
    d.order_id = r.column_int(1);
    d.order_number = r.column_text(2);
    d.client_id = r.column_int(3);
    d.client_name = r.column_text(4);
    d.manager_id = r.column_int(5);
    d.number = static_cast<int>(r.column_int(6));
    d.due_at = Instant{r.column_int(7)};
    d.amount = Money{r.column_int(8), r.column_text(9)};
    d.kind = r.column_text(10);
    return d;
  });
}

Status insert_installment_reminder(Connection& c, Id installment_id, const std::string& kind, Instant sent_at,
                                   Id task_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert(
                                         "installment_reminders", {"installment_id", "kind", "sent_at", "task_id"}))));
  StatementUse use(*s);
  s->bind_all(installment_id, kind, sent_at.ms, null_if_zero(task_id));
  return s->run();
}

Result<std::vector<std::string>> installment_reminders_sent(Connection& c, Id installment_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"kind"}, "installment_reminders", "installment_id = ?", "sent_at, kind"))));
  StatementUse use(*s);
  s->bind_all(installment_id);
  return map_rows<std::string>(*s, [](Statement& r) { return r.column_text(0); });
}

Result<Id> insert_payment(Connection& c, const Payment& p) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("payments", kPaymentCols))));
  StatementUse use(*s);
  s->bind_all(p.order_id, p.client_id, p.amount.minor, p.amount.currency, p.received_at.ms,
              std::string(payment_method_name(p.method)), p.reference, null_if_empty(p.source),
              null_if_empty(p.external_id), null_if_zero(p.recorded_by), p.created_at.ms);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Result<std::optional<Payment>> load_payment(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(with_id(kPaymentCols), "payments", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Payment>(*s, map_payment);
}

Result<std::optional<Id>> payment_id_by_source(Connection& c, const std::string& source,
                                               const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select({"id"}, "payments", "source = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(source, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

namespace {
Filter payment_filter(const PaymentQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("order_id", q.order_id);
  f.eq_if("client_id", q.client_id);
  if (q.from) f.add("received_at >= ?", {q.from->ms});
  if (q.to) f.add("received_at < ?", {q.to->ms});
  return f;
}
}  // namespace

Result<ColumnTable> payment_columns(Connection& c, const PaymentQuery& q, const std::string& visible) {
  static const std::vector<ColumnDef> defs = {
      {"id", "id"},
      {"order_id", "order_id"},
      {"client_id", "client_id"},
      {"amount_minor", "amount_minor", ColumnKind::kAmount},
      {"currency", "currency", ColumnKind::kText},
      {"received_at", "received_at", ColumnKind::kInstant},
      {"method", "method", ColumnKind::kText},
      {"reference", "reference", ColumnKind::kText},
      {"source", "COALESCE(source, '')", ColumnKind::kText},
      {"external_id", "COALESCE(external_id, '')", ColumnKind::kText},
      {"recorded_by", "recorded_by", ColumnKind::kInt, true},
      {"created_at", "created_at", ColumnKind::kInstant},
  };
  return select_columns(c, "payments", defs, payment_filter(q, visible), q.page);
}

Result<std::int64_t> count_payments(Connection& c, const PaymentQuery& q, const std::string& visible) {
  Filter f = payment_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM payments" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Payment>> find_payments(Connection& c, const PaymentQuery& q, const std::string& visible) {
  Filter f = payment_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(with_id(kPaymentCols), "payments", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Payment>(*s, map_payment);
}

Result<std::vector<Payment>> payments_of_order(Connection& c, Id order_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         with_id(kPaymentCols), "payments", "order_id = ?", "received_at, id"))));
  StatementUse use(*s);
  s->bind_all(order_id);
  return map_rows<Payment>(*s, map_payment);
}

Result<std::int64_t> paid_on_order(Connection& c, Id order_id) {
  Filter f;
  f.add("order_id = ?", {order_id});
  return scalar_int(c, "SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE " + f.where(), f);
}

Result<std::vector<ReceivablesLine>> receivables(Connection& c, const ReceivablesQuery& q, Instant at,
                                                 const std::string& visible) {
  std::string key, name;
  switch (q.by) {
    case ReceivablesGrouping::kClient:
      key = "c.id";
      name = "c.name";
      break;
    case ReceivablesGrouping::kManager:
      key = "COALESCE(c.owner_id, 0)";
      name = "COALESCE(u.name, '')";
      break;
    case ReceivablesGrouping::kDepartment:
      key = "COALESCE(h.id, 0)";
      name = "COALESCE(h.name, '')";
      break;
  }
  // Whole days overdue d = floor((at - due) / day): 0-30 is due > at - 31 days, and so on.
  std::string sql = balances_sql("") + "SELECT " + key + " AS group_key, " + name +
                    " AS group_name, bal.currency AS group_currency, SUM(bal.unpaid_minor), "
                    "SUM(CASE WHEN bal.due_at <= ? THEN bal.unpaid_minor ELSE 0 END), "
                    "SUM(CASE WHEN bal.due_at <= ? AND bal.due_at > ? THEN bal.unpaid_minor ELSE 0 END), "
                    "SUM(CASE WHEN bal.due_at <= ? AND bal.due_at > ? THEN bal.unpaid_minor ELSE 0 END), "
                    "SUM(CASE WHEN bal.due_at <= ? AND bal.due_at > ? THEN bal.unpaid_minor ELSE 0 END), "
                    "SUM(CASE WHEN bal.due_at <= ? THEN bal.unpaid_minor ELSE 0 END) "
                    "FROM bal JOIN orders o ON o.id = bal.order_id JOIN clients c ON c.id = o.client_id "
                    "LEFT JOIN users u ON u.id = c.owner_id "
                    "LEFT JOIN users h ON h.id = (CASE WHEN u.role = 'head' THEN u.id ELSE u.head_id END) ";
  // Parameters in the order of their placeholders: the balances, the buckets, the filters.
  const std::int64_t d31 = at.ms - 31 * kDayMs, d61 = at.ms - 61 * kDayMs, d91 = at.ms - 91 * kDayMs;
  std::vector<std::int64_t> params = {at.ms, at.ms, at.ms, at.ms, at.ms, d31, d31, d61, d61, d91, d91};
  std::string where = "bal.unpaid_minor > 0 AND o.status <> 'cancelled'";
  if (!visible.empty()) where += " AND " + visible;
  if (q.client_id) {
    where += " AND c.id = ?";
    params.push_back(*q.client_id);
  }
  if (q.owner_id) {
    where += " AND c.owner_id = ?";
    params.push_back(*q.owner_id);
  }
  if (q.head_id) {
    where += " AND (c.owner_id = ? OR u.head_id = ?)";
    params.insert(params.end(), {*q.head_id, *q.head_id});
  }
  sql += "WHERE " + where + " GROUP BY group_key, group_name, group_currency ORDER BY group_key, group_currency";
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  for (std::size_t i = 0; i < params.size(); ++i) s->bind_int(static_cast<int>(i) + 1, params[i]);
  return map_rows<ReceivablesLine>(*s, [](Statement& r) {
    ReceivablesLine l;
    l.key = r.column_int(0);
    l.name = r.column_text(1);
    l.currency = r.column_text(2);
    l.receivable_minor = r.column_int(3);
    l.overdue_minor = r.column_int(4);
    l.aging = AgingBuckets{r.column_int(5), r.column_int(6), r.column_int(7), r.column_int(8)};
    return l;
  });
}

}  // namespace salescore::store
