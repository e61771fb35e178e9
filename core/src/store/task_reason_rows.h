// Rows of task_reasons: why a rule gave someone a task and what record it is about;
// and the day's list of a user's tasks that reads them.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Status insert_task_reason(Connection& c, Id task_id, const std::string& reason, const std::string& entity,
                          Id entity_id);
// Open tasks recorded for (entity, entity_id) whose reason starts with `reason_prefix`.
Result<std::vector<Id>> open_tasks_with_reason(Connection& c, const std::string& entity, Id entity_id,
                                               const std::string& reason_prefix);

struct DayTaskRow {
  Id task_id = 0;
  std::string reason;  // "manual" for a task typed in, "lead.answer" for a lead's
  std::string client_name;
};
// Open tasks of `user_id` due before `day_end`, and open reminders (`reminder_reason`)
// due later or without a date; overdue and today's first, by due date.
Result<std::vector<DayTaskRow>> open_tasks_for_day(Connection& c, Id user_id, Instant day_end,
                                                   const std::string& reminder_reason);
}  // namespace salescore::store
