// Rows of orders with their lines.
#pragma once
#include <functional>
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/deal_rows.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_order(Connection& c, const Order& o);
// Rewrites the order row; rewrites the lines only when `lines_changed`.
Status update_order(Connection& c, const Order& o, bool lines_changed);
Result<std::optional<Order>> load_order(Connection& c, Id id);
Result<std::optional<Id>> order_id_by_source(Connection& c, const std::string& source, const std::string& external_id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Order>> find_orders(Connection& c, const OrderQuery& q, const std::string& visible = "");
Result<std::int64_t> count_orders(Connection& c, const OrderQuery& q, const std::string& visible = "");
// Streams all orders in id order, reading lines in one pass alongside.
Status each_order(Connection& c, const std::function<bool(const Order&)>& visit, const std::string& visible = "");

}  // namespace salescore::store
