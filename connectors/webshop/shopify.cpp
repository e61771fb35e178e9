// Shopify, through the GraphQL Admin API only (REST is legacy since 2024-10). Polled:
// orders with `updated_at:>=` the cursor, sorted by UPDATED_AT, cursor-paginated
// (pageInfo.endCursor); the nightly pass adds `status:open`; an order named by an event
// is read with order(id:). Webhooks orders/create|updated|paid|cancelled POST the
// REST-shaped order, signed with X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body,
// client secret)); after a rotation the previous secret still signs for up to an hour
// (webhook_secret_previous). X-Shopify-Webhook-Id de-duplicates retries, which resend the
// original payload (the version guard keeps a stale one from overwriting). Status back:
// orderCancel, orderClose, and fulfilment as Shopify models it: the order's fulfilment
// orders are read, then fulfillmentCreate fulfils each one still open.
#include <algorithm>
#include <sstream>
#include <string>

#include "json_read.h"
#include "line_amounts.h"
#include "platform.h"

namespace salescore::webshop {
namespace {

#define SHOPIFY_ORDER_FIELDS                                                                                       \
  "legacyResourceId name createdAt updatedAt cancelledAt displayFinancialStatus displayFulfillmentStatus email " \
  "phone currencyCode customer{legacyResourceId firstName lastName email phone} "                                \
  "totalPriceSet{shopMoney{amount}} totalTaxSet{shopMoney{amount}} totalShippingPriceSet{shopMoney{amount}} "    \
  "totalDiscountsSet{shopMoney{amount}} totalRefundedSet{shopMoney{amount}} lineItems(first:250){nodes{sku "     \
  "name quantity originalUnitPriceSet{shopMoney{amount}} totalDiscountSet{shopMoney{amount}} variant{sku}}}"

const char* kQuery =
    "query($first:Int!,$after:String,$query:String){orders(first:$first,after:$after,query:$query,"
    "sortKey:UPDATED_AT){pageInfo{hasNextPage endCursor}nodes{" SHOPIFY_ORDER_FIELDS "}}}";
const char* kOrderQuery = "query($id:ID!){order(id:$id){" SHOPIFY_ORDER_FIELDS "}}";
const char* kFulfillmentOrders = "query($id:ID!){order(id:$id){fulfillmentOrders(first:50){nodes{id status}}}}";
const char* kFulfil =
    "mutation($id:ID!){fulfillmentCreate(fulfillment:{lineItemsByFulfillmentOrder:[{fulfillmentOrderId:$id}],"
    "notifyCustomer:false}){fulfillment{id status}userErrors{field message}}}";
const char* kCancel =
    "mutation($id:ID!){orderCancel(orderId:$id,reason:OTHER,refund:false,restock:true,notifyCustomer:false)"
    "{job{id}orderCancelUserErrors{code message}}}";
const char* kClose = "mutation($id:ID!){orderClose(input:{id:$id}){order{id closed}userErrors{field message}}}";

std::string order_gid(const std::string& id) { return "gid://shopify/Order/" + id; }

// A GraphQL request: the query and its variables, as one JSON body.
std::string graphql_body(const char* query, Poco::JSON::Object vars) {
  Poco::JSON::Object body;
  body.set("query", query);
  body.set("variables", vars);
  std::ostringstream text;
  body.stringify(text);
  return text.str();
}

Poco::JSON::Object id_var(const std::string& gid) {
  Poco::JSON::Object vars;
  vars.set("id", gid);
  return vars;
}

// The answer's `data`; a top-level error (throttled, access denied) throws, naming it.
JsonObject graphql_data(const std::string& body, const std::string& what) {
  JsonObject answer = parse_object(body, what);
  if (JsonArray errors = array_at(answer, "errors"); errors && errors->size() > 0) {
    JsonObject first = object_in(errors, 0);
    throw ShopDataError("shopify: " + text_or(object_at(first, "extensions"), "code", "error") + ": " +
                        text_at(first, "message"));
  }
  JsonObject data = object_at(answer, "data");
  if (!data) throw ShopDataError(what + ": no data");
  return data;
}

// The first of a mutation payload's user errors ("" when none).
std::string user_error(const JsonObject& payload) {
  for (const char* key : {"userErrors", "orderCancelUserErrors"}) {
    JsonArray errors = array_at(payload, key);
    if (errors && errors->size() > 0) return text_at(object_in(errors, 0), "message");
  }
  return "";
}

std::string money(const JsonObject& o, const std::string& key) {
  return text_at(object_at(object_at(o, key), "shopMoney"), "amount");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::tolower);
  return s;
}

std::string shopify_status(const std::string& cancelled, std::string fulfilment, const std::string& financial) {
  if (!cancelled.empty()) return "cancelled";
  fulfilment = lower(fulfilment);
  if (fulfilment == "fulfilled") return "fulfilled";
  return financial.empty() ? "pending" : lower(financial);
}

std::int64_t required_ms(const JsonObject& o, const std::string& key, const std::string& what) {
  auto ms = iso_ms(text_at(o, key));
  if (!ms) throw ShopDataError(what + ": no " + key);
  return *ms;
}

// A GraphQL order node.
ShopOrder read_node(const JsonObject& n) {
  if (!n) throw ShopDataError("shopify order: not a JSON object");
  ShopOrder out;
  out.id = required_text(n, "legacyResourceId", "shopify order");
  out.number = text_or(n, "name", out.id);
  out.status = shopify_status(text_at(n, "cancelledAt"), text_at(n, "displayFulfillmentStatus"),
                              text_at(n, "displayFinancialStatus"));
  out.currency = text_at(n, "currencyCode");
  out.created_at = iso_text(required_ms(n, "createdAt", "shopify order " + out.id));
  out.version = out.listed_at = required_ms(n, "updatedAt", "shopify order " + out.id);
  JsonObject c = object_at(n, "customer");
  out.customer = {text_at(c, "legacyResourceId"), full_name(text_at(c, "firstName"), text_at(c, "lastName")),
                  text_or(n, "email", text_at(c, "email")), text_or(n, "phone", text_at(c, "phone"))};
  JsonArray items = array_at(object_at(n, "lineItems"), "nodes");
  for (unsigned i = 0; items && i < items->size(); ++i) {
    JsonObject item = object_in(items, i);
    if (!item) throw ShopDataError("shopify order " + out.id + ": line " + std::to_string(i) + " is no object");
    ShopLine l;
    l.sku = text_or(object_at(item, "variant"), "sku", text_at(item, "sku"));
    l.name = text_at(item, "name");
    l.quantity = text_at(item, "quantity");
    l.unit_price = money(item, "originalUnitPriceSet");
    l.discount = text_or(object_at(object_at(item, "totalDiscountSet"), "shopMoney"), "amount", "0");
    out.lines.push_back(l);
  }
  out.totals = {{"total", money(n, "totalPriceSet")}, {"tax", money(n, "totalTaxSet")},
                {"shipping", money(n, "totalShippingPriceSet")}, {"discount", money(n, "totalDiscountsSet")},
                {"refunded", money(n, "totalRefundedSet")}};
  return out;
}

// The REST-shaped order a webhook carries.
ShopOrder read_rest(const JsonObject& o) {
  if (!o) throw ShopDataError("shopify webhook: not a JSON object");
  ShopOrder out;
  out.id = required_text(o, "id", "shopify order");
  out.number = text_or(o, "name", out.id);
  out.status = shopify_status(text_at(o, "cancelled_at"), text_at(o, "fulfillment_status"), text_at(o, "financial_status"));
  out.currency = text_at(o, "currency");
  out.created_at = iso_text(required_ms(o, "created_at", "shopify order " + out.id));
  out.version = out.listed_at = required_ms(o, "updated_at", "shopify order " + out.id);
  JsonObject c = object_at(o, "customer");  // null for a guest order
  out.customer = {text_at(c, "id"), full_name(text_at(c, "first_name"), text_at(c, "last_name")),
                  text_or(o, "email", text_at(c, "email")), text_or(o, "phone", text_at(c, "phone"))};
  JsonArray items = array_at(o, "line_items");
  for (unsigned i = 0; items && i < items->size(); ++i) {
    JsonObject item = object_in(items, i);
    if (!item) throw ShopDataError("shopify order " + out.id + ": line_items[" + std::to_string(i) + "] is no object");
    out.lines.push_back({text_at(item, "sku"), text_at(item, "name"), text_at(item, "quantity"), text_at(item, "price"),
                         text_or(item, "total_discount", "0")});
  }
  out.totals = {{"total", text_at(o, "total_price")}, {"tax", text_at(o, "total_tax")},
                {"discount", text_at(o, "total_discounts")},
                {"shipping", text_at(object_at(object_at(o, "total_shipping_price_set"), "shop_money"), "amount")}};
  return out;
}

class Shopify : public Platform {
 public:
  explicit Shopify(PlatformSettings s) : s_(std::move(s)) {}
  std::string name() const override { return "shopify"; }
  std::map<std::string, std::string> auth_headers() const override { return {{"X-Shopify-Access-Token", s_.api_key}}; }

