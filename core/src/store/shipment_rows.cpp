#include "store/shipment_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"order_id", "planned_at", "shipped_at", "delivered_at", "status",
                                        "notes",    "created_at", "updated_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

std::optional<std::int64_t> opt_ms(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(t->ms) : std::nullopt;
}

void bind_shipment(Statement& st, const Shipment& s) {
  st.bind_all(s.order_id, s.planned_at.ms, opt_ms(s.shipped_at), opt_ms(s.delivered_at),
              std::string(shipment_status_name(s.status)), s.notes, s.created_at.ms, s.updated_at.ms);
}

Shipment map_shipment(Statement& r) {
  Shipment s;
  s.id = r.column_int(0);
  s.order_id = r.column_int(1);
  s.planned_at = Instant{r.column_int(2)};
  if (!r.column_is_null(3)) s.shipped_at = Instant{r.column_int(3)};
  if (!r.column_is_null(4)) s.delivered_at = Instant{r.column_int(4)};
  auto st = parse_shipment_status(r.column_text(5));
  s.status = st.ok() ? *st : ShipmentStatus::kPlanned;
  s.notes = r.column_text(6);
  s.created_at = Instant{r.column_int(7)};
  s.updated_at = Instant{r.column_int(8)};
  return s;
}
}  // namespace

Result<Id> insert_shipment(Connection& c, const Shipment& s) {
  SC_ASSIGN_OR_RETURN(Statement * st, c.prepare(c.dialect().placeholders(c.dialect().insert("shipments", kCols))));
  StatementUse use(*st);
  bind_shipment(*st, s);
  SC_RETURN_IF_ERROR(st->run());
  return c.last_insert_id();
}

Status update_shipment(Connection& c, const Shipment& s) {
  SC_ASSIGN_OR_RETURN(Statement * st,
                      c.prepare(c.dialect().placeholders(c.dialect().update("shipments", kCols, "id = ?"))));
  StatementUse use(*st);
  bind_shipment(*st, s);
  st->bind_int(static_cast<int>(kCols.size()) + 1, s.id);
  return st->run();
}

Result<std::optional<Shipment>> load_shipment(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * st,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "shipments", "id = ?"))));
  StatementUse use(*st);
  st->bind_all(id);
  return map_first<Shipment>(*st, map_shipment);
}

namespace {
Filter shipment_filter(const ShipmentQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("order_id", q.order_id);
  if (q.status) f.add("status = ?", {std::string(shipment_status_name(*q.status))});
  if (q.from) f.add("planned_at >= ?", {q.from->ms});
  if (q.to) f.add("planned_at < ?", {q.to->ms});
  return f;
}
}  // namespace

Result<std::vector<Shipment>> find_shipments(Connection& c, const ShipmentQuery& q, const std::string& visible) {
  Filter f = shipment_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * st, c.prepare(c.dialect().placeholders(
                                          c.dialect().select(select_cols(), "shipments", f.where(), "id", true))));
  StatementUse use(*st);
  st->bind_int(f.bind(*st), limit_value(q.page));
  return map_rows<Shipment>(*st, map_shipment);
}

Result<std::int64_t> count_shipments(Connection& c, const ShipmentQuery& q, const std::string& visible) {
  Filter f = shipment_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM shipments" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Shipment>> shipments_of_order(Connection& c, Id order_id) {
  SC_ASSIGN_OR_RETURN(Statement * st, c.prepare(c.dialect().placeholders(c.dialect().select(
                                          select_cols(), "shipments", "order_id = ?", "planned_at, id"))));
  StatementUse use(*st);
  st->bind_all(order_id);
  return map_rows<Shipment>(*st, map_shipment);
}

}  // namespace salescore::store
