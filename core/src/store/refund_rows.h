// Rows of order_refunds (migration 28): the refunds of an order (salescore/refunds.h).
#pragma once

#include <optional>
#include <vector>

#include "salescore/refunds.h"
#include "store/sql.h"

namespace salescore::store {

Result<Id> insert_refund(Connection& c, const Refund& r);
// The order's refund under `reference`, if it has one.
Result<std::optional<Refund>> refund_by_reference(Connection& c, Id order_id, const std::string& reference);
// The order's refunds, oldest first.
Result<std::vector<Refund>> refunds_of_order(Connection& c, Id order_id);

}  // namespace salescore::store
