// Partial shipments (which order lines left, and how much) and the orders a contract
// covers. Access: a shipment's lines are the order's (its owner, their head, a
// director); a contract's orders need the contract and every order named in reach.
#include "salescore/fulfilment.h"

#include <algorithm>
#include <set>

#include "engine/engine_registry.h"
#include "engine/payment_rules.h"
#include "engine/record_writes.h"
#include "rules/access.h"
#include "store/contract_rows.h"
#include "store/fulfilment_rows.h"
#include "store/order_rows.h"
#include "store/shipment_rows.h"

namespace salescore {
using namespace detail;

namespace {

Result<Order> order_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto o, store::load_order(*s.conn, id));
  if (!o) return not_found("order", id);
  return std::move(*o);
}

Result<Shipment> shipment_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto sh, store::load_shipment(*s.conn, id));
  if (!sh) return not_found("shipment", id);
  return std::move(*sh);
}

std::string line_label(const Order& order, int line) {
  const std::string& sku = order.lines[static_cast<std::size_t>(line - 1)].sku;
  return "line " + std::to_string(line) + (sku.empty() ? "" : " (" + sku + ")");
}

// Resolves each asked line to its number in the order (from the number or a SKU found
// on one line only) and merges none: a line named twice is an error, as is a
// quantity that is not positive. Field names are those of the request ("lines[0].sku").
Status resolve_lines(const Order& order, std::vector<ShippedLine>& lines) {
  FieldErrors errors;
  std::set<int> seen;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ShippedLine& l = lines[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    if (l.line == 0 && !l.sku.empty()) {
      int found = 0, times = 0;
      for (std::size_t k = 0; k < order.lines.size(); ++k)
        if (order.lines[k].sku == l.sku) found = static_cast<int>(k) + 1, ++times;
      if (times == 0) errors.add(at + ".sku", "order " + order.number + " has no line with SKU " + l.sku);
      else if (times > 1) errors.add(at + ".sku", "SKU " + l.sku + " is on several lines: give the line number");
      l.line = found;
    } else if (l.line < 1 || l.line > static_cast<int>(order.lines.size())) {
      errors.add(at + ".line", l.line == 0 ? "required (or the line's sku)"
                                           : "order " + order.number + " has lines 1.." +
                                                 std::to_string(order.lines.size()));
      continue;
    } else if (!l.sku.empty() && order.lines[static_cast<std::size_t>(l.line - 1)].sku != l.sku) {
      errors.add(at + ".sku", "is not the SKU of " + line_label(order, l.line));
    }
    if (l.line == 0) continue;
    if (!seen.insert(l.line).second) errors.add(at + ".line", line_label(order, l.line) + " is listed twice");
    if (l.quantity.milli <= 0) errors.add(at + ".quantity", "must be positive");
    l.sku = order.lines[static_cast<std::size_t>(l.line - 1)].sku;
  }
  return errors.to_status("shipment lines");
}

Quantity at_line(const std::map<int, Quantity>& m, int line) {
  auto it = m.find(line);
  return it == m.end() ? Quantity{} : it->second;
}

// Reading a contract's orders takes what contracts().get takes (the contract's owner in
// scope); changing them also takes its client, so naming orders is no side door to a
// colleague's client.
Result<Contract> contract_in_reach(EngineState& s, const Actor& actor, Id id, const char* action, bool change) {
  SC_ASSIGN_OR_RETURN(auto k, store::load_contract(*s.conn, id));
  if (!k) return not_found("contract", id);
  if (actor.user_id == 0) return std::move(*k);
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (!scope.covers_owned(k->owner_id, "")) return deny(s, actor, action, "contract", id);
  if (change) {
    SC_ASSIGN_OR_RETURN(bool client, covers_client_id(s, scope, k->client_id));
    if (!client) return deny(s, actor, action, "contract", id, "the contract's client is not in reach");
  }
  return std::move(*k);
}

std::string ids_json(const std::vector<Id>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

std::string lines_json(const std::vector<ShippedLine>& lines) {
  std::string out = "[";
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "," : "") + fields_of(lines[i]).to_json();
  return out + "]";
}

}  // namespace

FulfilmentService fulfilment(Engine& engine) { return FulfilmentService(state_of(engine)); }

