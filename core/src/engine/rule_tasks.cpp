#include "engine/rule_tasks.h"

#include "engine/record_writes.h"
#include "model/time_zone.h"
#include "store/activity_rows.h"
#include "store/task_reason_rows.h"

namespace salescore::detail {

Result<Task> give_rule_task(EngineState& s, const Actor& actor, Task task, const std::string& reason,
                            const std::string& entity, Id entity_id) {
  task.status = TaskStatus::kOpen;
  task.created_at = task.updated_at = s.now();
  SC_ASSIGN_OR_RETURN(task.id, store::insert_task(*s.conn, task));
  SC_RETURN_IF_ERROR(store::insert_task_reason(*s.conn, task.id, reason, entity, entity_id));
  SC_RETURN_IF_ERROR(log_created(s, actor, "task", task));
  return task;
}

Status close_rule_tasks(EngineState& s, const Actor& actor, const std::string& entity, Id entity_id,
                        const std::string& reason_prefix, TaskStatus how) {
  SC_ASSIGN_OR_RETURN(auto ids, store::open_tasks_with_reason(*s.conn, entity, entity_id, reason_prefix));
  for (Id id : ids) {
    SC_ASSIGN_OR_RETURN(auto before, store::load_task(*s.conn, id));
    if (!before) continue;
    Task after = *before;
    after.status = how;
    after.done_at = s.now();
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "task", *before, after, [&](const Task& t) {
                          return store::update_task(*s.conn, t);
                        }));
    (void)outcome;
  }
  return Status::ok();
}

std::string local_date(const EngineState& s, Instant t) {
  auto zone = find_time_zone(s.config.timezone);
  const std::int64_t offset = zone.ok() ? utc_offset_ms(*zone, t) : 0;
  return format_iso8601(Instant{t.ms + offset}).substr(0, 10);
}

}  // namespace salescore::detail
