// /api/v1/orders: orders and their lines. Totals are the engine's: lines carry sku,
// quantity, price and discount; amounts come back computed.
#include "api/api_intake.h"
#include "api/api_count.h"

namespace salescore::cli {
namespace {

// Lines are sent without their computed amounts.
const FieldSpec kLines = field::objects("lines", schema("OrderLineInput").specs(), "The ordered lines");
const Fields kPatch =
    pick(schema("Order"), {"number", "status", "lines", "deal_id", "owner_id", "ordered_at", "custom"}).with(kLines);
// external_id: the id the order has in an integration user's system (api_intake.h).
const Fields kCreate = pick(schema("Order"),
                            {"number", "client_id", "deal_id", "owner_id", "status", "currency", "lines",
                             "ordered_at", "custom", "external_id"},
                            {"client_id"})
                           .with(kLines);

std::vector<OrderLine> lines_from(BodyReader& b) {
  std::vector<OrderLine> lines;
  b.objects("lines", [&](BodyReader& l) {
    l.allow_only({"sku", "name", "quantity", "price", "discount"});
    OrderLine line;
    line.sku = l.text("sku").value_or("");
    line.name = l.text("name").value_or("");
    line.quantity = l.quantity("quantity").value_or(Quantity{});
    line.price_minor = l.amount("price").value_or(0);
    line.discount_minor = l.amount("discount").value_or(0);
    lines.push_back(std::move(line));
  });
  return lines;
}

OrderPatch patch_from(BodyReader& b) {
  OrderPatch p;
  p.number = b.text("number");
  p.status = b.choice("status", parse_order_status);
  if (b.has("lines")) p.lines = lines_from(b);
  p.deal_id = b.id("deal_id");
  p.owner_id = b.id("owner_id");
  p.ordered_at = b.instant("ordered_at");
  p.custom = b.text_map("custom");
  return p;
}

Result<OrderQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  OrderQuery query;
  query.client_id = q.id("client_id");
  query.owner_id = q.id("owner_id");
  query.deal_id = q.id("deal_id");
  query.status = q.choice("status", parse_order_status);
  query.from = q.instant("from");
  query.to = q.instant("to");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::orders); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::orders); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.orders().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  auto body = body_of(call, kCreate);
  if (!body.ok()) return error_reply(body.status());
  Order o;
  o.client_id = body->id("client_id").value_or(0);
  o.currency = body->text("currency").value_or("");
  OrderPatch p = patch_from(*body);
  o.number = p.number.value_or("");
  o.status = p.status.value_or(OrderStatus::kNew);
  o.lines = p.lines.value_or(std::vector<OrderLine>{});
  o.deal_id = p.deal_id.value_or(0);
  o.owner_id = p.owner_id.value_or(0);
  o.ordered_at = p.ordered_at.value_or(Instant{});
  o.custom = p.custom.value_or(std::map<std::string, std::string>{});
  auto external_id = body->text("external_id");
  if (Status st = body->status("order"); !st.is_ok()) return error_reply(st);
  auto saved = add_or_upsert(call.engine.orders(), call.actor, std::move(o), external_id);
  if (!saved.ok()) return error_reply(saved.status());
  return json_reply(created_or_found(saved->outcome), fields_of(saved->record).to_json());
}

HttpReply update(ApiCall& call) {
  return write_record(call, kPatch, "order", patch_from,
                      [&](const OrderPatch& p) { return call.engine.orders().update(call.actor, call.id, p); });
}

}  // namespace

void add_order_routes(std::vector<Route>& out) {
  const Fields kOrderFilters = {"client_id", "owner_id", "deal_id",
                                field::choice("status", parse_order_status, "Only orders in this status"), "from",
                                "to"};
  out.push_back({.method = "GET", .pattern = "/api/v1/orders", .summary = "List the orders the caller may see",
                 .handler = list, .filters = kOrderFilters,
                 .paged = true, .reply = Reply::page("Order")});
  out.push_back({.method = "GET", .pattern = "/api/v1/orders/count",
                 .summary = "Count the orders the list would give with the same filters",
                 .handler = count, .filters = kOrderFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/orders", .summary = "Place an order", .handler = create,
                 .fields = kCreate, .success_status = 201, .reply = Reply::record("Order")});
  out.push_back({.method = "GET", .pattern = "/api/v1/orders/{id}", .summary = "Get an order", .handler = get,
                 .reply = Reply::record("Order")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/orders/{id}", .summary = "Change some fields of an order",
                 .handler = update, .fields = kPatch, .reply = Reply::record("Order")});
}

}  // namespace salescore::cli
