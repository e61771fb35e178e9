// InSales REST API. Orders by `updated_since`, page by page until a short page; a
// request limit of 500 per 5 minutes (API-Usage-Limit: n/500, then 429 with
// Retry-After, which shop_http.cpp waits out). Webhooks orders/create|update POST the
// order as JSON and sign nothing: the secret is the route's `?key=`. Status back: PUT
// /admin/orders/{id}.json with the fulfilment status.
#include <sstream>
#include <string>

#include "json_read.h"
#include "line_amounts.h"
#include "platform.h"

namespace salescore::webshop {
namespace {

ShopOrder read_insales_order(const JsonObject& o) {
  if (!o) throw ShopDataError("insales order: not a JSON object");
  ShopOrder out;
  out.id = required_text(o, "id", "insales order");
  out.number = text_or(o, "number", out.id);
  out.status = text_at(o, "fulfillment_status");
  out.currency = text_or(o, "currency_code", "RUB");
  auto created = iso_ms(text_at(o, "created_at"));
  auto updated = iso_ms(text_at(o, "updated_at"));
  if (!updated) throw ShopDataError("insales order " + out.id + ": no updated_at");
  out.created_at = created ? iso_text(*created) : "";
  out.version = out.listed_at = *updated;
  JsonObject client = object_at(o, "client");
  out.customer.id = text_at(client, "id");
  out.customer.name = full_name(text_at(client, "name"), text_at(client, "surname"));
  out.customer.email = text_at(client, "email");
  out.customer.phone = text_at(client, "phone");
  JsonArray lines = array_at(o, "order_lines");
  for (unsigned i = 0; lines && i < lines->size(); ++i) {
    JsonObject line = object_in(lines, i);
    if (!line) throw ShopDataError("insales order " + out.id + ": order_lines[" + std::to_string(i) + "] is no object");
    const std::string quantity = text_at(line, "quantity");
    const std::string full = text_or(line, "full_total_price", text_at(line, "total_price"));
    out.lines.push_back(line_from_totals(text_at(line, "sku"), text_at(line, "title"), quantity,
                                         text_or(line, "total_price", full), full));
  }
  out.totals["total"] = text_at(o, "total_price");
  out.totals["shipping"] = text_at(o, "full_delivery_price");
  out.attributes["financial_status"] = text_at(o, "financial_status");
  return out;
}

class InSales : public Platform {
 public:
  explicit InSales(PlatformSettings s) : s_(std::move(s)) {}
  std::string name() const override { return "insales"; }
  std::map<std::string, std::string> auth_headers() const override {
    return {{"Authorization", "Basic " + base64(s_.api_key + ":" + s_.api_secret)}};
  }
  ShopCall list_orders(std::int64_t since_ms, const std::string& next, int page_size) const override {
    return {"GET", "/admin/orders.json?updated_since=" + url_escape(iso_text(since_ms)) + "&per_page=" +
                       std::to_string(page_size) + "&page=" + (next.empty() ? "1" : next), ""};
  }
  OrderPage read_page(const ShopReply& reply, const std::string& next) const override {
    JsonArray orders = parse_array(reply.body, "insales orders page");
    OrderPage page;
    for (unsigned i = 0; i < orders->size(); ++i) page.orders.push_back(read_insales_order(object_in(orders, i)));
    // No page count is sent: a full page may have another after it.
    const std::string per_page = reply.header("x-per-page");
    if (!orders->empty() && (per_page.empty() || std::to_string(orders->size()) == per_page))
      page.next = std::to_string((next.empty() ? 1 : std::stol(next)) + 1);
    return page;
  }
  ShopCall fetch_order(const std::string& id) const override { return {"GET", "/admin/orders/" + url_escape(id) + ".json", ""}; }
  ShopOrder read_order(const std::string& body) const override {
    return read_insales_order(parse_object(body, "insales order"));
  }
  std::string verify(const WebhookDelivery& d, const WebhookSecrets& s) const override {
    return route_secret_problem(d, s);
  }
  WebhookEvent read_webhook(const WebhookDelivery& d) const override {
    WebhookEvent e;
    e.kind = WebhookEvent::kOrder;
    e.order = read_order(d.body);
    e.topic = "orders/update";
    return e;
  }
  std::vector<ShopCall> set_status(const std::string& id, const std::string& shop_status) const override {
    Poco::JSON::Object order, body;
    order.set("fulfillment_status", shop_status);
    body.set("order", order);
    std::ostringstream text;
    body.stringify(text);
    return {{"PUT", "/admin/orders/" + url_escape(id) + ".json", text.str()}};
  }
  std::string default_status_map() const override {
    return "new=new, accepted=confirmed, approved=confirmed, dispatched=shipped, delivered=delivered, "
           "returned=cancelled, declined=cancelled";
  }

 private:
  PlatformSettings s_;
};

}  // namespace

std::unique_ptr<Platform> make_insales(const PlatformSettings& s) { return std::make_unique<InSales>(s); }

}  // namespace salescore::webshop