Result<std::vector<ShippedLine>> FulfilmentService::set_shipment_lines(const Actor& actor, Id shipment_id,
                                                                     std::vector<ShippedLine> lines) {
  return write<std::vector<ShippedLine>>(*s_, [&]() -> Result<std::vector<ShippedLine>> {
    SC_ASSIGN_OR_RETURN(Shipment sh, shipment_or_not_found(*s_, shipment_id));
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, sh.order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "change", "shipment", sh.id));
    if (sh.status == ShipmentStatus::kDelivered || sh.status == ShipmentStatus::kCancelled)
      return Status(Code::kFailedPrecondition,
                    "shipment " + std::to_string(sh.id) + " is " + shipment_status_name(sh.status) +
                        "; its lines are set while it is planned or shipped",
                    {{"status", shipment_status_name(sh.status)}});
    SC_RETURN_IF_ERROR(resolve_lines(order, lines));
    // The other shipments' quantities hold to the write below across processes: one write
    // transaction at a time per database (see refund_service.cpp; OrderMoneyRaceTest).
    SC_ASSIGN_OR_RETURN(auto others, store::shipped_per_line(*s_->conn, order.id, sh.id));
    FieldErrors errors;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const int line = lines[i].line;
      const Quantity ordered = order.lines[static_cast<std::size_t>(line - 1)].quantity;
      const Quantity remains{ordered.milli - at_line(others.shipped, line).milli - at_line(others.planned, line).milli};
      if (lines[i].quantity > remains)
        errors.add("lines[" + std::to_string(i) + "].quantity",
                   line_label(order, line) + " of order " + order.number + ": " + format_quantity(lines[i].quantity) +
                       " asked, " + format_quantity(std::max(remains, Quantity{})) + " left to ship (ordered " +
                       format_quantity(ordered) + ")");
    }
    SC_RETURN_IF_ERROR(errors.to_status("shipment lines"));
    std::sort(lines.begin(), lines.end(), [](const ShippedLine& a, const ShippedLine& b) { return a.line < b.line; });
    SC_ASSIGN_OR_RETURN(auto before, store::load_shipment_lines(*s_->conn, sh.id));
    if (before == lines) return lines;
    SC_RETURN_IF_ERROR(store::replace_shipment_lines(*s_->conn, sh.id, lines));
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "shipment.lines_set", "shipment", sh.id,
                                    "{\"order_id\":" + std::to_string(order.id) + ",\"lines\":" + lines_json(lines) +
                                        "}"));
    return lines;
  });
}

Result<std::vector<ShippedLine>> FulfilmentService::shipment_lines(const Actor& actor, Id shipment_id) {
  return read<std::vector<ShippedLine>>(*s_, [&]() -> Result<std::vector<ShippedLine>> {
    SC_ASSIGN_OR_RETURN(Shipment sh, shipment_or_not_found(*s_, shipment_id));
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, sh.order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "shipment", sh.id));
    return store::load_shipment_lines(*s_->conn, sh.id);
  });
}

Result<OrderToShip> FulfilmentService::to_ship(const Actor& actor, Id order_id) {
  return read<OrderToShip>(*s_, [&]() -> Result<OrderToShip> {
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "order", order.id));
    SC_ASSIGN_OR_RETURN(auto held, store::shipped_per_line(*s_->conn, order.id, 0));
    OrderToShip out;
    out.order_id = order.id;
    out.complete = !order.lines.empty();
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
      const int line = static_cast<int>(i) + 1;
      LineToShip l;
      l.line = line;
      l.sku = order.lines[i].sku;
      l.name = order.lines[i].name;
      l.ordered = order.lines[i].quantity;
      l.shipped = at_line(held.shipped, line);
      l.planned = at_line(held.planned, line);
      l.remaining = Quantity{std::max<std::int64_t>(0, l.ordered.milli - l.shipped.milli - l.planned.milli)};
      if (l.shipped < l.ordered) out.complete = false;
      out.lines.push_back(std::move(l));
    }
    return out;
  });
}

