#include "store/order_rows.h"
#include "store/column_rows.h"

#include "salescore/record_fields.h"
#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kOrderCols = {"number", "client_id", "deal_id", "owner_id", "status", "currency",
                                             "total_minor", "ordered_at", "source", "external_id", "created_at",
                                             "updated_at",  "custom"};
const std::vector<std::string> kLineCols = {"order_id", "line_no", "sku", "product_id", "name",
                                            "quantity_milli", "price_minor", "discount_minor", "amount_minor"};

std::vector<std::string> order_select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kOrderCols.begin(), kOrderCols.end());
  return cols;
}

// The ingest path's statements, their SQL text built once instead of on every call:
// building it (column lists joined into fresh strings) cost more per order than some
// of the inserts it prepares (bench/run ingest). Dialect::insert/select write portable
// `?` SQL whatever the dialect, so one text serves every connection; placeholders()
// still translates it per connection, as everywhere else.
const std::string& insert_order_sql(const Dialect& d) {
  static const std::string sql = d.insert("orders", kOrderCols);
  return sql;
}
const std::string& insert_line_sql(const Dialect& d) {
  static const std::string sql = d.insert("order_lines", kLineCols);
  return sql;
}
const std::string& order_by_source_sql(const Dialect& d) {
  static const std::string sql = d.select({"id"}, "orders", "source = ? AND external_id = ?");
  return sql;
}
const std::string& order_by_id_sql(const Dialect& d) {
  static const std::string sql = d.select(order_select_cols(), "orders", "id = ?");
  return sql;
}

void bind_order(Statement& s, const Order& o) {
  s.bind_all(o.number, o.client_id, null_if_zero(o.deal_id), null_if_zero(o.owner_id),
             std::string(order_status_name(o.status)), o.currency, o.total_minor, o.ordered_at.ms,
             null_if_empty(o.source), null_if_empty(o.external_id), o.created_at.ms, o.updated_at.ms,
             o.custom.empty() ? std::string("{}") : json_of(o.custom));
}

Order map_order(Statement& s) {
  Order o;
  o.id = s.column_int(0);
  o.number = s.column_text(1);
  o.client_id = s.column_int(2);
  o.deal_id = s.column_int(3);
  o.owner_id = s.column_int(4);
  auto st = parse_order_status(s.column_text(5));
  o.status = st.ok() ? *st : OrderStatus::kNew;
  o.currency = s.column_text(6);
  o.total_minor = s.column_int(7);
  o.ordered_at = Instant{s.column_int(8)};
  o.source = s.column_text(9);
  o.external_id = s.column_text(10);
  o.created_at = Instant{s.column_int(11)};
  o.updated_at = Instant{s.column_int(12)};
  o.custom = parse_string_map(s.column_text(13));
  return o;
}

OrderLine map_line(Statement& s, int first) {
  OrderLine l;
  l.sku = s.column_text(first);
  l.product_id = s.column_int(first + 1);
  l.name = s.column_text(first + 2);
  l.quantity = Quantity{s.column_int(first + 3)};
  l.price_minor = s.column_int(first + 4);
  l.discount_minor = s.column_int(first + 5);
  l.amount_minor = s.column_int(first + 6);
  return l;
}

const std::vector<std::string> kLineReadCols = {"sku", "product_id", "name", "quantity_milli", "price_minor",
                                                "discount_minor", "amount_minor"};

Status insert_lines(Connection& c, Id order_id, const std::vector<OrderLine>& lines) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(insert_line_sql(c.dialect()))));
  int line_no = 0;
  for (const auto& l : lines) {
    StatementUse use(*s);
    s->bind_all(order_id, ++line_no, l.sku, null_if_zero(l.product_id), l.name, l.quantity.milli, l.price_minor,
                l.discount_minor, l.amount_minor);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

// Built once, like the statements above.
const std::string& lines_of_order_sql(const Dialect& d) {
  static const std::string sql = d.select(kLineReadCols, "order_lines", "order_id = ?", "line_no");
  return sql;
}

Status load_lines(Connection& c, Order& o) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(lines_of_order_sql(c.dialect()))));
  StatementUse use(*s);
  s->bind_all(o.id);
  SC_ASSIGN_OR_RETURN(o.lines, map_rows<OrderLine>(*s, [](Statement& r) { return map_line(r, 0); }));
  return Status::ok();
}

Filter order_filter(const OrderQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("client_id", q.client_id);
  f.eq_if("owner_id", q.owner_id);
  f.eq_if("deal_id", q.deal_id);
  if (q.status) f.add("status = ?", {std::string(order_status_name(*q.status))});
  if (q.from) f.add("ordered_at >= ?", {q.from->ms});
  if (q.to) f.add("ordered_at < ?", {q.to->ms});
  f.eq_if("source", q.source);
  return f;
}
}  // namespace

