// Column reads (salescore/columns.h): the same scope conditions as each entity's find(),
// so a manager's DataFrame holds exactly the rows their find() would yield.
#include "salescore/columns.h"

#include "engine/engine_state.h"
#include "model/contact_points.h"
#include "rules/access.h"
#include "store/column_rows.h"

namespace salescore {

using namespace detail;

Result<ColumnTable> ColumnService::orders(const Actor& actor, const OrderQuery& query) {
  return read<ColumnTable>(*s_, [&]() -> Result<ColumnTable> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::order_columns(*s_->conn, query, scope.condition("owner_id", "source"));
  });
}

Result<ColumnTable> ColumnService::clients(const Actor& actor, const ClientQuery& query) {
  // A phone or e-mail filter is written however the caller likes; stored ones are normalized.
  ClientQuery q = query;
  if (q.phone) {
    auto p = normalize_phone(*q.phone, s_->config.phone_region);
    if (!p.ok()) return Status::invalid(p.status().message(), {{"phone", p.status().message()}});
    q.phone = *p;
  }
  if (q.email) q.email = search_key(*q.email);
  return read<ColumnTable>(*s_, [&]() -> Result<ColumnTable> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::client_columns(*s_->conn, q, scope.condition("owner_id", "source", "assistant_id"));
  });
}

Result<ColumnTable> ColumnService::interactions(const Actor& actor, const InteractionQuery& query) {
  return read<ColumnTable>(*s_, [&]() -> Result<ColumnTable> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::interaction_columns(*s_->conn, query, activity_condition(scope, "user_id", "source"));
  });
}

Result<ColumnTable> ColumnService::payments(const Actor& actor, const PaymentQuery& query) {
  return read<ColumnTable>(*s_, [&]() -> Result<ColumnTable> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    std::string orders = scope.condition("owner_id", "source");
    return store::payment_columns(*s_->conn, query,
                                  orders.empty() ? "" : "order_id IN (SELECT id FROM orders WHERE " + orders + ")");
  });
}

}  // namespace salescore
