// Orders of one source paid by one payment transaction (an order record's
// "payment_reference": a shop's transaction id) are flagged: each of them gets the custom
// field "payment_shared_with" listing the others' external ids, so a double charge
// recorded twice or a payment reused for a second order is seen on the orders themselves.
#pragma once

#include <string>
#include <vector>

#include "salescore/engine.h"

namespace salescore::plugins {

inline constexpr const char* kPaymentSharedWith = "payment_shared_with";

// Notes the order's reference (ConnectorIngestService) and, when other orders of the
// source share it, flags `order` (not saved yet) with them. Returns those others.
Result<std::vector<std::string>> note_order_payment(Engine& e, const std::string& source,
                                                    const std::string& external_id, const std::string& reference,
                                                    Order& order);
// After the order is saved: adds `external_id` to the flag of each of `others` (orders
// of `source` that exist; one not applied yet is flagged when it comes).
Status flag_orders_sharing_payment(Engine& e, const Actor& a, const std::string& source,
                                   const std::vector<std::string>& others, const std::string& external_id);

}  // namespace salescore::plugins
