// Money given back on an order: a refund, partial or whole.
//
// A refund is kept against its order (amount in the order's currency, when, why, and the
// reference it came under) and lowers the order's sales figures in the period of the
// refund (docs/kpi.md, "Refunds"). A cancelled order counts for nothing in the sales
// KPIs, so its refunds do not either: a full refund that cancels the order is never
// subtracted twice (docs/rules.md, "Refunds").
//
// Kept in a header of its own (not engine.h) so that adding it did not recompile every
// file: the service is handed out by refunds(engine), not by an Engine member.
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#pragma once

#include <string>
#include <vector>

#include "salescore/engine.h"
#include "salescore/record_fields.h"

namespace salescore {

struct Refund {
  Id id = 0;
  Id order_id = 0;
  Money amount;  // in the order's currency, above zero
  Instant refunded_at;
  std::string reason;
  // What the refund came under (a shop's refund id, a credit note's number): a second
  // refund of the same order under the same reference is the same refund.
  std::string reference;
  Id recorded_by = 0;
  Instant created_at;
  bool operator==(const Refund&) const = default;
};

// What is refunded of an order so far.
struct OrderRefunds {
  Id order_id = 0;
  std::string currency;
  std::int64_t total_minor = 0;     // the order's total
  std::int64_t refunded_minor = 0;  // the sum of its refunds
  std::vector<Refund> refunds;      // oldest first
};

class RefundService {
 public:
  explicit RefundService(detail::EngineState* s) : s_(s) {}

  // Records a refund of `r.order_id`. The reference is required; a refund the order
  // already has under that reference is returned unchanged (kUnchanged) when it is the
  // same amount, and refused when it is not. The amount must be above zero, in the
  // order's currency (empty: the order's), and at most what is left unrefunded of the
  // order's total: more is refused naming the order and both amounts, and nothing is
  // written. refunded_at defaults to now and cannot be in the future. Checked like the
  // order ("refund" on it); a refusal is audited.
  Result<Saved<Refund>> refund(const Actor& actor, Refund r);
  // The order's refunds and what they add up to; checked like reading the order.
  Result<OrderRefunds> of_order(const Actor& actor, Id order_id);

 private:
  detail::EngineState* s_;
};

// The engine's refund service (valid while the engine lives).
RefundService refunds(Engine& engine);

FieldList fields_of(const Refund& r);
FieldList fields_of(const OrderRefunds& o);

}  // namespace salescore
