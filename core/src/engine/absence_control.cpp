// The head's control function while a manager is away (DOMAIN: the assistant takes over
// the duties, the head of the unit takes the control function): every task of the absent
// manager that falls overdue is reported to their head once, with who stands in.
#include "engine/absence_control.h"

#include "store/absence_rows.h"
#include "store/lead_rows.h"

namespace salescore::detail {

Status report_overdue_tasks_of_absent_users(EngineState& s, DueReport& report) {
  SC_ASSIGN_OR_RETURN(auto overdue, store::overdue_tasks_of_absent_users(*s.conn, s.now()));
  for (const auto& o : overdue) {
    SC_RETURN_IF_ERROR(append_event(s, Actor::system(), "task.overdue_while_away", "task", o.task_id,
                                    "{\"assignee_id\":" + std::to_string(o.assignee_id) +
                                        ",\"deputy_id\":" + std::to_string(o.deputy_id) +
                                        ",\"head_id\":" + std::to_string(o.head_id) +
                                        ",\"absence_id\":" + std::to_string(o.absence_id) + "}"));
    SC_RETURN_IF_ERROR(store::rule_state_set(
        *s.conn, "absence.overdue." + std::to_string(o.task_id) + "." + std::to_string(o.absence_id), "1"));
    report.overdue_tasks_reported++;
    report.actions.push_back("task " + std::to_string(o.task_id) + " of absent user " +
                             std::to_string(o.assignee_id) + " is overdue: reported to head " +
                             std::to_string(o.head_id));
  }
  return Status::ok();
}

}  // namespace salescore::detail
