// Engine::run_due: the timers of the sales rules, run at the clock's now. Each timer
// is a query for what is due plus a transition; running it again finds nothing new.
#include "engine/approval_flow.h"
#include "engine/absence_control.h"
#include "engine/lead_tasks.h"
#include "engine/payment_rules.h"
#include "engine/record_writes.h"
#include "engine/segment_rules.h"
#include "rules/lead_assignment.h"
#include "store/client_rows.h"
#include "store/lead_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {

// The head a lead escalates to: the assignee's head, else any active head.
Result<Id> head_for(EngineState& s, Id assignee) {
  if (assignee) {
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s.conn, assignee));
    if (user && user->head_id) return user->head_id;
  }
  SC_ASSIGN_OR_RETURN(auto users, store::list_users(*s.conn));
  for (const auto& u : users)
    if (u.role == Role::kHead && u.active) return u.id;
  return Id{0};
}

// A lead whose SLA passed without a first action: the breach is recorded, and the lead
// goes to the next manager on duty, or to the head once it has been passed on enough.
Status handle_missed_sla(EngineState& s, Lead lead, DueReport& report) {
  const Actor system = Actor::system();
  const Instant now = s.now();
  Lead before = lead;
  SC_RETURN_IF_ERROR(store::insert_lead_breach(*s.conn, lead.id, lead.assignee_id, lead.sla_due_at, now));
  SC_RETURN_IF_ERROR(kpi_lead_breached(s, lead.assignee_id, now));
  SC_RETURN_IF_ERROR(append_event(s, system, "lead.sla_breached", "lead", lead.id,
                                  "{\"assignee_id\":" + std::to_string(lead.assignee_id) +
                                      ",\"due_at\":\"" + format_iso8601(lead.sla_due_at) + "\"}"));
  SC_RETURN_IF_ERROR(close_lead_tasks(s, system, lead.id, TaskStatus::kCancelled));
  const int sla_ms = s.config.leads.sla_minutes_for(lead_channel_name(lead.channel)) * 60'000;
  if (lead.reassignments >= s.config.leads.max_reassignments) {
    SC_ASSIGN_OR_RETURN(Id head, head_for(s, lead.assignee_id));
    lead.escalated = true;
    if (head) lead.assignee_id = head;
    lead.sla_due_at = Instant{now.ms + sla_ms};
    report.leads_escalated++;
    report.actions.push_back("lead " + std::to_string(lead.id) + " escalated to head " + std::to_string(head) +
                             " after " + std::to_string(lead.reassignments) + " reassignments");
  } else {
    Id owner_of_client = 0;
    if (lead.client_id) {
      SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, lead.client_id));
      owner_of_client = owner.value_or(0);
    }
    // The owner already had their chance if they were the one who missed it.
    if (owner_of_client == lead.assignee_id) owner_of_client = 0;
    SC_ASSIGN_OR_RETURN(Id next, pick_assignee(s, owner_of_client, lead.assignee_id));
    lead.assignee_id = next;
    lead.reassignments++;
    lead.sla_due_at = Instant{now.ms + sla_ms};
    report.leads_reassigned++;
    report.actions.push_back("lead " + std::to_string(lead.id) + " reassigned from user " +
                             std::to_string(before.assignee_id) + " to user " + std::to_string(next));
  }
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, system, "lead", before, lead, [&](const Lead& l) {
                        return store::update_lead(*s.conn, l);
                      }));
  (void)outcome;
  SC_RETURN_IF_ERROR(append_event(s, system, lead.escalated ? "lead.escalated" : "lead.reassigned", "lead", lead.id,
                                  "{\"from\":" + std::to_string(before.assignee_id) +
                                      ",\"to\":" + std::to_string(lead.assignee_id) + "}"));
  return give_answer_task(s, system, lead);
}

}  // namespace

Result<DueReport> Engine::run_due() {
  DueReport report;
  Status st = in_write_tx(*state_, [&]() -> Status {
    SC_ASSIGN_OR_RETURN(auto overdue, store::leads_past_sla(*state_->conn, state_->now()));
    for (auto& lead : overdue) SC_RETURN_IF_ERROR(handle_missed_sla(*state_, std::move(lead), report));
    SC_RETURN_IF_ERROR(run_approval_timers(*state_, report));
    SC_RETURN_IF_ERROR(remind_installments(*state_, report));
    SC_RETURN_IF_ERROR(move_segments(*state_, report));
    SC_RETURN_IF_ERROR(report_overdue_tasks_of_absent_users(*state_, report));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return report;
}

}  // namespace salescore
