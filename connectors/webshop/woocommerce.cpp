// WooCommerce REST API v3. Orders modified since the cursor, oldest first, in GMT
// (`dates_are_gmt=true`: without it WooCommerce reads the bound in the store's time
// zone); pages counted by X-WP-TotalPages. Webhooks order.created|updated|deleted signed
// with X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, secret)); the ping sent when
// a webhook is saved is a form body `webhook_id=N`. Status back: PUT .../orders/{id}.
#include <algorithm>
#include <sstream>
#include <string>

#include "json_read.h"
#include "line_amounts.h"
#include "platform.h"

namespace salescore::webshop {
namespace {

const char* kOrders = "/wp-json/wc/v3/orders";

std::int64_t gmt_ms(const JsonObject& o, const std::string& key) {
  // The *_gmt fields carry no zone designator: they are UTC by definition.
  auto ms = iso_ms(text_at(o, key));
  return ms ? *ms : 0;
}

ShopOrder read_woo_order(const JsonObject& o) {
  if (!o) throw ShopDataError("woocommerce order: not a JSON object");
  ShopOrder out;
  out.id = required_text(o, "id", "woocommerce order");
  out.number = text_or(o, "number", out.id);
  out.status = text_at(o, "status");
  out.currency = text_at(o, "currency");
  out.created_at = iso_text(gmt_ms(o, "date_created_gmt"));
  // A refund changes date_modified too; the order's own modified time is its version.
  out.version = std::max(gmt_ms(o, "date_modified_gmt"), gmt_ms(o, "date_created_gmt"));
  if (out.version == 0) throw ShopDataError("woocommerce order " + out.id + ": no date_modified_gmt");
  out.listed_at = out.version;
  JsonObject billing = object_at(o, "billing");
  const std::string customer = text_at(o, "customer_id");
  out.customer.id = customer == "0" ? "" : customer;  // 0: a guest
  out.customer.name = full_name(text_at(billing, "first_name"), text_at(billing, "last_name"));
  if (out.customer.name.empty()) out.customer.name = text_at(billing, "company");
  out.customer.email = text_at(billing, "email");
  out.customer.phone = text_at(billing, "phone");
  JsonArray items = array_at(o, "line_items");
  for (unsigned i = 0; items && i < items->size(); ++i) {
    JsonObject item = object_in(items, i);
    if (!item) throw ShopDataError("woocommerce order " + out.id + ": line_items[" + std::to_string(i) + "] is no object");
    // `sku` is the variation's when it has one, else its parent's (WooCommerce fills it so).
    out.lines.push_back(line_from_totals(text_at(item, "sku"), text_at(item, "name"), text_at(item, "quantity"),
                                         text_at(item, "subtotal"), text_at(item, "total")));
  }
  out.totals["total"] = text_at(o, "total");
  out.totals["tax"] = text_at(o, "total_tax");
  out.totals["shipping"] = text_at(o, "shipping_total");
  out.totals["discount"] = text_at(o, "discount_total");
  std::int64_t refunded = 0;
  JsonArray refunds = array_at(o, "refunds");
  for (unsigned i = 0; refunds && i < refunds->size(); ++i) {
    auto amount = micro_units(text_at(object_in(refunds, i), "total"));  // "-5.00"
    if (amount) refunded += *amount < 0 ? -*amount : *amount;
  }
  out.totals["refunded"] = micro_text(refunded);
  out.attributes["payment_method"] = text_at(o, "payment_method");
  out.attributes["transaction_id"] = text_at(o, "transaction_id");
  out.payment_reference = out.attributes["transaction_id"];
  return out;
}

// "<bound ms>:<page>", as read_page writes it; a bad one reads as the first page.
void read_next(const std::string& next, std::int64_t& bound, long& page) {
  const auto colon = next.find(':');
  try {
    bound = std::stoll(next.substr(0, colon));
    page = colon == std::string::npos ? 1 : std::max(1L, std::stol(next.substr(colon + 1)));
  } catch (const std::exception&) {
    page = 1;
  }
}

// "webhook_id=12": the whole body of WooCommerce's ping.
bool is_ping(const std::string& body) {
  if (body.rfind("webhook_id=", 0) != 0 || body.size() == 11 || body.size() > 32) return false;
  return body.find_first_not_of("0123456789", 11) == std::string::npos;
}

class WooCommerce : public Platform {
 public:
  explicit WooCommerce(PlatformSettings s) : s_(std::move(s)) {}
  std::string name() const override { return "woocommerce"; }

  std::map<std::string, std::string> auth_headers() const override {
    return {{"Authorization", "Basic " + base64(s_.api_key + ":" + s_.api_secret)}};
  }

