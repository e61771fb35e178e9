// Rows of payment schedules, installments, the reminders sent for them, payments, and
// the receivables computed from them.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

struct InstallmentRow {
  Id id = 0;
  Id schedule_id = 0;
  Id order_id = 0;
  int number = 0;
  Instant term_start;
  Instant due_at;
  Money amount;
  std::optional<Instant> mid_reminder_at;
  std::optional<Instant> eve_reminder_at;
  std::optional<Instant> paid_at;
};

// The schedule of the order in force now (not replaced), if any: (id, created_at).
struct ScheduleRow {
  Id id = 0;
  Id order_id = 0;
  Instant created_at;
};
Result<std::optional<ScheduleRow>> current_schedule(Connection& c, Id order_id);
Result<Id> insert_schedule(Connection& c, Id order_id, Instant created_at);
Status mark_schedule_replaced(Connection& c, Id schedule_id, Instant at);
Result<Id> insert_installment(Connection& c, const InstallmentRow& row);
// In number order.
Result<std::vector<InstallmentRow>> installments_of_schedule(Connection& c, Id schedule_id);
Status set_installment_paid(Connection& c, Id installment_id, Instant paid_at);

// What is not paid of each installment of the order's schedule in force at `at`,
// counting payments received by `at`: installment id -> unpaid minor units.
Result<std::vector<std::pair<Id, std::int64_t>>> unpaid_installments(Connection& c, Id order_id, Instant at);

// A reminder the timer owes at `now`: "mid", "eve" or "overdue".
struct DueInstallmentReminder {
  Id installment_id = 0;
  Id order_id = 0;
  std::string order_number;
  Id client_id = 0;
  std::string client_name;
  Id manager_id = 0;  // the client's owner, else the order's; 0 when neither
  int number = 0;
  Instant due_at;
  Money amount;
  std::string kind;
};
// Unpaid installments of schedules in force, of orders not cancelled, whose current
// window (mid-term, day before, overdue) holds `now` and whose reminder for that window
// has not been sent. An installment past its due date that was told overdue is done.
Result<std::vector<DueInstallmentReminder>> due_installment_reminders(Connection& c, Instant now);
Status insert_installment_reminder(Connection& c, Id installment_id, const std::string& kind, Instant sent_at,
                                   Id task_id);
// Kinds sent for the installment, in the order sent.
Result<std::vector<std::string>> installment_reminders_sent(Connection& c, Id installment_id);

Result<Id> insert_payment(Connection& c, const Payment& p);
Result<std::optional<Payment>> load_payment(Connection& c, Id id);
Result<std::optional<Id>> payment_id_by_source(Connection& c, const std::string& source,
                                               const std::string& external_id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Payment>> find_payments(Connection& c, const PaymentQuery& q, const std::string& visible = "");
Result<std::int64_t> count_payments(Connection& c, const PaymentQuery& q, const std::string& visible = "");
// Every payment of the order, oldest received first.
Result<std::vector<Payment>> payments_of_order(Connection& c, Id order_id);
Result<std::int64_t> paid_on_order(Connection& c, Id order_id);

// ДЗ / ПДЗ with aging at `at`. `visible` is a condition over the client's columns,
// aliased `c` (c.owner_id, c.source, c.assistant_id).
Result<std::vector<ReceivablesLine>> receivables(Connection& c, const ReceivablesQuery& q, Instant at,
                                                 const std::string& visible);

}  // namespace salescore::store
