// The day's work as the screens show it: a manager's `tasks today`, a route rep's route
// for a date with each outlet's must-have list and visit, and the suggested order of a
// visit. Every read goes through the same services (and access rules) as the rest.
#include "api/api_router.h"
#include "record_writers.h"

namespace salescore::cli {
namespace {

// ?user= takes an id or a login, as on every surface; ?user_id= is its older name.
HttpReply today(ApiCall& call) {
  QueryReader q(call);
  const Id user_id = q.user("user").value_or(q.id("user_id").value_or(call.actor.user_id));
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto items = call.engine.tasks().today(call.actor, user_id);
  if (!items.ok()) return error_reply(items.status());
  return json_reply(200, today_json(user_id, *items));
}

HttpReply route_plan(ApiCall& call) {
  QueryReader q(call);
  const Id rep_id = q.id("rep_id").value_or(call.actor.user_id);
  const Instant date = q.instant("date").value_or(call.engine.clock().now());
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto route = call.engine.routes().plan(call.actor, rep_id, date);
  if (!route.ok()) return error_reply(route.status());
  std::string out = "{\"rep_id\":" + std::to_string(rep_id) + ",\"weekday\":" + std::to_string(route->weekday) +
                    ",\"outlets\":[";
  for (std::size_t i = 0; i < route->outlet_ids.size(); ++i) {
    const Id outlet_id = route->outlet_ids[i];
    auto client = call.engine.clients().get(call.actor, outlet_id);
    if (!client.ok()) return error_reply(client.status());
    auto channel = call.engine.routes().channel(call.actor, outlet_id);
    if (!channel.ok()) return error_reply(channel.status());
    auto must = call.engine.must_have().get(call.actor, *channel);
    if (!must.ok()) return error_reply(must.status());
    std::string skus;
    for (const std::string& sku : *must) skus += (skus.empty() ? "" : ",") + json_string(sku);
    out += (i ? "," : "") + std::string("{\"outlet_id\":") + std::to_string(outlet_id) +
           ",\"name\":" + json_string(client->name) + ",\"channel\":" + json_string(*channel) +
           ",\"must_have\":[" + skus + "]}";
  }
  return json_reply(200, out + "]}");
}

HttpReply suggested_order(ApiCall& call) {
  auto order = call.engine.visits().suggest_order(call.actor, call.id);
  if (!order.ok()) return error_reply(order.status());
  std::string out = "{\"visit_id\":" + std::to_string(order->visit_id) +
                    ",\"outlet_id\":" + std::to_string(order->outlet_id) +
                    ",\"price_type\":" + json_string(order->price_type) + ",\"currency\":" + json_string(order->currency) +
                    ",\"total_minor\":" + std::to_string(order->total_minor) + ",\"lines\":[";
  for (std::size_t i = 0; i < order->lines.size(); ++i) {
    const SuggestedLine& l = order->lines[i];
    out += (i ? "," : "") + std::string("{\"sku\":") + json_string(l.sku) +
           ",\"product_id\":" + std::to_string(l.product_id) + ",\"quantity\":" + json_string(format_quantity(l.quantity)) +
           ",\"sold\":" + json_string(format_quantity(l.sold)) + ",\"stock_seen\":" +
           json_string(format_quantity(l.stock_seen)) + ",\"must_have\":" + (l.must_have ? "true" : "false") +
           ",\"price_minor\":" + std::to_string(l.price_minor) + ",\"amount_minor\":" + std::to_string(l.amount_minor) +
           "}";
  }
  return json_reply(200, out + "]}");
}

}  // namespace

void add_daily_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/tasks/today",
                 .summary = "Tasks today of ?user= (id or login; default the caller): overdue first, then due today, "
                            "reminders",
                 .handler = today, .filters = {"user", "user_id"}, .reply = Reply::record("Today")});
  out.push_back({.method = "GET", .pattern = "/api/v1/today",
                 .summary = "Deprecated name of /api/v1/tasks/today (the same reply)", .handler = today,
                 .filters = {"user", "user_id"}, .reply = Reply::record("Today")});
  out.push_back({.method = "GET", .pattern = "/api/v1/route-plan",
                 .summary = "A rep's outlets for ?date= (default now), with each one's channel and must-have SKUs",
                 .handler = route_plan,
                 .filters = {"rep_id", field::instant("date", "The day to plan (an instant in it); absent: now")},
                 .reply = Reply::record("RoutePlan")});
  out.push_back({.method = "GET", .pattern = "/api/v1/visits/{id}/suggested-order",
                 .summary = "The suggested order for a visit (docs/rules.md, route sales)", .handler = suggested_order,
                 .reply = Reply::record("SuggestedOrder")});
}

}  // namespace salescore::cli
