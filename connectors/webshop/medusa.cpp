// Medusa v2 admin API. Orders by `updated_at[$gte]`, oldest first, `offset`/`limit`
// pages counted by the body's `count`; authenticated by a secret API key as the Basic
// username. A payment capture or a fulfilment does not move the order's updated_at, so
// the version is the latest time anywhere in the order (payment collections,
// fulfilments) and the reconcile pass (poller.cpp) re-reads recent orders. Medusa's
// webhooks come from a subscriber of the shop's own: a body {"event","data":{"id"}}
// carrying ids only, so every one fetches the order; no signature, so the route's secret
// (`?key=`) is checked. Status back: POST /admin/orders/{id}/cancel | /complete, and
// fulfilment as Medusa models it (fulfilment_steps below).
#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "json_read.h"
#include "line_amounts.h"
#include "platform.h"

namespace salescore::webshop {
namespace {

// Fields beyond the default listing: lines, the customer, payments, fulfilments.
const char* kFields = "*items,*customer,*shipping_address,*billing_address,*payment_collections,*fulfillments,"
                      "*fulfillments.items,"
                      "*shipping_methods,+summary,+payment_status,+fulfillment_status";

std::int64_t latest_ms(const JsonObject& o, std::initializer_list<const char*> keys) {
  std::int64_t latest = 0;
  for (const char* key : keys)
    if (auto ms = iso_ms(text_at(o, key))) latest = std::max(latest, *ms);
  return latest;
}

std::int64_t latest_in(const JsonArray& a) {
  std::int64_t latest = 0;
  for (unsigned i = 0; a && i < a->size(); ++i)
    latest = std::max(latest, latest_ms(object_in(a, i), {"updated_at", "created_at", "completed_at", "captured_at",
                                                          "packed_at", "shipped_at", "delivered_at", "canceled_at"}));
  return latest;
}

// Medusa keeps exact amounts beside the JSON numbers: {"value": "19.99", "precision": 20}.
std::string exact(const JsonObject& o, const std::string& key) {
  std::string raw = text_at(object_at(o, "raw_" + key), "value");
  return raw.empty() ? text_at(o, key) : raw;
}

// One status from Medusa's three (order, payment, fulfilment), most advanced first.
std::string medusa_status(const JsonObject& o) {
  const std::string status = text_at(o, "status");
  if (status == "canceled" || status == "completed" || status == "archived" || status == "draft") return status;
  const std::string fulfilment = text_at(o, "fulfillment_status");
  if (fulfilment == "delivered" || fulfilment == "shipped" || fulfilment == "fulfilled") return fulfilment;
  const std::string payment = text_at(o, "payment_status");
  if (payment == "captured" || payment == "partially_refunded" || payment == "refunded") return "captured";
  return status;
}

ShopOrder read_medusa_order(const JsonObject& o) {
  if (!o) throw ShopDataError("medusa order: not a JSON object");
  ShopOrder out;
  out.id = required_text(o, "id", "medusa order");
  out.number = text_or(o, "display_id", out.id);
  out.status = medusa_status(o);
  std::string currency = text_at(o, "currency_code");
  std::transform(currency.begin(), currency.end(), currency.begin(), ::toupper);
  out.currency = currency;
  auto created = iso_ms(text_at(o, "created_at"));
  out.created_at = created ? iso_text(*created) : "";
  out.version = std::max({latest_ms(o, {"updated_at", "created_at", "canceled_at"}),
                          latest_in(array_at(o, "payment_collections")), latest_in(array_at(o, "fulfillments"))});
  if (out.version == 0) throw ShopDataError("medusa order " + out.id + ": no updated_at");
  out.listed_at = latest_ms(o, {"updated_at", "created_at"});
  JsonObject customer = object_at(o, "customer");
  JsonObject address = object_at(o, "billing_address");
  if (!address) address = object_at(o, "shipping_address");
  out.customer.id = text_at(o, "customer_id");
  out.customer.email = text_or(o, "email", text_at(customer, "email"));
  out.customer.phone = text_or(customer, "phone", text_at(address, "phone"));
  const JsonObject named = customer && !text_at(customer, "first_name").empty() ? customer : address;
  out.customer.name = full_name(text_at(named, "first_name"), text_at(named, "last_name"));
  if (out.customer.name.empty()) out.customer.name = text_at(customer, "company_name");
  JsonArray items = array_at(o, "items");
  for (unsigned i = 0; items && i < items->size(); ++i) {
    JsonObject item = object_in(items, i);
    if (!item) throw ShopDataError("medusa order " + out.id + ": items[" + std::to_string(i) + "] is no object");
    std::string title = text_at(item, "product_title");
    if (std::string variant = text_at(item, "variant_title"); !variant.empty() && variant != title)
      title += title.empty() ? variant : " (" + variant + ")";
    if (title.empty()) title = text_at(item, "title");
    out.lines.push_back(line_from_totals(text_at(item, "variant_sku"), title, exact(item, "quantity"),
                                         exact(item, "subtotal"), exact(item, "total")));
  }
  JsonObject summary = object_at(o, "summary");
  out.totals["total"] = exact(o, "total");
  if (out.totals["total"].empty()) out.totals["total"] = exact(summary, "current_order_total");
  out.totals["paid"] = exact(summary, "paid_total");
  out.totals["refunded"] = exact(summary, "refunded_total");
  std::int64_t shipping = 0;
  JsonArray methods = array_at(o, "shipping_methods");
  for (unsigned i = 0; methods && i < methods->size(); ++i)
    if (auto amount = micro_units(exact(object_in(methods, i), "total"))) shipping += *amount;
  out.totals["shipping"] = micro_text(shipping);
  out.attributes["payment_status"] = text_at(o, "payment_status");
  out.attributes["fulfillment_status"] = text_at(o, "fulfillment_status");
  return out;
}

// A quantity as Medusa gives it (a JSON number, or its exact "raw_" text), in whole units.
long whole(const JsonObject& o, const std::string& key) {
  auto micro = micro_units(exact(o, key));
  return micro ? static_cast<long>(*micro / 1'000'000) : 0;
}

// An item's fulfilled quantity: v2 keeps it in the item's `detail`.
long fulfilled_of(const JsonObject& item) {
  JsonObject detail = object_at(item, "detail");
  return detail ? whole(detail, "fulfilled_quantity") : whole(item, "fulfilled_quantity");
}

std::string items_body(const std::vector<std::pair<std::string, long>>& items) {
  Poco::JSON::Array list;
  for (const auto& [id, quantity] : items) {
    Poco::JSON::Object item;
    item.set("id", id);
    item.set("quantity", quantity);
    list.add(item);
  }
  Poco::JSON::Object body;
  body.set("items", list);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

// The next step towards `shop_status` (fulfilled | shipped | delivered) from the order as
// the last answer shows it. Every answer of these calls is the order again, so each step
// is decided by what the shop has, not by which call came before: a retry after a step
// that went through carries on from there. First the items not fulfilled yet are
// fulfilled (POST /admin/orders/{id}/fulfillments with the line items and quantities);
// then, for shipped and delivered, each fulfilment not shipped gets its shipment (POST
// .../fulfillments/{f}/shipments with its items), so that what the next poll reads back
// is "shipped" again, not "fulfilled" (which maps to confirmed); then, for delivered,
// each shipped one is marked delivered. Nothing left to do: no calls.
std::vector<ShopCall> fulfilment_steps(const std::string& id, const std::string& shop_status, const JsonObject& o) {
  if (text_at(o, "status") == "canceled") throw ShopDataError("the order is canceled in Medusa");
  const std::string order = "/admin/orders/" + url_escape(id);
  std::vector<std::pair<std::string, long>> unfulfilled;
  JsonArray items = array_at(o, "items");
  for (unsigned i = 0; items && i < items->size(); ++i) {
    JsonObject item = object_in(items, i);
    if (long left = whole(item, "quantity") - fulfilled_of(item); left > 0)
      unfulfilled.emplace_back(text_at(item, "id"), left);
  }
  if (!unfulfilled.empty()) return {{"POST", order + "/fulfillments", items_body(unfulfilled)}};
  if (shop_status == "fulfilled") return {};
  std::vector<ShopCall> out;
  JsonArray fulfilments = array_at(o, "fulfillments");
  for (unsigned i = 0; fulfilments && i < fulfilments->size(); ++i) {
    JsonObject f = object_in(fulfilments, i);
    if (!text_at(f, "canceled_at").empty()) continue;
    const std::string target = order + "/fulfillments/" + url_escape(text_at(f, "id"));
    if (text_at(f, "shipped_at").empty()) {
      std::vector<std::pair<std::string, long>> shipped;
      JsonArray its = array_at(f, "items");
      for (unsigned j = 0; its && j < its->size(); ++j)
        shipped.emplace_back(text_at(object_in(its, j), "line_item_id"), whole(object_in(its, j), "quantity"));
      if (shipped.empty())  // the fulfilment's items not expanded: what is fulfilled and not shipped
        for (unsigned j = 0; items && j < items->size(); ++j) {
          JsonObject item = object_in(items, j), detail = object_at(item, "detail");
          if (long left = fulfilled_of(item) - whole(detail, "shipped_quantity"); left > 0)
            shipped.emplace_back(text_at(item, "id"), left);
        }
      out.push_back({"POST", target + "/shipments", items_body(shipped)});
    } else if (shop_status == "delivered" && text_at(f, "delivered_at").empty()) {
      out.push_back({"POST", target + "/mark-as-delivered", "{}"});
    }
  }
  return out;
}

bool is_fulfilment(const std::string& shop_status) {
  return shop_status == "fulfilled" || shop_status == "shipped" || shop_status == "delivered";
}

class Medusa : public Platform {
 public:
  explicit Medusa(PlatformSettings s) : s_(std::move(s)) {}
  std::string name() const override { return "medusa"; }

  std::map<std::string, std::string> auth_headers() const override {
    return {{"Authorization", "Basic " + base64(s_.api_key + ":")}};
  }

  ShopCall list_orders(std::int64_t since_ms, const std::string& next, int page_size) const override {
    ShopCall c;
    c.target = "/admin/orders?updated_at%5B%24gte%5D=" + url_escape(iso_text(since_ms)) +
               "&order=updated_at&limit=" + std::to_string(page_size) + "&offset=" + (next.empty() ? "0" : next) +
               "&fields=" + url_escape(kFields);
    return c;
  }

  // Medusa v2's order statuses that are not done: pending, requires_action.
  std::optional<ShopCall> list_open_orders(const std::string& next, int page_size) const override {
    ShopCall c;
    c.target = "/admin/orders?status%5B%5D=pending&status%5B%5D=requires_action&order=created_at&limit=" +
               std::to_string(page_size) + "&offset=" + (next.empty() ? "0" : next) + "&fields=" + url_escape(kFields);
    return c;
  }

  OrderPage read_page(const ShopReply& reply, const std::string& next) const override {
    JsonObject body = parse_object(reply.body, "medusa orders page");
    JsonArray orders = array_at(body, "orders");
    if (!orders) throw ShopDataError("medusa orders page: no orders array");
    OrderPage page;
    for (unsigned i = 0; i < orders->size(); ++i) page.orders.push_back(read_medusa_order(object_in(orders, i)));
    const long offset = next.empty() ? 0 : std::stol(next);
    long count = 0;
    try {
      count = std::stol(text_at(body, "count"));
    } catch (const std::exception&) {
    }
    const long reached = offset + static_cast<long>(orders->size());
    if (orders->size() > 0 && reached < count) page.next = std::to_string(reached);
    return page;
  }

  ShopCall fetch_order(const std::string& id) const override {
    return {"GET", "/admin/orders/" + url_escape(id) + "?fields=" + url_escape(kFields), ""};
  }

  ShopOrder read_order(const std::string& body) const override {
    JsonObject o = parse_object(body, "medusa order");
    return read_medusa_order(o->has("order") ? object_at(o, "order") : o);
  }

  std::string verify(const WebhookDelivery& d, const WebhookSecrets& s) const override {
    return route_secret_problem(d, s);
  }

  WebhookEvent read_webhook(const WebhookDelivery& d) const override {
    JsonObject o = parse_object(d.body, "medusa event");
    WebhookEvent e;
    e.topic = text_or(o, "event", d.header("x-medusa-event"));
    JsonObject data = object_at(o, "data");
    if (e.topic.rfind("order.", 0) == 0) {
      // order.placed|updated|canceled|completed carry the order's id; order.fulfillment_*
      // carry it as order_id beside the fulfilment's.
      e.order_id = text_or(data, "order_id", text_at(data, "id"));
      if (e.order_id.empty()) throw ShopDataError("medusa event " + e.topic + ": no order id in data");
      e.kind = WebhookEvent::kFetch;
    }
    // payment.* name a payment, not its order: the reconcile pass reads the order.
    e.delivery_id = e.topic + "@" + text_at(o, "sent_at") + "#" + e.order_id;
    return e;
  }

  std::vector<ShopCall> set_status(const std::string& id, const std::string& shop_status) const override {
    if (shop_status == "canceled") return {{"POST", "/admin/orders/" + url_escape(id) + "/cancel", "{}"}};
    if (shop_status == "completed") return {{"POST", "/admin/orders/" + url_escape(id) + "/complete", "{}"}};
    // Fulfilment needs the order's line items: read first, then fulfilment_steps.
    if (is_fulfilment(shop_status)) return {fetch_order(id)};
    return {};  // payment is Medusa's own workflow, not a status to set
  }

  std::vector<ShopCall> status_follow_up(const std::string& id, const std::string& shop_status,
                                         const ShopReply& reply) const override {
    if (!is_fulfilment(shop_status)) return {};
    JsonObject o = parse_object(reply.body, "medusa order");
    return fulfilment_steps(id, shop_status, o->has("order") ? object_at(o, "order") : o);
  }

  std::string default_status_map() const override {
    return "pending=new, requires_action=new, draft=new, captured=confirmed, fulfilled=confirmed, "
           "shipped=shipped, delivered=delivered, completed=completed, archived=completed, canceled=cancelled";
  }

 private:
  PlatformSettings s_;
};

}  // namespace

std::unique_ptr<Platform> make_medusa(const PlatformSettings& s) { return std::make_unique<Medusa>(s); }

}  // namespace salescore::webshop
