// Route sales set up over REST as from Python and the screens: a rep's route for a
// weekday, an outlet's channel and a channel's must-have SKUs. Who may set or read them
// is RouteService's and MustHaveService's rule (docs/rules.md "Route sales").
#include "api/api_router.h"

namespace salescore::cli {
namespace {

const Fields kRoute = {field::id("rep_id", "The rep; absent: the caller"),
                       field::integer("weekday", "1 Monday .. 7 Sunday").range(1, 7).need().eg("1"),
                       field::ids("outlet_ids", "The outlets (clients) in visiting order").need().eg("[12, 7]")};
const Fields kChannel = {field::text("channel", "The outlet's channel").need().eg("\"supermarket\"")};
const Fields kMustHave = {field::text("channel", "The channel").need().eg("\"supermarket\""),
                          field::texts("skus", "The SKUs every outlet of it should carry").need()};

std::string route_json(const salescore::Route& route) {
  std::string ids;
  for (Id id : route.outlet_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  return "{\"rep_id\":" + std::to_string(route.rep_id) + ",\"weekday\":" + std::to_string(route.weekday) +
         ",\"outlet_ids\":[" + ids + "]}";
}

std::string skus_json(const std::string& channel, const std::vector<std::string>& skus) {
  std::string list;
  for (const std::string& sku : skus) list += (list.empty() ? "" : ",") + json_string(sku);
  return "{\"channel\":" + json_string(channel) + ",\"skus\":[" + list + "]}";
}

// ?rep= (an id or a login; default the caller) and ?weekday= (1 Monday .. 7 Sunday).
HttpReply get_route(ApiCall& call) {
  QueryReader q(call);
  const Id rep_id = q.user("rep").value_or(call.actor.user_id);
  auto weekday = q.integer("weekday", 1, 7);
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  if (!weekday)
    return error_reply(Status::invalid("?weekday= is required: 1 (Monday) .. 7 (Sunday)",
                                       {{"weekday", "expected 1 .. 7"}}));
  auto route = call.engine.routes().get(call.actor, rep_id, static_cast<int>(*weekday));
  if (!route.ok()) return error_reply(route.status());
  return json_reply(200, route_json(*route));
}

HttpReply set_route(ApiCall& call) {
  auto body = body_of(call, kRoute);
  if (!body.ok()) return error_reply(body.status());
  const Id rep_id = body->id("rep_id").value_or(call.actor.user_id);
  auto weekday = body->integer("weekday", 1, 7);
  auto outlets = body->ids("outlet_ids");
  if (!body->has("weekday")) body->error("weekday", "required");
  if (!body->has("outlet_ids")) body->error("outlet_ids", "required");
  if (Status st = body->status("route"); !st.is_ok()) return error_reply(st);
  auto route = call.engine.routes().set(call.actor, rep_id, static_cast<int>(*weekday), *outlets);
  if (!route.ok()) return error_reply(route.status());
  return json_reply(200, route_json(*route));
}

HttpReply get_channel(ApiCall& call) {
  auto channel = call.engine.routes().channel(call.actor, call.id);
  if (!channel.ok()) return error_reply(channel.status());
  return json_reply(200, "{\"outlet_id\":" + std::to_string(call.id) + ",\"channel\":" + json_string(*channel) + "}");
}

HttpReply set_channel(ApiCall& call) {
  auto body = body_of(call, kChannel);
  if (!body.ok()) return error_reply(body.status());
  const std::string channel = body->required_text("channel");
  if (Status st = body->status("channel"); !st.is_ok()) return error_reply(st);
  if (Status st = call.engine.routes().set_channel(call.actor, call.id, channel); !st.is_ok()) return error_reply(st);
  return get_channel(call);
}

HttpReply get_must_have(ApiCall& call) {
  QueryReader q(call);
  auto channel = q.text("channel");
  if (!channel) return error_reply(Status::invalid("?channel= is required", {{"channel", "required"}}));
  auto skus = call.engine.must_have().get(call.actor, *channel);
  if (!skus.ok()) return error_reply(skus.status());
  return json_reply(200, skus_json(*channel, *skus));
}

HttpReply set_must_have(ApiCall& call) {
  auto body = body_of(call, kMustHave);
  if (!body.ok()) return error_reply(body.status());
  const std::string channel = body->required_text("channel");
  auto skus = body->texts("skus");
  if (!body->has("skus")) body->error("skus", "required");
  if (Status st = body->status("must-have list"); !st.is_ok()) return error_reply(st);
  if (Status st = call.engine.must_have().set(call.actor, channel, *skus); !st.is_ok()) return error_reply(st);
  return json_reply(200, skus_json(channel, *skus));
}

}  // namespace

void add_field_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/routes",
                 .summary = "A rep's route for ?weekday= (1-7): the outlets in visiting order (?rep= id or login)",
                 .handler = get_route,
                 .filters = {"rep", field::integer("weekday", "1 Monday .. 7 Sunday").range(1, 7).need().eg("1")},
                 .reply = Reply::record("RepRoute")});
  out.push_back({.method = "POST", .pattern = "/api/v1/routes",
                 .summary = "Set a rep's route for a weekday (the rep, their head, a director or an admin)",
                 .handler = set_route, .fields = kRoute, .reply = Reply::record("RepRoute")});
  out.push_back({.method = "GET", .pattern = "/api/v1/clients/{id}/channel",
                 .summary = "The outlet channel of a client (supermarket, kiosk, ...)", .handler = get_channel,
                 .reply = Reply::record("OutletChannel")});
  out.push_back({.method = "POST", .pattern = "/api/v1/clients/{id}/channel",
                 .summary = "Set the outlet channel of a client", .handler = set_channel, .fields = kChannel,
                 .reply = Reply::record("OutletChannel")});
  out.push_back({.method = "GET", .pattern = "/api/v1/must-have",
                 .summary = "The must-have SKUs of ?channel=", .handler = get_must_have, .filters = {"channel"},
                 .reply = Reply::record("MustHave")});
  out.push_back({.method = "POST", .pattern = "/api/v1/must-have",
                 .summary = "Set the must-have SKUs of a channel (heads, directors, admins)", .handler = set_must_have,
                 .fields = kMustHave, .reply = Reply::record("MustHave")});
}

}  // namespace salescore::cli
