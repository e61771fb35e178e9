#include "engine/payment_rules.h"

#include <map>

#include "engine/people_texts.h"
#include "engine/record_writes.h"
#include "engine/rule_tasks.h"
#include "model/json_text.h"
#include "rules/access.h"
#include "store/payment_rows.h"

namespace salescore::detail {

Status check_order_access(EngineState& s, const Actor& actor, const Order& order, const std::string& action,
                          const std::string& entity, Id entity_id) {
  if (actor.user_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (scope.covers_owned(order.owner_id, order.source)) return Status::ok();
  return deny(s, actor, action, entity, entity_id);
}

Status settle_installments(EngineState& s, const Actor& actor, Id order_id) {
  SC_ASSIGN_OR_RETURN(auto schedule, store::current_schedule(*s.conn, order_id));
  if (!schedule) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto installments, store::installments_of_schedule(*s.conn, schedule->id));
  SC_ASSIGN_OR_RETURN(auto payments, store::payments_of_order(*s.conn, order_id));
  // The same allocation as store::unpaid_installments, walked in time: an installment
  // is paid once the payments received so far cover it and every one before it.
  std::int64_t due_so_far = 0, paid_so_far = 0;
  std::size_t next = 0;
  for (const auto& inst : installments) {
    due_so_far += inst.amount.minor;
    while (paid_so_far < due_so_far && next < payments.size()) paid_so_far += payments[next++].amount.minor;
    if (paid_so_far < due_so_far) break;
    if (inst.paid_at) continue;
    const Instant paid_at = payments[next - 1].received_at;
    SC_RETURN_IF_ERROR(store::set_installment_paid(*s.conn, inst.id, paid_at));
    SC_RETURN_IF_ERROR(append_event(s, actor, "installment.paid", "installment", inst.id,
                                    "{\"order_id\":" + std::to_string(order_id) +
                                        ",\"number\":" + std::to_string(inst.number) +
                                        ",\"due_at\":" + json_string(format_iso8601(inst.due_at)) +
                                        ",\"paid_at\":" + json_string(format_iso8601(paid_at)) +
                                        ",\"early\":" + (paid_at < inst.due_at ? "true" : "false") + "}"));
    SC_RETURN_IF_ERROR(close_rule_tasks(s, actor, "installment", inst.id, "installment.", TaskStatus::kDone));
  }
  return Status::ok();
}

namespace {

std::string reminder_title(const EngineState& s, const store::DueInstallmentReminder& d, std::int64_t unpaid) {
  const std::string what = say(s, "installment", {std::to_string(d.number), d.order_number, format_amount(unpaid),
                                                  d.amount.currency, local_date(s, d.due_at)});
  if (d.kind == "overdue") return say(s, "installment.overdue", {d.client_name, what});
  return say(s, d.kind == "mid" ? "installment.mid" : "installment.soon", {d.client_name, what});
}

}  // namespace

Status remind_installments(EngineState& s, DueReport& report) {
  const Actor system = Actor::system();
  const Instant now = s.now();
  SC_ASSIGN_OR_RETURN(auto due, store::due_installment_reminders(*s.conn, now));
  std::map<Id, std::map<Id, std::int64_t>> unpaid_by_order;
  for (const auto& d : due) {
    if (!unpaid_by_order.count(d.order_id)) {
      SC_ASSIGN_OR_RETURN(auto rows, store::unpaid_installments(*s.conn, d.order_id, now));
      auto& m = unpaid_by_order[d.order_id];
      for (const auto& [id, unpaid] : rows) m[id] = unpaid;
    }
    const std::int64_t unpaid = unpaid_by_order[d.order_id][d.installment_id];
    const bool overdue = d.kind == "overdue";
    // An overdue installment needs one task, not the reminders that led up to it too.
    if (overdue)
      SC_RETURN_IF_ERROR(
          close_rule_tasks(s, system, "installment", d.installment_id, "installment.reminder", TaskStatus::kCancelled));
    Id task_id = 0;
    if (d.manager_id) {
      Task t;
      t.title = reminder_title(s, d, unpaid);
      t.assignee_id = d.manager_id;
      t.client_id = d.client_id;
      t.order_id = d.order_id;
      // A reminder is about the due date; an overdue installment is to be taken up within a day.
      t.due_at = overdue ? Instant{now.ms + kDayMs} : d.due_at;
      SC_ASSIGN_OR_RETURN(Task given, give_rule_task(s, system, t, overdue ? "installment.overdue" : "installment.reminder",
                                                     "installment", d.installment_id));
      task_id = given.id;
    }
    SC_RETURN_IF_ERROR(store::insert_installment_reminder(*s.conn, d.installment_id, d.kind, now, task_id));
    SC_RETURN_IF_ERROR(append_event(
        s, system, overdue ? "installment.overdue" : "installment.reminder", "installment", d.installment_id,
        "{\"kind\":" + json_string(d.kind) + ",\"order_id\":" + std::to_string(d.order_id) +
            ",\"order_number\":" + json_string(d.order_number) + ",\"client_id\":" + std::to_string(d.client_id) +
            ",\"client_name\":" + json_string(d.client_name) + ",\"manager_id\":" + std::to_string(d.manager_id) +
            ",\"number\":" + std::to_string(d.number) + ",\"due_at\":" + json_string(format_iso8601(d.due_at)) +
            ",\"amount\":" + json_string(format_amount(d.amount.minor)) +
            ",\"unpaid\":" + json_string(format_amount(unpaid)) + ",\"currency\":" + json_string(d.amount.currency) +
            ",\"task_id\":" + (task_id ? std::to_string(task_id) : "null") + "}"));
    (overdue ? report.installments_overdue : report.installment_reminders)++;
    report.actions.push_back("installment " + std::to_string(d.installment_id) + " of order " + d.order_number + ": " +
                             (overdue ? "overdue" : d.kind + " reminder") + " to user " +
                             std::to_string(d.manager_id));
  }
  return Status::ok();
}

}  // namespace salescore::detail
