// Rows of orders with their lines, and of deals.
#pragma once
#include <functional>
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_order(Connection& c, const Order& o);
// Rewrites the order row; rewrites the lines only when `lines_changed`.
Status update_order(Connection& c, const Order& o, bool lines_changed);
Result<std::optional<Order>> load_order(Connection& c, Id id);
Result<std::optional<Id>> order_id_by_source(Connection& c, const std::string& source, const std::string& external_id);
Result<std::vector<Order>> find_orders(Connection& c, const OrderQuery& q);
Result<std::int64_t> count_orders(Connection& c, const OrderQuery& q);
// Streams all orders in id order, reading lines in one pass alongside.
Status each_order(Connection& c, const std::function<bool(const Order&)>& visit);

Result<Id> insert_deal(Connection& c, const Deal& d);
Status update_deal(Connection& c, const Deal& d);
Result<std::optional<Deal>> load_deal(Connection& c, Id id);
Result<std::vector<Deal>> find_deals(Connection& c, const DealQuery& q);
}  // namespace salescore::store