  ShopCall list_orders(std::int64_t since_ms, const std::string& next, int page_size) const override {
    return orders_page("updated_at:>='" + iso_text(since_ms) + "'", next, page_size);
  }

  std::optional<ShopCall> list_open_orders(const std::string& next, int page_size) const override {
    return orders_page("status:open", next, page_size);
  }

  OrderPage read_page(const ShopReply& reply, const std::string&) const override {
    JsonObject orders = object_at(graphql_data(reply.body, "shopify orders page"), "orders");
    JsonArray nodes = array_at(orders, "nodes");
    if (!nodes) throw ShopDataError("shopify orders page: no data.orders.nodes");
    OrderPage page;
    for (unsigned i = 0; i < nodes->size(); ++i) page.orders.push_back(read_node(object_in(nodes, i)));
    JsonObject info = object_at(orders, "pageInfo");
    if (text_at(info, "hasNextPage") == "true") page.next = text_at(info, "endCursor");
    return page;
  }

  ShopCall fetch_order(const std::string& id) const override {
    return {"POST", graphql(), graphql_body(kOrderQuery, id_var(order_gid(id)))};
  }
  ShopOrder read_order(const std::string& body) const override {
    JsonObject data = graphql_data(body, "shopify order");
    if (!data->has("order") || data->isNull("order")) throw ShopOrderGone("shopify: no such order");
    return read_node(object_at(data, "order"));
  }

