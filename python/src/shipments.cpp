#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

const FieldTable<Shipment>& shipment_fields() {
  static const FieldTable<Shipment> table = {
      computed<codec::Number>("id", &Shipment::id),
      field<codec::Number>("order_id", &Shipment::order_id),
      field<codec::When>("planned_at", &Shipment::planned_at),
      field<codec::MaybeWhen>("shipped_at", &Shipment::shipped_at),
      field<codec::MaybeWhen>("delivered_at", &Shipment::delivered_at),
      computed<codec::ShipmentStatusName>("status", &Shipment::status),
      field<codec::Text>("notes", &Shipment::notes),
      computed<codec::When>("created_at", &Shipment::created_at),
      computed<codec::When>("updated_at", &Shipment::updated_at),
  };
  return table;
}

const FieldTable<ShipmentPatch>& shipment_patch_fields() {
  static const FieldTable<ShipmentPatch> table = {
      optional<codec::When>("planned_at", &ShipmentPatch::planned_at),
      optional<codec::Text>("notes", &ShipmentPatch::notes),
  };
  return table;
}

const FieldTable<ShipmentQuery>& shipment_query_fields() {
  static const FieldTable<ShipmentQuery> table = {
      optional<codec::Number>("order_id", &ShipmentQuery::order_id),
      optional<codec::ShipmentStatusName>("status", &ShipmentQuery::status),
      optional<codec::When>("since", &ShipmentQuery::from),
      optional<codec::When>("until", &ShipmentQuery::to),
  };
  return table;
}

}  // namespace

void bind_shipments(py::module_& m) {
  using Native = NativeCollection<ShipmentService>;
  auto cls = bind_collection(m, "Shipments",
                             CollectionSpec<ShipmentService, Shipment, ShipmentPatch, ShipmentQuery>{
                                 "shipment", &Engine::shipments, &shipment_fields(), &shipment_patch_fields(),
                                 &shipment_query_fields()});
  cls.def("ship", [](const Native& c, Actor actor, Id id, py::object at) {
    auto when = convert_argument("at", [&] { return codec::MaybeWhen::from(at, {}); });
    return to_dict(shipment_fields(), c.engine->call([&](Engine& e) { return e.shipments().ship(actor, id, when); }));
  });
  cls.def("deliver", [](const Native& c, Actor actor, Id id, py::object at) {
    auto when = convert_argument("at", [&] { return codec::MaybeWhen::from(at, {}); });
    return to_dict(shipment_fields(),
                   c.engine->call([&](Engine& e) { return e.shipments().deliver(actor, id, when); }));
  });
  cls.def("cancel", [](const Native& c, Actor actor, Id id) {
    return to_dict(shipment_fields(), c.engine->call([&](Engine& e) { return e.shipments().cancel(actor, id); }));
  });
}

}  // namespace salescore::python
