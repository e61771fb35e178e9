// Refunds of orders (salescore/refunds.h): kept against the order, never more than what
// is left unrefunded, idempotent by (order, reference), and counted against the order's
// sales in the period of the refund (kpi/kpi_hook.h). Access is the order's.
#include "salescore/refunds.h"

#include "engine/engine_registry.h"
#include "engine/payment_rules.h"
#include "engine/record_writes.h"
#include "store/order_rows.h"
#include "store/refund_rows.h"

namespace salescore {
using namespace detail;

namespace {

Result<Order> refunded_order(EngineState& s, Id order_id) {
  SC_ASSIGN_OR_RETURN(auto o, store::load_order(*s.conn, order_id));
  if (!o) return not_found("order", order_id);
  return std::move(*o);
}

std::int64_t sum_of(const std::vector<Refund>& refunds) {
  std::int64_t sum = 0;
  for (const auto& r : refunds) sum += r.amount.minor;
  return sum;
}

}  // namespace

RefundService refunds(Engine& engine) { return RefundService(state_of(engine)); }

Result<Saved<Refund>> RefundService::refund(const Actor& actor, Refund r) {
  return write<Saved<Refund>>(*s_, [&]() -> Result<Saved<Refund>> {
    if (r.order_id == 0)
      return Status::invalid("refund: order_id is required", {{"order_id", "required"}});
    SC_ASSIGN_OR_RETURN(Order order, refunded_order(*s_, r.order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "refund", "order", order.id));
    const Instant now = s_->now();
    FieldErrors errors;
    if (r.reference.empty()) errors.add("reference", "required: a refund is recorded once per reference");
    if (r.amount.currency.empty()) r.amount.currency = order.currency;
    if (r.amount.currency != order.currency)
      errors.add("currency", "'" + r.amount.currency + "' is not the order's currency " + order.currency);
    if (r.amount.minor <= 0) errors.add("amount", "must be positive");
    if (r.refunded_at.ms == 0) r.refunded_at = now;
    if (r.refunded_at > now) errors.add("refunded_at", "cannot be in the future");
    SC_RETURN_IF_ERROR(errors.to_status("refund"));
    SC_ASSIGN_OR_RETURN(auto same, store::refund_by_reference(*s_->conn, order.id, r.reference));
    if (same) {
      // The same refund told again (a retry, a repeated delivery): nothing more is taken.
      if (same->amount.minor == r.amount.minor) return Saved<Refund>{std::move(*same), WriteOutcome::kUnchanged, {}};
      return Status(Code::kFailedPrecondition,
                    "order " + order.number + " already has a refund of " + format_amount(same->amount.minor) + " " +
                        order.currency + " under reference '" + r.reference + "'; this one is " +
                        format_amount(r.amount.minor) + ": give the new refund a reference of its own",
                    {{"reference", "already used for a refund of " + format_amount(same->amount.minor)}});
    }
    // What is left is read and the refund written in one write transaction, and write
    // transactions run one at a time per database (SQLite's BEGIN IMMEDIATE, PostgreSQL's
    // writer lock at BEGIN: PgConnection::begin_write), also across processes: a second
    // refund of the order at the same moment sees this one. OrderMoneyRaceTest holds it.
    SC_ASSIGN_OR_RETURN(auto earlier, store::refunds_of_order(*s_->conn, order.id));
    const std::int64_t left = order.total_minor - sum_of(earlier);
    if (r.amount.minor > left)
      return Status::invalid("a refund of " + format_amount(r.amount.minor) + " " + order.currency + " on order " +
                                 order.number + " (id " + std::to_string(order.id) + ") exceeds what is left to " +
                                 "refund: " + format_amount(left) + " of its total " +
                                 format_amount(order.total_minor) + " (" + format_amount(order.total_minor - left) +
                                 " refunded already)",
                             {{"amount", "exceeds the " + format_amount(left) + " left to refund"}});
    r.recorded_by = actor.user_id;
    r.created_at = now;
    SC_ASSIGN_OR_RETURN(r.id, store::insert_refund(*s_->conn, r));
    SC_RETURN_IF_ERROR(kpi_refunded(*s_, order, r.refunded_at, r.amount.minor));
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "order.refunded", "order", order.id, fields_of(r).to_json()));
    return Saved<Refund>{std::move(r), WriteOutcome::kCreated, {}};
  });
}

Result<OrderRefunds> RefundService::of_order(const Actor& actor, Id order_id) {
  return read<OrderRefunds>(*s_, [&]() -> Result<OrderRefunds> {
    SC_ASSIGN_OR_RETURN(Order order, refunded_order(*s_, order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "order", order.id));
    OrderRefunds out;
    out.order_id = order.id;
    out.currency = order.currency;
    out.total_minor = order.total_minor;
    SC_ASSIGN_OR_RETURN(out.refunds, store::refunds_of_order(*s_->conn, order.id));
    out.refunded_minor = sum_of(out.refunds);
    return out;
  });
}

FieldList fields_of(const Refund& r) {
  FieldList f;
  f.number("id", r.id);
  f.number("order_id", r.order_id);
  f.amount("amount", r.amount.minor);
  f.string("currency", r.amount.currency);
  f.instant("refunded_at", r.refunded_at);
  f.string("reason", r.reason);
  f.string("reference", r.reference);
  f.id("recorded_by", r.recorded_by);
  f.instant("created_at", r.created_at);
  return f;
}

FieldList fields_of(const OrderRefunds& o) {
  FieldList f;
  f.number("order_id", o.order_id);
  f.string("currency", o.currency);
  f.amount("total", o.total_minor);
  f.amount("refunded", o.refunded_minor);
  f.amount("left", o.total_minor - o.refunded_minor);
  std::string list = "[";
  for (std::size_t i = 0; i < o.refunds.size(); ++i) list += (i ? "," : "") + fields_of(o.refunds[i]).to_json();
  f.json("refunds", list + "]");
  return f;
}

}  // namespace salescore
