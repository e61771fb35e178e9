// Rows of route sales: outlet channels, route stops, must-have lists, visits and the
// stock seen at them, and the sales history the suggested order is computed from.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "salescore/routes.h"
#include "store/sql.h"

namespace salescore::store {
Status upsert_outlet_channel(Connection& c, Id client_id, const std::string& channel, Instant at);
// "" when the outlet has no profile.
Result<std::string> outlet_channel(Connection& c, Id client_id);

// Replaces the stops of (rep, weekday) with `outlet_ids` in order.
Status replace_route(Connection& c, Id rep_id, int weekday, const std::vector<Id>& outlet_ids);
Result<std::vector<Id>> route_outlets(Connection& c, Id rep_id, int weekday);

Status replace_must_have(Connection& c, const std::string& channel, const std::vector<std::string>& skus);
Result<std::vector<std::string>> must_have_skus(Connection& c, const std::string& channel);

Result<Id> insert_visit(Connection& c, const Visit& v);
// Writes the visit's columns; the stock is written by replace_visit_stock.
Status update_visit(Connection& c, const Visit& v);
Status replace_visit_stock(Connection& c, Id visit_id, const std::map<std::string, Quantity>& stock);
Result<std::optional<Visit>> load_visit(Connection& c, Id id);
Result<std::optional<Visit>> open_visit_of(Connection& c, Id rep_id);
Result<std::vector<Visit>> find_visits(Connection& c, const VisitQuery& q, const std::string& visible);
Result<std::int64_t> count_visits(Connection& c, const VisitQuery& q, const std::string& visible);

// SKU -> quantity on the outlet's orders placed in [from, to), cancelled orders left out.
Result<std::map<std::string, Quantity>> sold_to_client(Connection& c, Id client_id, Instant from, Instant to);
}  // namespace salescore::store
