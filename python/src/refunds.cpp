// Orders.refund and Orders.refunds: the engine's RefundService, whose rules (what is left
// to refund, one refund per reference, the order's access) hold here as on every surface.
#include "refunds.h"

#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"
#include "salescore/refunds.h"

namespace salescore::python {

namespace {

const FieldTable<Refund>& refund_fields() {
  static const FieldTable<Refund> table = {
      computed<codec::Number>("id", &Refund::id),
      field<codec::Number>("order_id", &Refund::order_id),
      field<codec::MoneyOf>("amount", &Refund::amount),
      field<codec::When>("refunded_at", &Refund::refunded_at),
      field<codec::Text>("reason", &Refund::reason),
      field<codec::Text>("reference", &Refund::reference),
      computed<codec::Ref>("recorded_by", &Refund::recorded_by),
      computed<codec::When>("created_at", &Refund::created_at),
  };
  return table;
}

}  // namespace

void bind_refunds(py::module_& m) {
  using Native = NativeCollection<OrderService>;
  auto orders = py::reinterpret_borrow<py::class_<Native>>(m.attr("Orders"));
  orders.def("refund", [](const Native& c, Actor actor, Id order_id, const py::dict& fields) {
    Refund r{};
    assign_or_raise(refund_fields(), r, fields, c.engine->context(), "refund");
    r.order_id = order_id;
    return write_result(refund_fields(), c.engine->call([&](Engine& e) { return refunds(e).refund(actor, r); }));
  });
  orders.def("refunds", [](const Native& c, Actor actor, Id order_id) {
    OrderRefunds o = c.engine->call([&](Engine& e) { return refunds(e).of_order(actor, order_id); });
    py::dict out;
    out["order_id"] = o.order_id;
    out["currency"] = o.currency;
    out["total"] = amount_to_py(o.total_minor);
    out["refunded"] = amount_to_py(o.refunded_minor);
    out["left"] = amount_to_py(o.total_minor - o.refunded_minor);
    out["refunds"] = items_to(refund_fields(), o.refunds);
    return out;
  });
}

}  // namespace salescore::python
