// Shipments of orders: planned, shipped, delivered or cancelled, each step an event.
#include "engine/payment_rules.h"
#include "engine/record_writes.h"
#include "rules/access.h"
#include "store/order_rows.h"
#include "store/shipment_rows.h"

namespace salescore {
using namespace detail;

namespace {

Result<Shipment> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto sh, store::load_shipment(*s.conn, id));
  if (!sh) return not_found("shipment", id);
  return std::move(*sh);
}

Result<Order> order_of(EngineState& s, Id order_id) {
  SC_ASSIGN_OR_RETURN(auto o, store::load_order(*s.conn, order_id));
  if (!o) return not_found("order", order_id);
  return std::move(*o);
}

Status check_shipment(EngineState& s, const Actor& actor, const Shipment& sh, const char* action) {
  SC_ASSIGN_OR_RETURN(Order order, order_of(s, sh.order_id));
  return check_order_access(s, actor, order, action, "shipment", sh.id);
}

void check_moments(EngineState& s, const Shipment& sh, FieldErrors& errors) {
  const Instant now = s.now();
  if (sh.shipped_at && *sh.shipped_at > now) errors.add("shipped_at", "cannot be in the future");
  if (sh.delivered_at) {
    if (*sh.delivered_at > now) errors.add("delivered_at", "cannot be in the future");
    if (!sh.shipped_at) errors.add("shipped_at", "required when delivered_at is given");
    else if (*sh.delivered_at < *sh.shipped_at) errors.add("delivered_at", "before shipped_at");
  }
}

ShipmentStatus status_from_moments(const Shipment& sh) {
  if (sh.delivered_at) return ShipmentStatus::kDelivered;
  if (sh.shipped_at) return ShipmentStatus::kShipped;
  return ShipmentStatus::kPlanned;
}

// The one path every step takes: access, the step's own check and change, the record's
// "shipment.updated" and the step's event ("shipment.shipped", ...).
template <class Step>
Result<Shipment> take_step(EngineState& s, const Actor& actor, Id id, const char* action, const char* event,
                           Step&& step) {
  return write<Shipment>(s, [&]() -> Result<Shipment> {
    SC_ASSIGN_OR_RETURN(Shipment before, load_or_not_found(s, id));
    SC_RETURN_IF_ERROR(check_shipment(s, actor, before, action));
    Shipment after = before;
    SC_RETURN_IF_ERROR(step(after));
    FieldErrors errors;
    check_moments(s, after, errors);
    SC_RETURN_IF_ERROR(errors.to_status("shipment"));
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "shipment", before, after, [&](const Shipment& x) {
                          return store::update_shipment(*s.conn, x);
                        }));
    (void)outcome;
    SC_RETURN_IF_ERROR(append_event(s, actor, event, "shipment", id, fields_of(after).to_json()));
    return after;
  });
}

Status refuse_step(const Shipment& sh, const std::string& what) {
  return Status(Code::kFailedPrecondition,
                "shipment " + std::to_string(sh.id) + " is " + shipment_status_name(sh.status) + "; " + what,
                {{"status", shipment_status_name(sh.status)}});
}

}  // namespace

Result<Shipment> ShipmentService::add(const Actor& actor, Shipment sh) {
  return write<Shipment>(*s_, [&]() -> Result<Shipment> {
    FieldErrors errors;
    std::optional<Order> order;
    if (sh.order_id == 0) {
      errors.add("order_id", "required");
    } else {
      SC_ASSIGN_OR_RETURN(order, store::load_order(*s_->conn, sh.order_id));
      if (!order) errors.add("order_id", "order " + std::to_string(sh.order_id) + " does not exist");
      else if (order->status == OrderStatus::kCancelled)
        errors.add("order_id", "order " + order->number + " is cancelled");
    }
    if (sh.planned_at.ms == 0) errors.add("planned_at", "required");
    check_moments(*s_, sh, errors);
    const ShipmentStatus follows = status_from_moments(sh);
    if (sh.status != ShipmentStatus::kPlanned && sh.status != follows)
      errors.add("status", "follows from shipped_at and delivered_at");
    SC_RETURN_IF_ERROR(errors.to_status("shipment"));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, *order, "ship", "order", order->id));
    sh.status = follows;
    sh.created_at = sh.updated_at = s_->now();
    SC_ASSIGN_OR_RETURN(sh.id, store::insert_shipment(*s_->conn, sh));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "shipment", sh));
    return sh;
  });
}

