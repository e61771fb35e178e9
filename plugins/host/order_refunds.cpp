#include "host/order_refunds.h"

#include <algorithm>

#include "salescore/refunds.h"

namespace salescore::plugins {

Status record_shop_refunds(Engine& e, const Actor& a, const std::string& source, Id order_id,
                           std::int64_t refunded_minor, std::optional<Instant> refunded_at) {
  SC_ASSIGN_OR_RETURN(OrderRefunds held, refunds(e).of_order(a, order_id));
  const std::int64_t upto = std::min(refunded_minor, held.total_minor);
  if (upto <= held.refunded_minor) return Status::ok();
  Refund r;
  r.order_id = order_id;
  r.amount = Money{upto - held.refunded_minor, held.currency};
  // Named by the running total it brings the order to: the same total told again is the
  // same refund (RefundService keeps one per reference).
  r.reference = source + ":refunded:" + format_amount(upto);
  r.reason = source + " refunded " + format_amount(refunded_minor) + " " + held.currency + " in all";
  if (refunded_at) r.refunded_at = std::min(*refunded_at, e.clock().now());
  return refunds(e).refund(a, std::move(r)).status();
}

}  // namespace salescore::plugins
