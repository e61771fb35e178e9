// Payment schedules, payments received and receivables. The allocation of payments to
// installments is in store/payment_rows.cpp (balances) and engine/payment_rules.cpp
// (paid_at); the reminder timer is in payment_rules.cpp too.
#include "engine/payment_rules.h"
#include "engine/record_writes.h"
#include "engine/rule_tasks.h"
#include "model/json_text.h"
#include "rules/access.h"
#include "store/order_rows.h"
#include "store/payment_rows.h"

namespace salescore {
using namespace detail;

namespace {

// When the reminders of an installment with the term [start, due) fall: mid-term at
// the term's middle if that comes before the day-before reminder (a term over two
// days), the day before at due - 24 h if that is within the term (a term of a day or more).
void reminder_moments(store::InstallmentRow& row) {
  const std::int64_t term = row.due_at.ms - row.term_start.ms;
  row.eve_reminder_at.reset();
  row.mid_reminder_at.reset();
  if (term >= kDayMs) row.eve_reminder_at = Instant{row.due_at.ms - kDayMs};
  if (term > 2 * kDayMs) row.mid_reminder_at = Instant{row.term_start.ms + term / 2};
}

// The schedule as the caller sees it: each installment with what is paid of it at now.
Result<PaymentSchedule> schedule_view(EngineState& s, const store::ScheduleRow& row, const std::string& currency) {
  const Instant now = s.now();
  PaymentSchedule out;
  out.id = row.id;
  out.order_id = row.order_id;
  out.currency = currency;
  out.created_at = row.created_at;
  SC_ASSIGN_OR_RETURN(auto rows, store::installments_of_schedule(*s.conn, row.id));
  SC_ASSIGN_OR_RETURN(auto unpaid, store::unpaid_installments(*s.conn, row.order_id, now));
  for (const auto& r : rows) {
    Installment i;
    i.id = r.id;
    i.number = r.number;
    i.term_start = r.term_start;
    i.due_at = r.due_at;
    i.amount = r.amount;
    std::int64_t left = r.amount.minor;
    for (const auto& [id, u] : unpaid)
      if (id == r.id) left = u;
    i.paid_minor = r.amount.minor - left;
    i.paid_at = r.paid_at;
    i.status = left == 0 ? InstallmentStatus::kPaid
                         : (r.due_at <= now ? InstallmentStatus::kOverdue : InstallmentStatus::kOpen);
    SC_ASSIGN_OR_RETURN(i.reminders_sent, store::installment_reminders_sent(*s.conn, r.id));
    out.installments.push_back(std::move(i));
  }
  return out;
}

Status validate_plan(const Order& order, const std::vector<InstallmentPlan>& plan) {
  FieldErrors errors;
  if (plan.empty()) errors.add("installments", "a schedule needs at least one installment");
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    auto at = [i](const char* field) { return "installments[" + std::to_string(i) + "]." + field; };
    const InstallmentPlan& p = plan[i];
    if (p.due_at.ms == 0) errors.add(at("due_at"), "required");
    else if (i > 0 && p.due_at <= plan[i - 1].due_at)
      errors.add(at("due_at"), "must be after the due date of installment " + std::to_string(i));
    if (p.amount.minor <= 0) errors.add(at("amount"), "must be positive");
    if (!p.amount.currency.empty() && p.amount.currency != order.currency)
      errors.add(at("currency"), "'" + p.amount.currency + "' is not the order's currency " + order.currency);
    sum += p.amount.minor;
  }
  if (!plan.empty() && sum != order.total_minor)
    errors.add("installments", "add up to " + format_amount(sum) + " " + order.currency + "; the order total is " +
                                   format_amount(order.total_minor));
  return errors.to_status("payment schedule");
}

Result<Order> order_or_not_found(EngineState& s, Id order_id) {
  SC_ASSIGN_OR_RETURN(auto o, store::load_order(*s.conn, order_id));
  if (!o) return not_found("order", order_id);
  return std::move(*o);
}

}  // namespace

