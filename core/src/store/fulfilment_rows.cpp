#include "store/fulfilment_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {

Status run_with(Connection& c, const std::string& sql, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * st, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*st);
  st->bind_all(id);
  return st->run();
}

Result<std::vector<Id>> ids_of(Connection& c, const std::string& sql, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * st, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*st);
  st->bind_all(id);
  return map_rows<Id>(*st, [](Statement& r) { return r.column_int(0); });
}

}  // namespace

Status replace_shipment_lines(Connection& c, Id shipment_id, const std::vector<ShippedLine>& lines) {
  SC_RETURN_IF_ERROR(run_with(c, "DELETE FROM shipment_lines WHERE shipment_id = ?", shipment_id));
  if (lines.empty()) return Status::ok();
  static const MultiRowInsert insert{"shipment_lines", {"shipment_id", "line_no", "sku", "quantity_milli"}};
  return insert_rows(c, insert, lines.size(), [&](Statement& st, int first, std::size_t i) {
    st.bind_from(first, shipment_id, std::int64_t{lines[i].line}, lines[i].sku, lines[i].quantity.milli);
  });
}

Result<std::vector<ShippedLine>> load_shipment_lines(Connection& c, Id shipment_id) {
  SC_ASSIGN_OR_RETURN(Statement * st, c.prepare(c.dialect().placeholders(
                                          "SELECT line_no, sku, quantity_milli FROM shipment_lines "
                                          "WHERE shipment_id = ? ORDER BY line_no")));
  StatementUse use(*st);
  st->bind_all(shipment_id);
  return map_rows<ShippedLine>(*st, [](Statement& r) {
    return ShippedLine{static_cast<int>(r.column_int(0)), r.column_text(1), Quantity{r.column_int(2)}};
  });
}

Result<LineQuantities> shipped_per_line(Connection& c, Id order_id, Id except) {
  SC_ASSIGN_OR_RETURN(Statement * st,
                      c.prepare(c.dialect().placeholders(
                          "SELECT l.line_no, s.status, SUM(l.quantity_milli) FROM shipment_lines l "
                          "JOIN shipments s ON s.id = l.shipment_id "
                          "WHERE s.order_id = ? AND s.status <> 'cancelled' AND l.shipment_id <> ? "
                          "GROUP BY l.line_no, s.status")));
  StatementUse use(*st);
  st->bind_all(order_id, except);
  LineQuantities out;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, st->step());
    if (!row) break;
    const int line = static_cast<int>(st->column_int(0));
    auto& into = st->column_text(1) == "planned" ? out.planned : out.shipped;
    into[line].milli += st->column_int(2);
  }
  return out;
}

Status replace_contract_orders(Connection& c, Id contract_id, const std::vector<Id>& order_ids) {
  SC_RETURN_IF_ERROR(run_with(c, "DELETE FROM contract_orders WHERE contract_id = ?", contract_id));
  if (order_ids.empty()) return Status::ok();
  static const MultiRowInsert insert{"contract_orders", {"order_id", "contract_id"}};
  return insert_rows(c, insert, order_ids.size(), [&](Statement& st, int first, std::size_t i) {
    st.bind_from(first, order_ids[i], contract_id);
  });
}

Result<std::vector<Id>> load_contract_orders(Connection& c, Id contract_id) {
  return ids_of(c, "SELECT order_id FROM contract_orders WHERE contract_id = ? ORDER BY order_id", contract_id);
}

Result<std::optional<Id>> contract_covering(Connection& c, Id order_id) {
  SC_ASSIGN_OR_RETURN(auto ids, ids_of(c, "SELECT contract_id FROM contract_orders WHERE order_id = ?", order_id));
  if (ids.empty()) return std::optional<Id>();
  return std::optional<Id>(ids.front());
}

}  // namespace salescore::store
