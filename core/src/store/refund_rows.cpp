#include "store/refund_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {

const std::vector<std::string> kRefundCols = {"order_id", "amount_minor", "currency",    "refunded_at",
                                              "reason",   "reference",    "recorded_by", "created_at"};
const std::vector<std::string> kRefundRow = {"id",     "order_id",  "amount_minor", "currency",  "refunded_at",
                                             "reason", "reference", "recorded_by",  "created_at"};

Refund map_refund(Statement& r) {
  Refund out;
  out.id = r.column_int(0);
  out.order_id = r.column_int(1);
  out.amount = Money{r.column_int(2), r.column_text(3)};
  out.refunded_at = Instant{r.column_int(4)};
  out.reason = r.column_text(5);
  out.reference = r.column_text(6);
  out.recorded_by = r.column_int(7);
  out.created_at = Instant{r.column_int(8)};
  return out;
}

}  // namespace

Result<Id> insert_refund(Connection& c, const Refund& r) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("order_refunds", kRefundCols))));
  StatementUse use(*s);
  s->bind_all(r.order_id, r.amount.minor, r.amount.currency, r.refunded_at.ms, r.reason, r.reference,
              null_if_zero(r.recorded_by), r.created_at.ms);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Result<std::optional<Refund>> refund_by_reference(Connection& c, Id order_id, const std::string& reference) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         kRefundRow, "order_refunds", "order_id = ? AND reference = ?"))));
  StatementUse use(*s);
  s->bind_all(order_id, reference);
  return map_first<Refund>(*s, map_refund);
}

Result<std::vector<Refund>> refunds_of_order(Connection& c, Id order_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         kRefundRow, "order_refunds", "order_id = ?", "refunded_at, id"))));
  StatementUse use(*s);
  s->bind_all(order_id);
  return map_rows<Refund>(*s, map_refund);
}

}  // namespace salescore::store