Result<PaymentSchedule> PaymentService::set_schedule(const Actor& actor, Id order_id,
                                                     const std::vector<InstallmentPlan>& plan) {
  return write<PaymentSchedule>(*s_, [&]() -> Result<PaymentSchedule> {
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "schedule payments of", "order", order_id));
    if (order.status == OrderStatus::kCancelled)
      return Status::failed_precondition("order " + order.number + " is cancelled; there is nothing to pay");
    SC_RETURN_IF_ERROR(validate_plan(order, plan));
    const Instant now = s_->now();
    SC_ASSIGN_OR_RETURN(auto previous, store::current_schedule(*s_->conn, order_id));
    if (previous) {
      SC_RETURN_IF_ERROR(store::mark_schedule_replaced(*s_->conn, previous->id, now));
      // The old installments' reminders are about terms that no longer hold.
      SC_ASSIGN_OR_RETURN(auto old, store::installments_of_schedule(*s_->conn, previous->id));
      for (const auto& i : old)
        SC_RETURN_IF_ERROR(close_rule_tasks(*s_, actor, "installment", i.id, "installment.", TaskStatus::kCancelled));
    }
    store::ScheduleRow row{0, order_id, now};
    SC_ASSIGN_OR_RETURN(row.id, store::insert_schedule(*s_->conn, order_id, now));
    Instant term_start = now;
    for (std::size_t i = 0; i < plan.size(); ++i) {
      store::InstallmentRow r;
      r.schedule_id = row.id;
      r.order_id = order_id;
      r.number = static_cast<int>(i) + 1;
      r.term_start = term_start;
      r.due_at = plan[i].due_at;
      r.amount = Money{plan[i].amount.minor, order.currency};
      reminder_moments(r);
      SC_ASSIGN_OR_RETURN(r.id, store::insert_installment(*s_->conn, r));
      term_start = r.due_at;
    }
    SC_ASSIGN_OR_RETURN(PaymentSchedule view, schedule_view(*s_, row, order.currency));
    std::string payload = fields_of(view).to_json();
    payload.pop_back();
    payload += ",\"replaced_schedule_id\":" + (previous ? std::to_string(previous->id) : std::string("null")) + "}";
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "payment_schedule.set", "payment_schedule", row.id, payload));
    SC_RETURN_IF_ERROR(settle_installments(*s_, actor, order_id));
    return schedule_view(*s_, row, order.currency);
  });
}

Result<PaymentSchedule> PaymentService::schedule(const Actor& actor, Id order_id) {
  return read<PaymentSchedule>(*s_, [&]() -> Result<PaymentSchedule> {
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "order", order_id));
    SC_ASSIGN_OR_RETURN(auto row, store::current_schedule(*s_->conn, order_id));
    if (!row) return Status::not_found("order " + order.number + " has no payment schedule");
    return schedule_view(*s_, *row, order.currency);
  });
}