  std::string verify(const WebhookDelivery& d, const WebhookSecrets& s) const override {
    return signed_body_problem(d, s, "x-shopify-hmac-sha256");
  }

  WebhookEvent read_webhook(const WebhookDelivery& d) const override {
    WebhookEvent e;
    e.topic = d.header("x-shopify-topic");
    e.delivery_id = d.header("x-shopify-webhook-id");
    e.kind = WebhookEvent::kOrder;
    e.order = read_rest(parse_object(d.body, "shopify webhook " + e.topic));
    return e;
  }

  std::vector<ShopCall> set_status(const std::string& id, const std::string& shop_status) const override {
    const char* query = shop_status == "cancelled" ? kCancel
                        : shop_status == "closed"  ? kClose
                        : shop_status == "fulfilled" ? kFulfillmentOrders
                                                     : nullptr;
    if (!query) return {};  // Shopify has no other status to set: its statuses follow payments and fulfilments
    return {{"POST", graphql(), graphql_body(query, id_var(order_gid(id)))}};
  }

  std::vector<ShopCall> status_follow_up(const std::string& id, const std::string& shop_status,
                                         const ShopReply& reply) const override {
    JsonObject data = graphql_data(reply.body, "shopify " + shop_status);
    for (const char* mutation : {"orderCancel", "orderClose", "fulfillmentCreate"})
      if (data->has(mutation)) {
        if (std::string problem = user_error(object_at(data, mutation)); !problem.empty()) throw ShopDataError(problem);
        return {};
      }
    if (!data->has("order") || data->isNull("order")) throw ShopDataError("no order " + id + " in the shop");
    // Fulfil every fulfilment order still open; none open: fulfilled already.
    std::vector<ShopCall> out;
    JsonArray nodes = array_at(object_at(object_at(data, "order"), "fulfillmentOrders"), "nodes");
    for (unsigned i = 0; nodes && i < nodes->size(); ++i) {
      JsonObject node = object_in(nodes, i);
      const std::string state = text_at(node, "status");
      if (state == "OPEN" || state == "IN_PROGRESS")
        out.push_back({"POST", graphql(), graphql_body(kFulfil, id_var(text_at(node, "id")))});
    }
    return out;
  }

  std::string default_status_map() const override {
    return "pending=new, authorized=new, paid=confirmed, partially_paid=confirmed, fulfilled=shipped, "
           "closed=completed, cancelled=cancelled, voided=cancelled, refunded=cancelled, partially_refunded=confirmed";
  }

 private:
  std::string graphql() const { return "/admin/api/" + s_.api_version + "/graphql.json"; }
  ShopCall orders_page(const std::string& filter, const std::string& next, int page_size) const {
    Poco::JSON::Object vars;
    vars.set("first", page_size);
    if (!next.empty()) vars.set("after", next);
    vars.set("query", filter);
    return {"POST", graphql(), graphql_body(kQuery, vars)};
  }
  PlatformSettings s_;
};

}  // namespace

std::unique_ptr<Platform> make_shopify(const PlatformSettings& s) { return std::make_unique<Shopify>(s); }

}  // namespace salescore::webshop
