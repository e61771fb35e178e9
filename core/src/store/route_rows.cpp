#include "store/route_rows.h"

#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kVisitCols = {"rep_id",         "client_id",  "planned",           "checked_in_at",
                                             "checked_out_at", "stock_recorded_at", "missing_must_have", "order_id",
                                             "created_at",     "updated_at"};

std::vector<std::string> visit_select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kVisitCols.begin(), kVisitCols.end());
  return cols;
}

std::optional<std::int64_t> ms_or_null(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(t->ms) : std::nullopt;
}

void bind_visit(Statement& s, const Visit& v) {
  s.bind_all(v.rep_id, v.outlet_id, v.planned, v.checked_in_at.ms, ms_or_null(v.checked_out_at),
             ms_or_null(v.stock_recorded_at), json_of(v.missing_must_have), null_if_zero(v.order_id),
             v.created_at.ms, v.updated_at.ms);
}

Visit map_visit(Statement& s) {
  Visit v;
  v.id = s.column_int(0);
  v.rep_id = s.column_int(1);
  v.outlet_id = s.column_int(2);
  v.planned = s.column_int(3) != 0;
  v.checked_in_at = Instant{s.column_int(4)};
  if (!s.column_is_null(5)) v.checked_out_at = Instant{s.column_int(5)};
  if (!s.column_is_null(6)) v.stock_recorded_at = Instant{s.column_int(6)};
  v.missing_must_have = parse_string_list(s.column_text(7));
  v.order_id = s.column_int(8);
  v.created_at = Instant{s.column_int(9)};
  v.updated_at = Instant{s.column_int(10)};
  return v;
}

Status load_stock(Connection& c, Visit& v) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"sku", "quantity_milli"}, "visit_stock", "visit_id = ?", "sku"))));
  StatementUse use(*s);
  s->bind_all(v.id);
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    v.stock[s->column_text(0)] = Quantity{s->column_int(1)};
  }
  return Status::ok();
}

Result<std::optional<Visit>> load_one(Connection& c, const std::string& where, Id key) {
  std::optional<Visit> v;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                           c.dialect().select(visit_select_cols(), "visits", where))));
    StatementUse use(*s);
    s->bind_all(key);
    SC_ASSIGN_OR_RETURN(v, map_first<Visit>(*s, map_visit));
  }
  if (v) SC_RETURN_IF_ERROR(load_stock(c, *v));
  return v;
}
}  // namespace

Status upsert_outlet_channel(Connection& c, Id client_id, const std::string& channel, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().upsert(
                                         "outlet_profiles", {"client_id", "channel", "updated_at"}, {"client_id"}))));
  StatementUse use(*s);
  s->bind_all(client_id, channel, at.ms);
  return s->run();
}

Result<std::string> outlet_channel(Connection& c, Id client_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select({"channel"}, "outlet_profiles", "client_id = ?"))));
  StatementUse use(*s);
  s->bind_all(client_id);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  return row ? s->column_text(0) : std::string();
}

Status replace_route(Connection& c, Id rep_id, int weekday, const std::vector<Id>& outlet_ids) {
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                           "DELETE FROM route_stops WHERE rep_id = ? AND weekday = ?")));
    StatementUse use(*s);
    s->bind_all(rep_id, weekday);
    SC_RETURN_IF_ERROR(s->run());
  }
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert(
                                         "route_stops", {"rep_id", "weekday", "position", "client_id"}))));
  for (std::size_t i = 0; i < outlet_ids.size(); ++i) {
    StatementUse use(*s);
    s->bind_all(rep_id, weekday, static_cast<std::int64_t>(i + 1), outlet_ids[i]);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

Result<std::vector<Id>> route_outlets(Connection& c, Id rep_id, int weekday) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"client_id"}, "route_stops", "rep_id = ? AND weekday = ?", "position"))));
  StatementUse use(*s);
  s->bind_all(rep_id, weekday);
  return map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Status replace_must_have(Connection& c, const std::string& channel, const std::vector<std::string>& skus) {
  {
    SC_ASSIGN_OR_RETURN(Statement * s,
                        c.prepare(c.dialect().placeholders("DELETE FROM must_have_skus WHERE channel = ?")));
    StatementUse use(*s);
    s->bind_all(channel);
    SC_RETURN_IF_ERROR(s->run());
  }
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().insert("must_have_skus", {"channel", "position", "sku"}))));
  for (std::size_t i = 0; i < skus.size(); ++i) {
    StatementUse use(*s);
    s->bind_all(channel, static_cast<std::int64_t>(i + 1), skus[i]);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

Result<std::vector<std::string>> must_have_skus(Connection& c, const std::string& channel) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select({"sku"}, "must_have_skus", "channel = ?", "position"))));
  StatementUse use(*s);
  s->bind_all(channel);
  return map_rows<std::string>(*s, [](Statement& r) { return r.column_text(0); });
}

