// An order record's "refunded": the total a shop says it has refunded of the order so far
// (a running total, not one refund). The host records the part salescore does not hold
// yet as a refund (salescore/refunds.h), so a repeated or stale delivery adds nothing and
// a partial refund moves the sales KPIs in the period it is learnt.
#pragma once

#include <optional>
#include <string>

#include "salescore/engine.h"

namespace salescore::plugins {

// Inside the record's transaction, after the order is saved: records as a refund what
// `refunded_minor` adds to the refunds the order has. The shop's total may count shipping
// and tax, which salescore's order total (its lines) does not: what is refunded beyond
// that total was never counted as a sale, so it is kept verbatim (the order's custom
// fields) and not recorded. A total lower than what salescore holds takes nothing back.
Status record_shop_refunds(Engine& e, const Actor& a, const std::string& source, Id order_id,
                          std::int64_t refunded_minor, std::optional<Instant> refunded_at);

}  // namespace salescore::plugins