  // Keyset pages: each request starts again at page 1 after the last modified time read
  // so far (less a second: the bound is compared to the second, and orders sharing the
  // last one are read again, which the inbox makes free). Page numbers over one fixed
  // bound skip an order whenever one of the pages already read is modified meanwhile
  // (it moves to the end and every later order one place up). `next` is
  // "<bound ms>:<page>"; the page only grows while a whole page shares one second.
  ShopCall list_orders(std::int64_t since_ms, const std::string& next, int page_size) const override {
    std::int64_t bound = since_ms;
    long page = 1;
    if (!next.empty()) read_next(next, bound, page);
    ShopCall c;
    c.target = std::string(kOrders) + "?modified_after=" + url_escape(iso_text(bound, true)) +
               "&dates_are_gmt=true&orderby=modified&order=asc&per_page=" + std::to_string(page_size) +
               "&page=" + std::to_string(page);
    return c;
  }

  // WooCommerce's open statuses (plugins may add more; their orders come by the window),
  // in keyset pages as above, from the beginning.
  std::optional<ShopCall> list_open_orders(const std::string& next, int page_size) const override {
    ShopCall c = list_orders(0, next, page_size);
    c.target += "&status=pending,processing,on-hold";
    return c;
  }

  OrderPage read_page(const ShopReply& reply, const std::string& next) const override {
    OrderPage page;
    JsonArray orders = parse_array(reply.body, "woocommerce orders page");
    for (unsigned i = 0; i < orders->size(); ++i) page.orders.push_back(read_woo_order(object_in(orders, i)));
    // The first page's bound is below every order on it: the set after "a second before
    // the first order" is the same set.
    std::int64_t bound = 0;
    long current = 1;
    if (!next.empty()) {
      read_next(next, bound, current);
    } else if (!page.orders.empty()) {
      bound = page.orders.front().listed_at;
      for (const ShopOrder& o : page.orders) bound = std::min(bound, o.listed_at);
      bound -= 1000;
    }
    long total = 0;
    try {
      total = std::stol(reply.header("x-wp-totalpages"));
    } catch (const std::exception&) {
      total = orders->size() == 0 ? current : current + 1;  // no header: read until an empty page
    }
    if (current >= total || orders->size() == 0) return page;
    std::int64_t last = 0;
    for (const ShopOrder& o : page.orders) last = std::max(last, o.listed_at);
    if (last - 1000 > bound) page.next = std::to_string(last - 1000) + ":1";
    else page.next = std::to_string(bound) + ":" + std::to_string(current + 1);  // a whole page in one second
    return page;
  }

  ShopCall fetch_order(const std::string& id) const override { return {"GET", std::string(kOrders) + "/" + url_escape(id), ""}; }

  ShopOrder read_order(const std::string& body) const override {
    return read_woo_order(parse_object(body, "woocommerce order"));
  }

  std::string verify(const WebhookDelivery& d, const WebhookSecrets& s) const override {
    // The ping WooCommerce sends when a webhook is saved comes unsigned and applies
    // nothing: answered whatever its signature.
    if (is_ping(d.body)) return "";
    return signed_body_problem(d, s, "x-wc-webhook-signature");
  }

  WebhookEvent read_webhook(const WebhookDelivery& d) const override {
    WebhookEvent e;
    e.topic = d.header("x-wc-webhook-topic");
    e.delivery_id = d.header("x-wc-webhook-delivery-id");
    if (is_ping(d.body)) {
      e.kind = WebhookEvent::kPing;
      return e;
    }
    JsonObject o = parse_object(d.body, "woocommerce webhook " + e.topic);
    if (e.topic == "order.deleted" || !o->has("line_items")) {
      e.kind = WebhookEvent::kFetch;  // the payload is the id alone
      e.order_id = required_text(o, "id", "woocommerce webhook " + e.topic);
      return e;
    }
    e.kind = WebhookEvent::kOrder;
    e.order = read_woo_order(o);
    return e;
  }

  std::vector<ShopCall> set_status(const std::string& id, const std::string& shop_status) const override {
    Poco::JSON::Object body;
    body.set("status", shop_status);
    std::ostringstream text;
    body.stringify(text);
    return {{"PUT", std::string(kOrders) + "/" + url_escape(id), text.str()}};
  }

  std::string default_status_map() const override {
    return "pending=new, on-hold=new, checkout-draft=new, processing=confirmed, completed=completed, "
           "cancelled=cancelled, refunded=cancelled, failed=cancelled, trash=cancelled";
  }

 private:
  PlatformSettings s_;
};

}  // namespace

std::unique_ptr<Platform> make_woocommerce(const PlatformSettings& s) { return std::make_unique<WooCommerce>(s); }

}  // namespace salescore::webshop
