// /api/v1/shipments/{id}/lines, /api/v1/orders/{id}/to-ship, /api/v1/orders/{id}/contract
// and /api/v1/contracts/{id}/orders: what left with each shipment, what is still to ship
// of an order, and which orders a contract covers. The rules and the access are the
// engine's (FulfilmentService), as for Python.
#include "api/routes_fulfilment.h"

#include "salescore/fulfilment.h"

namespace salescore::cli {
namespace {

// The replies: the record the path names, with its lines or orders.
struct ShipmentLines {
  Id shipment_id = 0;
  std::vector<ShippedLine> lines;
};
struct ContractOrders {
  Id contract_id = 0;
  std::vector<Id> order_ids;
};
struct OrderContract {
  Id order_id = 0;
  Id contract_id = 0;
};

FieldList fields_of(const ShipmentLines& s) {
  FieldList f;
  f.number("shipment_id", s.shipment_id);
  std::string lines = "[";
  for (std::size_t i = 0; i < s.lines.size(); ++i) lines += (i ? "," : "") + salescore::fields_of(s.lines[i]).to_json();
  f.json("lines", lines + "]");
  return f;
}

FieldList fields_of(const ContractOrders& k) {
  FieldList f;
  f.number("contract_id", k.contract_id);
  std::string ids = "[";
  for (std::size_t i = 0; i < k.order_ids.size(); ++i) ids += (i ? "," : "") + std::to_string(k.order_ids[i]);
  f.json("order_ids", ids + "]");
  return f;
}

FieldList fields_of(const OrderContract& o) {
  FieldList f;
  f.number("order_id", o.order_id);
  f.id("contract_id", o.contract_id);
  return f;
}

const Fields kLines = {field::objects("lines",
                                      {field::integer("line", "The line's number in the order, from 1; or give sku").range(1, 1'000'000),
                                       field::text("sku", "The line's SKU, when the order has it on one line only")
                                           .eg("\"SUGAR-50\""),
                                       field::quantity("quantity", "How much of the line leaves").need().eg("\"6\"")},
                                      "The order lines that leave with the shipment; [] clears them")
                           .need()};
const Fields kOrders = {field::ids("order_ids", "The orders the contract covers; [] clears them").need()};

HttpReply get_lines(ApiCall& call) {
  auto lines = fulfilment(call.engine).shipment_lines(call.actor, call.id);
  if (!lines.ok()) return error_reply(lines.status());
  return record_reply(Result<ShipmentLines>(ShipmentLines{call.id, std::move(*lines)}));
}

HttpReply set_lines(ApiCall& call) {
  return write_record(
      call, kLines, "shipment lines",
      [](BodyReader& b) {
        std::vector<ShippedLine> lines;
        if (!b.has("lines")) b.error("lines", "required");
        b.objects("lines", [&](BodyReader& l) {
          ShippedLine line;
          line.line = static_cast<int>(l.integer("line", 1, 1'000'000).value_or(0));
          line.sku = l.text("sku").value_or("");
          if (!l.has("quantity")) l.error("quantity", "required");
          line.quantity = l.quantity("quantity").value_or(Quantity{});
          lines.push_back(std::move(line));
        });
        return lines;
      },
      [&](const std::vector<ShippedLine>& lines) -> Result<ShipmentLines> {
        auto set = fulfilment(call.engine).set_shipment_lines(call.actor, call.id, lines);
        if (!set.ok()) return set.status();
        return ShipmentLines{call.id, std::move(*set)};
      });
}

HttpReply to_ship(ApiCall& call) { return record_reply(fulfilment(call.engine).to_ship(call.actor, call.id)); }

HttpReply contract_of_order(ApiCall& call) {
  auto k = fulfilment(call.engine).contract_of_order(call.actor, call.id);
  if (!k.ok()) return error_reply(k.status());
  return record_reply(Result<OrderContract>(OrderContract{call.id, *k}));
}

HttpReply get_orders(ApiCall& call) {
  auto ids = fulfilment(call.engine).contract_orders(call.actor, call.id);
  if (!ids.ok()) return error_reply(ids.status());
  return record_reply(Result<ContractOrders>(ContractOrders{call.id, std::move(*ids)}));
}

HttpReply set_orders(ApiCall& call) {
  return write_record(
      call, kOrders, "contract orders",
      [](BodyReader& b) {
        if (!b.has("order_ids")) b.error("order_ids", "required");
        return b.ids("order_ids").value_or(std::vector<Id>{});
      },
      [&](const std::vector<Id>& ids) -> Result<ContractOrders> {
        auto set = fulfilment(call.engine).set_contract_orders(call.actor, call.id, ids);
        if (!set.ok()) return set.status();
        return ContractOrders{call.id, std::move(*set)};
      });
}

}  // namespace

void add_fulfilment_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/shipments/{id}/lines",
                 .summary = "The order lines and quantities listed as leaving with the shipment",
                 .handler = get_lines, .reply = Reply::record("ShipmentLines")});
  out.push_back({.method = "POST", .pattern = "/api/v1/shipments/{id}/lines",
                 .summary = "List the order lines that leave with the shipment (a partial shipment); more than "
                            "is left to ship of a line is refused naming the line",
                 .handler = set_lines, .fields = kLines, .reply = Reply::record("ShipmentLines")});
  out.push_back({.method = "GET", .pattern = "/api/v1/orders/{id}/to-ship",
                 .summary = "What is still to ship of the order, per line: ordered, shipped, planned, remaining",
                 .handler = to_ship, .reply = Reply::record("OrderToShip")});
  out.push_back({.method = "GET", .pattern = "/api/v1/orders/{id}/contract",
                 .summary = "The contract covering the order (contract_id null when none does)",
                 .handler = contract_of_order, .reply = Reply::record("OrderContract")});
  out.push_back({.method = "GET", .pattern = "/api/v1/contracts/{id}/orders", .summary = "The orders the contract covers",
                 .handler = get_orders, .reply = Reply::record("ContractOrders")});
  out.push_back({.method = "POST", .pattern = "/api/v1/contracts/{id}/orders",
                 .summary = "Name the orders the contract covers (the client's, covered by no other contract)",
                 .handler = set_orders, .fields = kOrders, .reply = Reply::record("ContractOrders")});
}

}  // namespace salescore::cli
