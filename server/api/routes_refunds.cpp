// /api/v1/orders/{id}/refunds: money given back on an order. The rules (what is left to
// refund, one refund per reference) and the access (the order's) are the engine's
// RefundService, as for Python.
#include "api/routes_refunds.h"

#include "salescore/refunds.h"

namespace salescore::cli {
namespace {

const Fields kRefund = pick(schema("Refund"), {"amount", "currency", "refunded_at", "reason", "reference"},
                            {"amount", "reference"});

HttpReply list(ApiCall& call) { return record_reply(refunds(call.engine).of_order(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kRefund, "refund",
      [&](BodyReader& b) {
        Refund r;
        r.order_id = call.id;
        if (!b.has("amount")) b.error("amount", "required");
        if (!b.has("reference")) b.error("reference", "required");
        r.amount = b.money("amount", "currency").value_or(Money{});
        r.refunded_at = b.instant("refunded_at").value_or(Instant{});
        r.reason = b.text("reason").value_or("");
        r.reference = b.text("reference").value_or("");
        return r;
      },
      [&](const Refund& r) { return refunds(call.engine).refund(call.actor, r); }, 201);
}

}  // namespace

void add_refund_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/orders/{id}/refunds",
                 .summary = "The order's refunds, oldest first, with its total, what is refunded and what is left",
                 .handler = list, .reply = Reply::record("OrderRefunds")});
  out.push_back({.method = "POST", .pattern = "/api/v1/orders/{id}/refunds",
                 .summary = "Record a refund of the order (at most what is left unrefunded; the same reference "
                            "again is the same refund)",
                 .handler = create, .fields = kRefund, .success_status = 201, .reply = Reply::record("Refund")});
}

}  // namespace salescore::cli
