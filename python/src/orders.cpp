#include "bindings.h"
#include "collection.h"
#include "columns.h"

namespace salescore::python {

namespace {

// Empty: the engine fills in the configured currency.
struct CurrencyCode {
  using type = std::string;
  static type from(py::handle v, const ConvertContext&) { return v.is_none() ? std::string() : currency_from_py(v); }
  static py::object to(const type& v) { return py::str(v); }
};

const FieldTable<OrderLine>& line_fields() {
  static const FieldTable<OrderLine> table = {
      field<codec::Text>("sku", &OrderLine::sku),
      computed<codec::Ref>("product_id", &OrderLine::product_id),
      field<codec::Text>("name", &OrderLine::name),
      field<codec::Qty>("quantity", &OrderLine::quantity),
      field<codec::Amount>("price", &OrderLine::price_minor),
      field<codec::Amount>("discount", &OrderLine::discount_minor),
      computed<codec::Amount>("amount", &OrderLine::amount_minor),
  };
  return table;
}

struct LineList {
  using type = std::vector<OrderLine>;
  static type from(py::handle v, const ConvertContext& ctx) { return items_from(line_fields(), v, ctx); }
  static py::object to(const type& v) { return items_to(line_fields(), v); }
};

const FieldTable<Order>& order_fields() {
  static const FieldTable<Order> table = {
      computed<codec::Number>("id", &Order::id),
      field<codec::Text>("number", &Order::number),
      field<codec::Number>("client_id", &Order::client_id),
      field<codec::Ref>("deal_id", &Order::deal_id),
      field<codec::Ref>("owner_id", &Order::owner_id),
      field<codec::OrderStatusName>("status", &Order::status),
      field<CurrencyCode>("currency", &Order::currency),
      field<LineList>("lines", &Order::lines),
      computed<codec::Amount>("total", &Order::total_minor),
      field<codec::When>("ordered_at", &Order::ordered_at),
      field<codec::Text>("source", &Order::source),
      field<codec::Text>("external_id", &Order::external_id),
      field<codec::TextMap>("custom", &Order::custom),
      computed<codec::When>("created_at", &Order::created_at),
      computed<codec::When>("updated_at", &Order::updated_at),
  };
  return table;
}

const FieldTable<OrderPatch>& order_patch_fields() {
  static const FieldTable<OrderPatch> table = {
      optional<codec::Text>("number", &OrderPatch::number),
      optional<codec::OrderStatusName>("status", &OrderPatch::status),
      optional<LineList>("lines", &OrderPatch::lines),
      optional<codec::Ref>("deal_id", &OrderPatch::deal_id),
      optional<codec::Ref>("owner_id", &OrderPatch::owner_id),
      optional<codec::When>("ordered_at", &OrderPatch::ordered_at),
      optional<codec::TextMap>("custom", &OrderPatch::custom),
  };
  return table;
}

// `since`/`until` rather than the query's from/to: `from` is a Python keyword.
const FieldTable<OrderQuery>& order_query_fields() {
  static const FieldTable<OrderQuery> table = {
      optional<codec::Number>("client_id", &OrderQuery::client_id),
      optional<codec::Ref>("owner_id", &OrderQuery::owner_id),
      optional<codec::Ref>("deal_id", &OrderQuery::deal_id),
      optional<codec::OrderStatusName>("status", &OrderQuery::status),
      optional<codec::When>("since", &OrderQuery::from),
      optional<codec::When>("until", &OrderQuery::to),
      optional<codec::Text>("source", &OrderQuery::source),
  };
  return table;
}

}  // namespace

void bind_orders(py::module_& m) {
  auto cls = bind_collection(m, "Orders",
                             CollectionSpec<OrderService, Order, OrderPatch, OrderQuery>{
                                 "order", &Engine::orders, &order_fields(), &order_patch_fields(),
                                 &order_query_fields()});
  def_columns(cls, order_query_fields(), "order", &ColumnService::orders);
}

}  // namespace salescore::python