Result<Id> insert_visit(Connection& c, const Visit& v) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("visits", kVisitCols))));
  StatementUse use(*s);
  bind_visit(*s, v);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status update_visit(Connection& c, const Visit& v) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("visits", kVisitCols, "id = ?"))));
  StatementUse use(*s);
  bind_visit(*s, v);
  s->bind_int(static_cast<int>(kVisitCols.size()) + 1, v.id);
  return s->run();
}

Status replace_visit_stock(Connection& c, Id visit_id, const std::map<std::string, Quantity>& stock) {
  {
    SC_ASSIGN_OR_RETURN(Statement * s,
                        c.prepare(c.dialect().placeholders("DELETE FROM visit_stock WHERE visit_id = ?")));
    StatementUse use(*s);
    s->bind_all(visit_id);
    SC_RETURN_IF_ERROR(s->run());
  }
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().insert("visit_stock", {"visit_id", "sku", "quantity_milli"}))));
  for (const auto& [sku, qty] : stock) {
    StatementUse use(*s);
    s->bind_all(visit_id, sku, qty.milli);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

Result<std::optional<Visit>> load_visit(Connection& c, Id id) { return load_one(c, "id = ?", id); }

namespace {
Filter visit_filter(const VisitQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("rep_id", q.rep_id);
  f.eq_if("client_id", q.outlet_id);  // an outlet is a client
  if (q.from) f.add("checked_in_at >= ?", {q.from->ms});
  if (q.to) f.add("checked_in_at < ?", {q.to->ms});
  if (q.open) f.add(*q.open ? "checked_out_at IS NULL" : "checked_out_at IS NOT NULL");
  return f;
}
}  // namespace

Result<std::vector<Visit>> find_visits(Connection& c, const VisitQuery& q, const std::string& visible) {
  Filter f = visit_filter(q, visible);
  f.after("id", q.page);
  std::vector<Visit> visits;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                           c.dialect().select(visit_select_cols(), "visits", f.where(), "id", true))));
    StatementUse use(*s);
    s->bind_int(f.bind(*s), limit_value(q.page));
    SC_ASSIGN_OR_RETURN(visits, map_rows<Visit>(*s, map_visit));
  }
  for (Visit& v : visits) SC_RETURN_IF_ERROR(load_stock(c, v));
  return visits;
}

Result<std::int64_t> count_visits(Connection& c, const VisitQuery& q, const std::string& visible) {
  Filter f = visit_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM visits" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::optional<Visit>> open_visit_of(Connection& c, Id rep_id) {
  return load_one(c, "rep_id = ? AND checked_out_at IS NULL", rep_id);
}

Result<std::map<std::string, Quantity>> sold_to_client(Connection& c, Id client_id, Instant from, Instant to) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT l.sku, SUM(l.quantity_milli) FROM order_lines l JOIN orders o ON o.id = l.order_id "
                          "WHERE o.client_id = ? AND o.ordered_at >= ? AND o.ordered_at < ? "
                          "AND o.status <> 'cancelled' "
                          "GROUP BY l.sku")));
  StatementUse use(*s);
  s->bind_all(client_id, from.ms, to.ms);
  std::map<std::string, Quantity> out;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    out[s->column_text(0)] = Quantity{s->column_int(1)};
  }
  return out;
}

}  // namespace salescore::store
