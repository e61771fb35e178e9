#include "store/absence_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"user_id", "deputy_id", "starts_at", "ends_at", "reason",
                                        "note",    "cancelled", "created_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

Absence map_absence(Statement& s) {
  Absence a;
  a.id = s.column_int(0);
  a.user_id = s.column_int(1);
  a.deputy_id = s.column_int(2);
  a.starts_at = Instant{s.column_int(3)};
  a.ends_at = Instant{s.column_int(4)};
  auto reason = parse_absence_reason(s.column_text(5));
  a.reason = reason.ok() ? *reason : AbsenceReason::kOther;
  a.note = s.column_text(6);
  a.cancelled = s.column_int(7) != 0;
  a.created_at = Instant{s.column_int(8)};
  return a;
}

Result<std::vector<Id>> ids(Statement& s) {
  return map_rows<Id>(s, [](Statement& r) { return r.column_int(0); });
}
}  // namespace

Result<Id> insert_absence(Connection& c, const Absence& a) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("absences", kCols))));
  StatementUse use(*s);
  s->bind_all(a.user_id, a.deputy_id, a.starts_at.ms, a.ends_at.ms, std::string(absence_reason_name(a.reason)), a.note,
              a.cancelled, a.created_at.ms);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status set_absence_cancelled(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update("absences", {"cancelled"}, "id = ?"))));
  StatementUse use(*s);
  s->bind_all(1, id);
  return s->run();
}

Result<std::optional<Absence>> load_absence(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "absences", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Absence>(*s, map_absence);
}

namespace {
Filter absence_filter(const AbsenceQuery& q) {
  Filter f;
  f.eq_if("user_id", q.user_id);
  f.eq_if("deputy_id", q.deputy_id);
  if (q.active_at) f.add("starts_at <= ? AND ends_at > ?", {q.active_at->ms, q.active_at->ms});
  if (!q.include_cancelled) f.add("cancelled = 0");
  return f;
}
}  // namespace

Result<std::int64_t> count_absences(Connection& c, const AbsenceQuery& q) {
  Filter f = absence_filter(q);
  return scalar_int(c, "SELECT COUNT(*) FROM absences" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Absence>> find_absences(Connection& c, const AbsenceQuery& q) {
  Filter f = absence_filter(q);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "absences", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Absence>(*s, map_absence);
}

Result<std::vector<Id>> absent_users_deputized_by(Connection& c, Id deputy_id, Instant now) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"DISTINCT user_id"}, "absences",
                                         "deputy_id = ? AND cancelled = 0 AND starts_at <= ? AND ends_at > ?"))));
  StatementUse use(*s);
  s->bind_all(deputy_id, now.ms, now.ms);
  return ids(*s);
}

Result<bool> absence_overlaps(Connection& c, Id user_id, Instant from, Instant to) {
  Filter f;
  f.add("user_id = ? AND cancelled = 0 AND starts_at < ? AND ends_at > ?", {user_id, to.ms, from.ms});
  SC_ASSIGN_OR_RETURN(std::int64_t n, scalar_int(c, "SELECT COUNT(*) FROM absences WHERE " + f.where(), f));
  return n > 0;
}

Result<std::optional<Id>> deputy_of(Connection& c, Id user_id, Instant now) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"deputy_id"}, "absences",
                                         "user_id = ? AND cancelled = 0 AND starts_at <= ? AND ends_at > ?", "id"))));
  StatementUse use(*s);
  s->bind_all(user_id, now.ms, now.ms);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<OverdueWhileAway>> overdue_tasks_of_absent_users(Connection& c, Instant now) {
  // rule_state remembers each (task, absence) already reported, so the head hears of an
  // overdue task once per absence, not at every run of the timers.
  SC_ASSIGN_OR_RETURN(
      Statement * s,
      c.prepare(c.dialect().placeholders(
          "SELECT t.id, t.assignee_id, a.deputy_id, a.id, COALESCE(u.head_id, 0) "
          "FROM tasks t JOIN absences a ON a.user_id = t.assignee_id "
          "JOIN users u ON u.id = t.assignee_id "
          "WHERE t.status = 'open' AND t.due_at < ? AND a.cancelled = 0 AND a.starts_at <= ? AND a.ends_at > ? "
          "AND NOT EXISTS (SELECT 1 FROM rule_state r WHERE r.key = 'absence.overdue.' || t.id || '.' || a.id) "
          "ORDER BY t.id")));
  StatementUse use(*s);
  s->bind_all(now.ms, now.ms, now.ms);
  return map_rows<OverdueWhileAway>(*s, [](Statement& r) {
    return OverdueWhileAway{r.column_int(0), r.column_int(1), r.column_int(2), r.column_int(3), r.column_int(4)};
  });
}

Result<std::vector<Id>> users_reporting_to(Connection& c, Id head_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select({"id"}, "users", "head_id = ?", "id"))));
  StatementUse use(*s);
  s->bind_all(head_id);
  return ids(*s);
}

}  // namespace salescore::store
