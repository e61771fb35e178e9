// Reads selected columns of a table into typed buffers (salescore/columns.h). Each row
// mapper names its columns and filter; this file only runs the statement and fills.
#pragma once

#include <string>
#include <vector>

#include "salescore/columns.h"
#include "store/row_helpers.h"

namespace salescore::store {

struct ColumnDef {
  std::string name;  // as the caller sees it
  std::string sql;   // the column or expression selected
  ColumnKind kind = ColumnKind::kInt;
  bool nullable = false;
};

// SELECT the defs FROM table WHERE filter AND id > page.after_id ORDER BY id LIMIT page.limit.
Result<ColumnTable> select_columns(Connection& c, const std::string& table, const std::vector<ColumnDef>& defs,
                                   Filter filter, const Page& page);

Result<ColumnTable> order_columns(Connection& c, const OrderQuery& q, const std::string& visible);
Result<ColumnTable> client_columns(Connection& c, const ClientQuery& q, const std::string& visible);
Result<ColumnTable> interaction_columns(Connection& c, const InteractionQuery& q, const std::string& visible);
Result<ColumnTable> payment_columns(Connection& c, const PaymentQuery& q, const std::string& visible);

}  // namespace salescore::store
