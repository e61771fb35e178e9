// Partial shipments and the orders a contract covers (salescore/fulfilment.h), as
// methods of the native Shipments, Orders and Contracts classes.
#include "bindings.h"
#include "fulfilment.h"
#include "collection.h"
#include "more_codecs.h"
#include "salescore/fulfilment.h"

namespace salescore::python {

namespace {

const FieldTable<ShippedLine>& shipped_line_fields() {
  static const FieldTable<ShippedLine> table = {
      field<codec::SmallInt>("line", &ShippedLine::line),
      field<codec::Text>("sku", &ShippedLine::sku),
      field<codec::Qty>("quantity", &ShippedLine::quantity),
  };
  return table;
}

const FieldTable<LineToShip>& line_to_ship_fields() {
  static const FieldTable<LineToShip> table = {
      computed<codec::SmallInt>("line", &LineToShip::line),
      computed<codec::Text>("sku", &LineToShip::sku),
      computed<codec::Text>("name", &LineToShip::name),
      computed<codec::Qty>("ordered", &LineToShip::ordered),
      computed<codec::Qty>("shipped", &LineToShip::shipped),
      computed<codec::Qty>("planned", &LineToShip::planned),
      computed<codec::Qty>("remaining", &LineToShip::remaining),
  };
  return table;
}

template <class Service>
py::class_<NativeCollection<Service>> native_class(py::module_& m, const char* name) {
  return py::reinterpret_borrow<py::class_<NativeCollection<Service>>>(m.attr(name));
}

}  // namespace

void bind_fulfilment(py::module_& m) {
  auto shipments = native_class<ShipmentService>(m, "Shipments");
  shipments.def("set_lines", [](const NativeCollection<ShipmentService>& c, Actor actor, Id id, py::object lines) {
    auto asked = convert_argument("lines", [&] {
      return items_from(shipped_line_fields(), lines, c.engine->context());
    });
    return items_to(shipped_line_fields(), c.engine->call([&](Engine& e) {
      return fulfilment(e).set_shipment_lines(actor, id, asked);
    }));
  });
  shipments.def("lines", [](const NativeCollection<ShipmentService>& c, Actor actor, Id id) {
    return items_to(shipped_line_fields(),
                    c.engine->call([&](Engine& e) { return fulfilment(e).shipment_lines(actor, id); }));
  });

  auto orders = native_class<OrderService>(m, "Orders");
  orders.def("to_ship", [](const NativeCollection<OrderService>& c, Actor actor, Id id) {
    OrderToShip o = c.engine->call([&](Engine& e) { return fulfilment(e).to_ship(actor, id); });
    py::dict out;
    out["order_id"] = o.order_id;
    out["lines"] = items_to(line_to_ship_fields(), o.lines);
    out["complete"] = o.complete;
    return out;
  });
  orders.def("contract", [](const NativeCollection<OrderService>& c, Actor actor, Id id) {
    Id k = c.engine->call([&](Engine& e) { return fulfilment(e).contract_of_order(actor, id); });
    return k ? py::object(py::int_(k)) : py::object(py::none());
  });

  auto contracts = native_class<ContractService>(m, "Contracts");
  contracts.def("set_orders", [](const NativeCollection<ContractService>& c, Actor actor, Id id,
                                 std::vector<Id> order_ids) {
    return c.engine->call([&](Engine& e) { return fulfilment(e).set_contract_orders(actor, id, order_ids); });
  });
  contracts.def("orders", [](const NativeCollection<ContractService>& c, Actor actor, Id id) {
    return c.engine->call([&](Engine& e) { return fulfilment(e).contract_orders(actor, id); });
  });
}

}  // namespace salescore::python