Result<std::vector<Id>> FulfilmentService::set_contract_orders(const Actor& actor, Id contract_id,
                                                              std::vector<Id> order_ids) {
  return write<std::vector<Id>>(*s_, [&]() -> Result<std::vector<Id>> {
    SC_ASSIGN_OR_RETURN(Contract k, contract_in_reach(*s_, actor, contract_id, "change", true));
    if (k.status == ContractStatus::kExpired || k.status == ContractStatus::kTerminated)
      return Status(Code::kFailedPrecondition,
                    "contract " + std::to_string(k.id) + " (" + k.number + ") is " + contract_status_name(k.status) +
                        "; it covers no further orders",
                    {{"status", contract_status_name(k.status)}});
    FieldErrors errors;
    std::set<Id> seen;
    std::vector<Order> orders;
    for (std::size_t i = 0; i < order_ids.size(); ++i) {
      const std::string at = "order_ids[" + std::to_string(i) + "]";
      const Id id = order_ids[i];
      if (!seen.insert(id).second) {
        errors.add(at, "order " + std::to_string(id) + " is listed twice");
        continue;
      }
      SC_ASSIGN_OR_RETURN(auto o, store::load_order(*s_->conn, id));
      if (!o) {
        errors.add(at, "order " + std::to_string(id) + " does not exist");
        continue;
      }
      if (o->client_id != k.client_id) {
        errors.add(at, "order " + o->number + " is another client's");
        continue;
      }
      SC_ASSIGN_OR_RETURN(auto covering, store::contract_covering(*s_->conn, id));
      if (covering && *covering != k.id) errors.add(at, "order " + o->number + " is covered by contract " +
                                                            std::to_string(*covering));
      orders.push_back(std::move(*o));
    }
    SC_RETURN_IF_ERROR(errors.to_status("contract orders"));
    for (const Order& o : orders) SC_RETURN_IF_ERROR(check_order_access(*s_, actor, o, "read", "order", o.id));
    std::sort(order_ids.begin(), order_ids.end());
    SC_ASSIGN_OR_RETURN(auto before, store::load_contract_orders(*s_->conn, k.id));
    if (before == order_ids) return order_ids;
    SC_RETURN_IF_ERROR(store::replace_contract_orders(*s_->conn, k.id, order_ids));
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "contract.orders_set", "contract", k.id,
                                    "{\"order_ids\":" + ids_json(order_ids) + "}"));
    return order_ids;
  });
}

Result<std::vector<Id>> FulfilmentService::contract_orders(const Actor& actor, Id contract_id) {
  return read<std::vector<Id>>(*s_, [&]() -> Result<std::vector<Id>> {
    SC_ASSIGN_OR_RETURN(Contract k, contract_in_reach(*s_, actor, contract_id, "read", false));
    return store::load_contract_orders(*s_->conn, k.id);
  });
}

Result<Id> FulfilmentService::contract_of_order(const Actor& actor, Id order_id) {
  return read<Id>(*s_, [&]() -> Result<Id> {
    SC_ASSIGN_OR_RETURN(Order order, order_or_not_found(*s_, order_id));
    SC_RETURN_IF_ERROR(check_order_access(*s_, actor, order, "read", "order", order.id));
    SC_ASSIGN_OR_RETURN(auto covering, store::contract_covering(*s_->conn, order.id));
    return covering.value_or(0);
  });
}

FieldList fields_of(const ShippedLine& l) {
  FieldList f;
  f.number("line", l.line);
  f.string("sku", l.sku);
  f.string("quantity", format_quantity(l.quantity));
  return f;
}

FieldList fields_of(const LineToShip& l) {
  FieldList f;
  f.number("line", l.line);
  f.string("sku", l.sku);
  f.string("name", l.name);
  f.string("ordered", format_quantity(l.ordered));
  f.string("shipped", format_quantity(l.shipped));
  f.string("planned", format_quantity(l.planned));
  f.string("remaining", format_quantity(l.remaining));
  return f;
}

FieldList fields_of(const OrderToShip& o) {
  FieldList f;
  f.number("order_id", o.order_id);
  std::string lines = "[";
  for (std::size_t i = 0; i < o.lines.size(); ++i) lines += (i ? "," : "") + fields_of(o.lines[i]).to_json();
  f.json("lines", lines + "]");
  f.boolean("complete", o.complete);
  return f;
}

}  // namespace salescore
