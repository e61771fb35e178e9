// /api/v1/visits: a field rep's visits to outlets — check in, record the stock seen,
// attach the order taken, check out.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

Result<VisitQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  VisitQuery query;
  query.rep_id = q.id("rep_id");
  query.outlet_id = q.id("outlet_id");
  query.from = q.instant("from");
  query.to = q.instant("to");
  query.open = q.boolean("open");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::visits); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::visits); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.visits().get(call.actor, call.id)); }

struct CheckIn {
  Id rep_id = 0;
  Id outlet_id = 0;
};

const Fields kCheckIn = {field::id("rep_id", "The rep checked in (one the caller manages); absent: the caller"),
                         field::id("outlet_id", "The outlet (a client)").need()};
const Fields kStock = {
    field::text_map("stock", "SKU -> quantity seen (decimal string); replaces what was recorded").need().eg(
        "{\"A-1\": \"3\"}")};
const Fields kAttach = {field::id("order_id", "The order taken at the visit").need()};

// {"outlet_id": 12} checks the caller in; "rep_id" checks in a rep the caller manages.
HttpReply check_in(ApiCall& call) {
  return write_record(
      call, kCheckIn, "check-in",
      [&](BodyReader& b) {
        CheckIn c;
        c.rep_id = b.id("rep_id").value_or(call.actor.user_id);
        c.outlet_id = b.id("outlet_id").value_or(0);
        if (!c.outlet_id) b.error("outlet_id", "required");
        return c;
      },
      [&](const CheckIn& c) { return call.engine.visits().check_in(call.actor, c.rep_id, c.outlet_id); }, 201);
}

// {"stock": {"SKU-1": "12", "SKU-2": "0.5"}}: replaces the stock seen at the outlet.
HttpReply record_stock(ApiCall& call) {
  return write_record(
      call, kStock, "stock",
      [](BodyReader& b) {
        std::map<std::string, Quantity> stock;
        if (!b.has("stock")) b.error("stock", "required");
        if (auto seen = b.text_map("stock")) {
          for (const auto& [sku, text] : *seen) {
            auto q = parse_quantity(text);
            if (!q.ok()) b.error("stock." + sku, q.status().message());
            else stock[sku] = *q;
          }
        }
        return stock;
      },
      [&](const std::map<std::string, Quantity>& stock) {
        return call.engine.visits().record_stock(call.actor, call.id, stock);
      });
}

HttpReply attach_order(ApiCall& call) {
  return write_record(
      call, kAttach, "visit order",
      [](BodyReader& b) {
        auto id = b.id("order_id");
        if (!id || !*id) b.error("order_id", "required");
        return id.value_or(0);
      },
      [&](Id order_id) { return call.engine.visits().attach_order(call.actor, call.id, order_id); });
}

HttpReply check_out(ApiCall& call) {
  return bodyless_action(call, "check-out", [&] { return call.engine.visits().check_out(call.actor, call.id); });
}

}  // namespace

void add_visit_routes(std::vector<Route>& out) {
  const std::string one = "/api/v1/visits/{id}";
  out.push_back({.method = "GET", .pattern = "/api/v1/visits", .summary = "List visits to outlets",
                 .handler = list, .filters = {"rep_id", "outlet_id", "from", "to", "open"}, .paged = true,
                 .reply = Reply::page("Visit")});
  out.push_back({.method = "GET", .pattern = "/api/v1/visits/count",
                 .summary = "Count the visits the list would give with the same filters",
                 .handler = count, .filters = {"rep_id", "outlet_id", "from", "to", "open"},
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/visits", .summary = "Check in at an outlet",
                 .handler = check_in, .fields = kCheckIn, .success_status = 201,
                 .reply = Reply::record("Visit")});
  out.push_back({.method = "GET", .pattern = one, .summary = "Get a visit", .handler = get,
                 .reply = Reply::record("Visit")});
  out.push_back({.method = "POST", .pattern = one + "/stock",
                 .summary = "Record the stock seen (SKU -> quantity); lists missing must-haves",
                 .handler = record_stock,
                 .fields = kStock, .reply = Reply::record("Visit")});
  out.push_back({.method = "POST", .pattern = one + "/order", .summary = "Attach the order taken at the visit",
                 .handler = attach_order, .fields = kAttach,
                 .reply = Reply::record("Visit")});
  out.push_back({.method = "POST", .pattern = one + "/check-out", .summary = "Check out", .handler = check_out,
                 .reply = Reply::record("Visit")});
}

}  // namespace salescore::cli
