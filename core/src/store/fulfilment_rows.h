// Rows of what left with each shipment (shipment_lines) and which contract covers an
// order (contract_orders), migration 24.
#pragma once
#include <map>
#include <optional>
#include <vector>

#include "salescore/fulfilment.h"
#include "store/sql.h"

namespace salescore::store {

// Replaces the shipment's lines with `lines` (their `line` numbers resolved).
Status replace_shipment_lines(Connection& c, Id shipment_id, const std::vector<ShippedLine>& lines);
// In line order.
Result<std::vector<ShippedLine>> load_shipment_lines(Connection& c, Id shipment_id);

// What the order's shipments that are not cancelled hold per line, but for shipment
// `except` (0: none left out): line number -> quantity, split by whether it has left.
struct LineQuantities {
  std::map<int, Quantity> shipped;  // shipments shipped or delivered
  std::map<int, Quantity> planned;  // shipments still planned
};
Result<LineQuantities> shipped_per_line(Connection& c, Id order_id, Id except);

// Replaces the orders the contract covers.
Status replace_contract_orders(Connection& c, Id contract_id, const std::vector<Id>& order_ids);
Result<std::vector<Id>> load_contract_orders(Connection& c, Id contract_id);
// The contract covering the order, if one does.
Result<std::optional<Id>> contract_covering(Connection& c, Id order_id);

}  // namespace salescore::store
