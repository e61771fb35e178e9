// Rows of shipments.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_shipment(Connection& c, const Shipment& s);
Status update_shipment(Connection& c, const Shipment& s);
Result<std::optional<Shipment>> load_shipment(Connection& c, Id id);
// By planned date, then id.
Result<std::vector<Shipment>> shipments_of_order(Connection& c, Id order_id);
Result<std::vector<Shipment>> find_shipments(Connection& c, const ShipmentQuery& q, const std::string& visible);
Result<std::int64_t> count_shipments(Connection& c, const ShipmentQuery& q, const std::string& visible);
}  // namespace salescore::store
