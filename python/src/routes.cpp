// Route sales: routes (a rep's outlets per weekday, outlet channels, must-have lists)
// and visits (check-in, stock seen, the order taken, the suggested order).
#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

py::dict route_to_py(const Route& r) {
  py::dict out;
  out["rep_id"] = r.rep_id;
  out["weekday"] = r.weekday;
  out["outlet_ids"] = py::cast(r.outlet_ids);
  return out;
}

const FieldTable<Visit>& visit_fields() {
  static const FieldTable<Visit> table = {
      computed<codec::Number>("id", &Visit::id),
      computed<codec::Number>("rep_id", &Visit::rep_id),
      computed<codec::Number>("outlet_id", &Visit::outlet_id),
      computed<codec::Flag>("planned", &Visit::planned),
      computed<codec::When>("checked_in_at", &Visit::checked_in_at),
      computed<codec::MaybeWhen>("checked_out_at", &Visit::checked_out_at),
      computed<codec::StockMap>("stock", &Visit::stock),
      computed<codec::MaybeWhen>("stock_recorded_at", &Visit::stock_recorded_at),
      computed<codec::Texts>("missing_must_have", &Visit::missing_must_have),
      computed<codec::Ref>("order_id", &Visit::order_id),
      computed<codec::When>("created_at", &Visit::created_at),
      computed<codec::When>("updated_at", &Visit::updated_at),
  };
  return table;
}

const FieldTable<SuggestedLine>& suggested_line_fields() {
  static const FieldTable<SuggestedLine> table = {
      computed<codec::Text>("sku", &SuggestedLine::sku),
      computed<codec::Ref>("product_id", &SuggestedLine::product_id),
      computed<codec::Qty>("quantity", &SuggestedLine::quantity),
      computed<codec::Qty>("sold", &SuggestedLine::sold),
      computed<codec::Qty>("stock_seen", &SuggestedLine::stock_seen),
      computed<codec::Flag>("must_have", &SuggestedLine::must_have),
      computed<codec::Amount>("price", &SuggestedLine::price_minor),
      computed<codec::Amount>("amount", &SuggestedLine::amount_minor),
  };
  return table;
}

const FieldTable<VisitQuery>& visit_query_fields() {
  static const FieldTable<VisitQuery> table = {
      optional<codec::Number>("rep_id", &VisitQuery::rep_id),
      optional<codec::Number>("outlet_id", &VisitQuery::outlet_id),
      optional<codec::When>("since", &VisitQuery::from),
      optional<codec::When>("until", &VisitQuery::to),
      optional<codec::Flag>("open", &VisitQuery::open),
  };
  return table;
}

py::dict suggestion_to_py(const SuggestedOrder& s) {
  py::dict out;
  out["visit_id"] = s.visit_id;
  out["outlet_id"] = s.outlet_id;
  out["price_type"] = s.price_type;
  out["currency"] = s.currency;
  out["lines"] = items_to(suggested_line_fields(), s.lines);
  out["total"] = amount_to_py(s.total_minor);
  return out;
}

}  // namespace

void bind_routes(py::module_& m) {
  using Native = NativeCollection<RouteService>;
  py::class_<Native>(m, "Routes")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("set",
           [](const Native& c, Actor actor, Id rep_id, int weekday, py::object outlet_ids) {
             auto ids = convert_argument("outlet_ids", [&] { return codec::Ids::from(outlet_ids, {}); });
             return route_to_py(c.engine->call([&](Engine& e) { return e.routes().set(actor, rep_id, weekday, ids); }));
           })
      .def("get",
           [](const Native& c, Actor actor, Id rep_id, int weekday) {
             return route_to_py(c.engine->call([&](Engine& e) { return e.routes().get(actor, rep_id, weekday); }));
           })
      .def("plan",
           [](const Native& c, Actor actor, Id rep_id, py::object date) {
             Instant day = convert_argument("date", [&] { return instant_from_py(date); });
             return route_to_py(c.engine->call([&](Engine& e) { return e.routes().plan(actor, rep_id, day); }));
           })
      .def("set_channel",
           [](const Native& c, Actor actor, Id outlet_id, const std::string& channel) {
             c.engine->call([&](Engine& e) { return e.routes().set_channel(actor, outlet_id, channel); });
           })
      .def("channel",
           [](const Native& c, Actor actor, Id outlet_id) {
             return c.engine->call([&](Engine& e) { return e.routes().channel(actor, outlet_id); });
           })
      .def("set_must_have",
           [](const Native& c, Actor actor, const std::string& channel, std::vector<std::string> skus) {
             c.engine->call([&](Engine& e) { return e.must_have().set(actor, channel, skus); });
           })
      .def("must_have", [](const Native& c, Actor actor, const std::string& channel) {
        return c.engine->call([&](Engine& e) { return e.must_have().get(actor, channel); });
      });
}

void bind_visits(py::module_& m) {
  using Native = NativeCollection<VisitService>;
  py::class_<Native>(m, "Visits")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("get",
           [](const Native& c, Actor actor, Id id) {
             return to_dict(visit_fields(), c.engine->call([&](Engine& e) { return e.visits().get(actor, id); }));
           })
      .def("check_in",
           [](const Native& c, Actor actor, Id rep_id, Id outlet_id) {
             return to_dict(visit_fields(),
                            c.engine->call([&](Engine& e) { return e.visits().check_in(actor, rep_id, outlet_id); }));
           })
      .def("record_stock",
           [](const Native& c, Actor actor, Id id, py::object stock) {
             auto seen = convert_argument("stock", [&] { return codec::StockMap::from(stock, {}); });
             return to_dict(visit_fields(),
                            c.engine->call([&](Engine& e) { return e.visits().record_stock(actor, id, seen); }));
           })
      .def("attach_order",
           [](const Native& c, Actor actor, Id id, Id order_id) {
             return to_dict(visit_fields(),
                            c.engine->call([&](Engine& e) { return e.visits().attach_order(actor, id, order_id); }));
           })
      .def("check_out",
           [](const Native& c, Actor actor, Id id) {
             return to_dict(visit_fields(), c.engine->call([&](Engine& e) { return e.visits().check_out(actor, id); }));
           })
      .def("find",
           [](const Native& c, Actor actor, const py::dict& filters, Id after_id, int limit) {
             VisitQuery q{};
             assign_or_raise(visit_query_fields(), q, filters, c.engine->context(), "visit filter");
             q.page = Page{after_id, limit};
             return dicts_of(visit_fields(), c.engine->call([&](Engine& e) { return e.visits().find(actor, q); }));
           })
      .def("count",
           [](const Native& c, Actor actor, const py::dict& filters) {
             VisitQuery q{};
             assign_or_raise(visit_query_fields(), q, filters, c.engine->context(), "visit filter");
             return c.engine->call([&](Engine& e) { return e.visits().count(actor, q); });
           })
      .def("open_visit",
           [](const Native& c, Actor actor, Id rep_id) -> py::object {
             auto open = c.engine->call([&](Engine& e) { return e.visits().open_visit(actor, rep_id); });
             return open ? py::object(to_dict(visit_fields(), *open)) : py::object(py::none());
           })
      .def("suggest_order", [](const Native& c, Actor actor, Id id) {
        return suggestion_to_py(c.engine->call([&](Engine& e) { return e.visits().suggest_order(actor, id); }));
      });
}

}  // namespace salescore::python