Result<Shipment> ShipmentService::get(const Actor& actor, Id id) {
  return read<Shipment>(*s_, [&]() -> Result<Shipment> {
    SC_ASSIGN_OR_RETURN(Shipment sh, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_shipment(*s_, actor, sh, "read"));
    return sh;
  });
}

Result<Saved<Shipment>> ShipmentService::update(const Actor& actor, Id id, const ShipmentPatch& patch) {
  return write<Saved<Shipment>>(*s_, [&]() -> Result<Saved<Shipment>> {
    SC_ASSIGN_OR_RETURN(Shipment before, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_shipment(*s_, actor, before, "change"));
    Shipment after = before;
    if (patch.planned_at && patch.planned_at->ms != before.planned_at.ms) {
      if (before.status != ShipmentStatus::kPlanned) return refuse_step(before, "only a planned shipment is re-planned");
      if (patch.planned_at->ms == 0) return Status::invalid("planned_at is required", {{"planned_at", "required"}});
      after.planned_at = *patch.planned_at;
    }
    if (patch.notes) after.notes = *patch.notes;
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "shipment", before, after, [&](const Shipment& x) {
                          return store::update_shipment(*s_->conn, x);
                        }));
    return Saved<Shipment>{std::move(after), outcome, {}};
  });
}

Result<Shipment> ShipmentService::ship(const Actor& actor, Id id, std::optional<Instant> at) {
  return take_step(*s_, actor, id, "ship", "shipment.shipped", [&](Shipment& sh) -> Status {
    if (sh.status != ShipmentStatus::kPlanned) return refuse_step(sh, "only a planned shipment can be shipped");
    sh.shipped_at = at.value_or(s_->now());
    sh.status = ShipmentStatus::kShipped;
    return Status::ok();
  });
}

Result<Shipment> ShipmentService::deliver(const Actor& actor, Id id, std::optional<Instant> at) {
  return take_step(*s_, actor, id, "deliver", "shipment.delivered", [&](Shipment& sh) -> Status {
    if (sh.status != ShipmentStatus::kPlanned && sh.status != ShipmentStatus::kShipped)
      return refuse_step(sh, "only a planned or shipped shipment can be delivered");
    sh.delivered_at = at.value_or(s_->now());
    if (!sh.shipped_at) sh.shipped_at = sh.delivered_at;
    sh.status = ShipmentStatus::kDelivered;
    return Status::ok();
  });
}

Result<Shipment> ShipmentService::cancel(const Actor& actor, Id id) {
  return take_step(*s_, actor, id, "cancel", "shipment.cancelled", [&](Shipment& sh) -> Status {
    if (sh.status != ShipmentStatus::kPlanned) return refuse_step(sh, "what has left cannot be cancelled");
    sh.status = ShipmentStatus::kCancelled;
    return Status::ok();
  });
}

Result<std::vector<Shipment>> ShipmentService::of_order(const Actor& actor, Id order_id) {
  return read<std::vector<Shipment>>(*s_, [&]() -> Result<std::vector<Shipment>> {
    SC_ASSIGN_OR_RETURN(Order order, order_of(*s_, order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "order", order_id));
    return store::shipments_of_order(*s_->conn, order_id);
  });
}

namespace {
// Shipments of the orders the actor may see.
std::string visible_shipments(const detail::Scope& scope) {
  std::string orders = scope.condition("owner_id", "source");
  return orders.empty() ? "" : "order_id IN (SELECT id FROM orders WHERE " + orders + ")";
}
}  // namespace

Result<std::vector<Shipment>> ShipmentService::find(const Actor& actor, const ShipmentQuery& query) {
  return read<std::vector<Shipment>>(*s_, [&]() -> Result<std::vector<Shipment>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_shipments(*s_->conn, query, visible_shipments(scope));
  });
}

Result<std::int64_t> ShipmentService::count(const Actor& actor, const ShipmentQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_shipments(*s_->conn, query, visible_shipments(scope));
  });
}

}  // namespace salescore
