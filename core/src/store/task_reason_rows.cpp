#include "store/task_reason_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {

Status insert_task_reason(Connection& c, Id task_id, const std::string& reason, const std::string& entity,
                          Id entity_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert(
                                         "task_reasons", {"task_id", "reason", "entity", "entity_id"}))));
  StatementUse use(*s);
  s->bind_all(task_id, reason, entity, entity_id);
  return s->run();
}

Result<std::vector<Id>> open_tasks_with_reason(Connection& c, const std::string& entity, Id entity_id,
                                               const std::string& reason_prefix) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         "SELECT r.task_id FROM task_reasons r JOIN tasks t ON t.id = r.task_id "
                                         "WHERE r.entity = ? AND r.entity_id = ? AND t.status = 'open' "
                                         "AND substr(r.reason, 1, ?) = ? ORDER BY r.task_id")));
  StatementUse use(*s);
  s->bind_all(entity, entity_id, static_cast<std::int64_t>(reason_prefix.size()), reason_prefix);
  return map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<DayTaskRow>> open_tasks_for_day(Connection& c, Id user_id, Instant day_end,
                                                   const std::string& reminder_reason) {
  SC_ASSIGN_OR_RETURN(
      Statement * s,
      c.prepare(c.dialect().placeholders(
          "SELECT t.id, COALESCE(r.reason, CASE WHEN t.lead_id IS NOT NULL THEN 'lead.answer' ELSE 'manual' END), "
          "COALESCE(cl.name, '') FROM tasks t LEFT JOIN task_reasons r ON r.task_id = t.id "
          "LEFT JOIN clients cl ON cl.id = t.client_id "
          "WHERE t.assignee_id = ? AND t.status = 'open' AND (t.due_at < ? OR r.reason = ?) "
          "ORDER BY CASE WHEN t.due_at IS NULL THEN 1 ELSE 0 END, t.due_at, t.id")));
  StatementUse use(*s);
  s->bind_all(user_id, day_end.ms, reminder_reason);
  return map_rows<DayTaskRow>(
      *s, [](Statement& r) { return DayTaskRow{r.column_int(0), r.column_text(1), r.column_text(2)}; });
}

}  // namespace salescore::store