Result<Id> insert_order(Connection& c, const Order& o) {
  // The new id comes from last_insert_id(), not from INSERT ... RETURNING id: SQLite
  // runs RETURNING through a temporary table on every execution, which cost about as
  // much as the insert itself (bench/run ingest).
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(insert_order_sql(c.dialect()))));
  Id id;
  {
    StatementUse use(*s);
    bind_order(*s, o);
    SC_RETURN_IF_ERROR(s->run());
    id = c.last_insert_id();
  }
  SC_RETURN_IF_ERROR(insert_lines(c, id, o.lines));
  return id;
}

Status update_order(Connection& c, const Order& o, bool lines_changed) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("orders", kOrderCols, "id = ?"))));
  {
    StatementUse use(*s);
    bind_order(*s, o);
    s->bind_int(static_cast<int>(kOrderCols.size()) + 1, o.id);
    SC_RETURN_IF_ERROR(s->run());
  }
  if (!lines_changed) return Status::ok();
  {
    SC_ASSIGN_OR_RETURN(Statement * del, c.prepare(c.dialect().placeholders("DELETE FROM order_lines WHERE order_id = ?")));
    StatementUse use(*del);
    del->bind_all(o.id);
    SC_RETURN_IF_ERROR(del->run());
  }
  return insert_lines(c, o.id, o.lines);
}

Result<std::optional<Order>> load_order(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(order_by_id_sql(c.dialect()))));
  std::optional<Order> o;
  {
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(o, map_first<Order>(*s, map_order));
  }
  if (o) SC_RETURN_IF_ERROR(load_lines(c, *o));
  return o;
}

Result<std::optional<Id>> order_id_by_source(Connection& c, const std::string& source, const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(order_by_source_sql(c.dialect()))));
  StatementUse use(*s);
  s->bind_all(source, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<Order>> find_orders(Connection& c, const OrderQuery& q, const std::string& visible) {
  Filter f = order_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(order_select_cols(), "orders", f.where(), "id", true))));
  std::vector<Order> out;
  {
    StatementUse use(*s);
    s->bind_int(f.bind(*s), limit_value(q.page));
    SC_ASSIGN_OR_RETURN(out, map_rows<Order>(*s, map_order));
  }
  for (auto& o : out) SC_RETURN_IF_ERROR(load_lines(c, o));
  return out;
}

Result<ColumnTable> order_columns(Connection& c, const OrderQuery& q, const std::string& visible) {
  static const std::vector<ColumnDef> defs = {
      {"id", "id"},
      {"number", "number", ColumnKind::kText},
      {"client_id", "client_id"},
      {"deal_id", "deal_id", ColumnKind::kInt, true},
      {"owner_id", "owner_id", ColumnKind::kInt, true},
      {"status", "status", ColumnKind::kText},
      {"currency", "currency", ColumnKind::kText},
      {"total_minor", "total_minor", ColumnKind::kAmount},
      {"ordered_at", "ordered_at", ColumnKind::kInstant},
      {"source", "COALESCE(source, '')", ColumnKind::kText},
      {"external_id", "COALESCE(external_id, '')", ColumnKind::kText},
      {"created_at", "created_at", ColumnKind::kInstant},
      {"updated_at", "updated_at", ColumnKind::kInstant},
  };
  return select_columns(c, "orders", defs, order_filter(q, visible), q.page);
}

Result<std::int64_t> count_orders(Connection& c, const OrderQuery& q, const std::string& visible) {
  Filter f = order_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM orders" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Status each_order(Connection& c, const std::function<bool(const Order&)>& visit, const std::string& visible) {
  // One merge pass over orders and order_lines (both in order-id order) instead of a
  // query per order: exports of a million orders stay linear.
  SC_ASSIGN_OR_RETURN(Statement * orders, c.prepare(c.dialect().placeholders(
                                              c.dialect().select(order_select_cols(), "orders", visible, "id"))));
  std::vector<std::string> line_cols = {"order_id"};
  line_cols.insert(line_cols.end(), kLineReadCols.begin(), kLineReadCols.end());
  SC_ASSIGN_OR_RETURN(Statement * lines, c.prepare(c.dialect().placeholders(
                                             c.dialect().select(line_cols, "order_lines", "", "order_id, line_no"))));
  StatementUse use_orders(*orders);
  StatementUse use_lines(*lines);
  SC_ASSIGN_OR_RETURN(bool have_line, lines->step());
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, orders->step());
    if (!row) return Status::ok();
    Order o = map_order(*orders);
    while (have_line && lines->column_int(0) < o.id) {
      SC_ASSIGN_OR_RETURN(have_line, lines->step());
    }
    while (have_line && lines->column_int(0) == o.id) {
      o.lines.push_back(map_line(*lines, 1));
      SC_ASSIGN_OR_RETURN(have_line, lines->step());
    }
    if (!visit(o)) return Status::ok();
  }
}

}  // namespace salescore::store