Result<Saved<Payment>> PaymentService::record(const Actor& actor, Payment p) {
  return write<Saved<Payment>>(*s_, [&]() -> Result<Saved<Payment>> {
    if (!p.source.empty() && !p.external_id.empty()) {
      SC_ASSIGN_OR_RETURN(auto existing, store::payment_id_by_source(*s_->conn, p.source, p.external_id));
      if (existing) {
        SC_ASSIGN_OR_RETURN(auto same, store::load_payment(*s_->conn, *existing));
        if (!same) return not_found("payment", *existing);
        SC_ASSIGN_OR_RETURN(Order paid_order, order_or_not_found(*s_, same->order_id));
        SC_RETURN_IF_ERROR(check_order_access(*s_, actor, paid_order, "read", "payment", same->id));
        return Saved<Payment>{std::move(*same), WriteOutcome::kUnchanged, {}};
      }
    }
    const Instant now = s_->now();
    FieldErrors errors;
    std::optional<Order> order;
    if (p.order_id == 0) {
      errors.add("order_id", "required");
    } else {
      SC_ASSIGN_OR_RETURN(order, store::load_order(*s_->conn, p.order_id));
      if (!order) errors.add("order_id", "order " + std::to_string(p.order_id) + " does not exist");
      else if (order->status == OrderStatus::kCancelled)
        errors.add("order_id", "order " + order->number + " is cancelled");
    }
    if (order && p.amount.currency.empty()) p.amount.currency = order->currency;
    if (order && p.amount.currency != order->currency)
      errors.add("currency", "'" + p.amount.currency + "' is not the order's currency " + order->currency);
    if (p.amount.minor <= 0) errors.add("amount", "must be positive");
    if (p.received_at.ms == 0) p.received_at = now;
    if (p.received_at > now) errors.add("received_at", "cannot be in the future");
    SC_RETURN_IF_ERROR(errors.to_status("payment"));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, *order, "record a payment on", "order", order->id));
    // An overpayment is refused rather than kept as credit: money the engine cannot
    // place on an order would sit outside every receivable and every report. The balance
    // read here holds to the insert below across processes: one write transaction at a
    // time per database (see refund_service.cpp; OrderMoneyRaceTest).
    SC_ASSIGN_OR_RETURN(std::int64_t paid, store::paid_on_order(*s_->conn, order->id));
    const std::int64_t open = order->total_minor - paid;
    if (p.amount.minor > open)
      return Status::invalid("a payment of " + format_amount(p.amount.minor) + " " + p.amount.currency +
                                 " exceeds the open balance " + format_amount(open) + " of order " + order->number +
                                 "; record the excess against another order or return it",
                             {{"amount", "exceeds the open balance " + format_amount(open)}});
    p.client_id = order->client_id;
    p.recorded_by = actor.user_id;
    p.created_at = now;
    SC_ASSIGN_OR_RETURN(p.id, store::insert_payment(*s_->conn, p));
    SC_RETURN_IF_ERROR(kpi_payment_received(*s_, p, order->owner_id));
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "payment.received", "payment", p.id, fields_of(p).to_json()));
    SC_RETURN_IF_ERROR(settle_installments(*s_, actor, order->id));
    return Saved<Payment>{std::move(p), WriteOutcome::kCreated, {}};
  });
}

Result<Payment> PaymentService::get(const Actor& actor, Id id) {
  return read<Payment>(*s_, [&]() -> Result<Payment> {
    SC_ASSIGN_OR_RETURN(auto p, store::load_payment(*s_->conn, id));
    if (!p) return not_found("payment", id);
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, p->order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "payment", id));
    return std::move(*p);
  });
}

namespace {
// Payments of the orders the actor may see.
std::string visible_payments(const detail::Scope& scope) {
  std::string orders = scope.condition("owner_id", "source");
  return orders.empty() ? "" : "order_id IN (SELECT id FROM orders WHERE " + orders + ")";
}
}  // namespace

Result<std::vector<Payment>> PaymentService::find(const Actor& actor, const PaymentQuery& query) {
  return read<std::vector<Payment>>(*s_, [&]() -> Result<std::vector<Payment>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_payments(*s_->conn, query, visible_payments(scope));
  });
}

Result<std::int64_t> PaymentService::count(const Actor& actor, const PaymentQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_payments(*s_->conn, query, visible_payments(scope));
  });
}

Result<std::vector<ReceivablesLine>> PaymentService::receivables(const Actor& actor, const ReceivablesQuery& query) {
  return read<std::vector<ReceivablesLine>>(*s_, [&]() -> Result<std::vector<ReceivablesLine>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    // Debt follows the client card: a manager sees the receivables of their clients.
    return store::receivables(*s_->conn, query, query.at.value_or(s_->now()),
                              scope.condition("c.owner_id", "c.source", "c.assistant_id"));
  });
}

}  // namespace salescore
