// What of an order has left, and under which contract it was sold.
//
// A shipment may list the order lines and quantities that left with it (a partial
// shipment); the order then shows per line what is still to ship. A contract may name
// the orders it covers. The rules are in docs/rules.md, "Shipments, payments and
// receivables" and "Contracts".
//
// Kept in a header of its own (not engine.h) so that adding it did not recompile every
// file: the service is handed out by fulfilment(engine), not by an Engine member.
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "salescore/engine.h"
#include "salescore/record_fields.h"

namespace salescore {

// One order line, and how much of it left with a shipment. `line` is the line's number
// in the order, from 1; a caller may give the SKU instead when the order has it on one
// line only.
struct ShippedLine {
  int line = 0;
  std::string sku;
  Quantity quantity;
  bool operator==(const ShippedLine&) const = default;
};

// One order line as the warehouse sees it. shipped: with shipments that left (shipped
// or delivered); planned: with shipments still planned; remaining: ordered - shipped -
// planned, what no shipment covers yet. Cancelled shipments count for nothing.
struct LineToShip {
  int line = 0;
  std::string sku;
  std::string name;
  Quantity ordered, shipped, planned, remaining;
};

struct OrderToShip {
  Id order_id = 0;
  std::vector<LineToShip> lines;
  // Every line has left in full (shipped == ordered on every line).
  bool complete = false;
};

class FulfilmentService {
 public:
  explicit FulfilmentService(detail::EngineState* s) : s_(s) {}

  // Lists the lines that leave (or left) with a shipment, replacing any listed before.
  // Refused once the shipment is delivered or cancelled; a line asked beyond what
  // remains of it (the order's quantity less every other shipment's that is not
  // cancelled) is refused naming the line. An empty list clears the lines.
  Result<std::vector<ShippedLine>> set_shipment_lines(const Actor& actor, Id shipment_id,
                                                      std::vector<ShippedLine> lines);
  // The shipment's lines in line order; empty when it lists none.
  Result<std::vector<ShippedLine>> shipment_lines(const Actor& actor, Id shipment_id);
  // Per order line: ordered, shipped, planned and what remains.
  Result<OrderToShip> to_ship(const Actor& actor, Id order_id);

  // Names the orders a contract covers, replacing those named before. The orders must
  // be the contract's client's, ones the actor may see, and not covered by another
  // contract; refused for an expired or terminated contract.
  Result<std::vector<Id>> set_contract_orders(const Actor& actor, Id contract_id, std::vector<Id> order_ids);
  // The orders the contract covers, in id order.
  Result<std::vector<Id>> contract_orders(const Actor& actor, Id contract_id);
  // The contract covering the order; 0 when none does.
  Result<Id> contract_of_order(const Actor& actor, Id order_id);

 private:
  detail::EngineState* s_;
};

// The engine's fulfilment service (valid while the engine lives).
FulfilmentService fulfilment(Engine& engine);

FieldList fields_of(const ShippedLine& l);
FieldList fields_of(const LineToShip& l);
FieldList fields_of(const OrderToShip& o);

}  // namespace salescore
