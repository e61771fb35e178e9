// A shop's webhook: checked (the platform's signature, or the secret in the route,
// compared in constant time: 401 otherwise), read (400 naming what is wrong),
// de-duplicated by the platform's delivery id, then applied: a whole order as it came,
// an id alone (Medusa, WooCommerce's order.deleted) by fetching the order first. A
// record refused for what it says is a dead letter and the shop still hears 200, so it
// does not disable the webhook over data it cannot fix; a shop that cannot be reached
// for the fetch, or a database that is busy, answers 503 and the shop retries.
#include <algorithm>
#include <cctype>

#include "shop.h"

namespace salescore::webshop {
namespace {
constexpr std::size_t kRemembered = 10000;

void answer(const sc_host_api* api, sc_http_response* response, int status, const std::string& text) {
  api->response_status(response, status);
  api->response_header(response, "Content-Type", "text/plain; charset=utf-8");
  api->response_write(response, text.data(), text.size());
}
}  // namespace

bool Shop::seen_delivery(const std::string& id) {
  std::lock_guard<std::mutex> lock(deliveries_mu_);
  return !id.empty() && delivered_.count(id) > 0;
}

void Shop::remember_delivery(const std::string& id) {
  if (id.empty()) return;
  std::lock_guard<std::mutex> lock(deliveries_mu_);
  if (!delivered_.insert(id).second) return;
  delivered_order_.push_back(id);
  if (delivered_order_.size() > kRemembered) {
    delivered_.erase(delivered_order_.front());
    delivered_order_.pop_front();
  }
}

sc_status Shop::fetch_and_emit(const std::string& id) {
  HttpOutcome got = s_.http->call(s_.platform->fetch_order(id));
  if (got.status == SC_NOT_FOUND) return SC_OK;  // deleted since: nothing to apply (said in the log)
  if (got.status != SC_OK) return api_->fail(host_, got.status, got.reason.c_str());
  ShopOrder order;
  try {
    order = s_.platform->read_order(got.reply.body);
  } catch (const ShopOrderGone&) {
    return SC_OK;  // as a 404: deleted since
  } catch (const std::exception& e) {
    return api_->fail(host_, SC_UNAVAILABLE, (s_.platform->name() + " order " + id + ": " + e.what()).c_str());
  }
  return emit_order(order);
}

sc_status Shop::webhook(const sc_http_request* request, sc_http_response* response) {
  WebhookDelivery d;
  for (size_t i = 0; i < request->header_count; ++i) {
    std::string name = request->headers[i].name ? request->headers[i].name : "";
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    d.headers[name] = request->headers[i].value ? request->headers[i].value : "";
  }
  d.query = request->query ? request->query : "";
  d.body.assign(reinterpret_cast<const char*>(request->body), request->body_size);
  if (std::string problem = s_.platform->verify(d, s_.secrets); !problem.empty())
    return api_->fail(host_, SC_UNAUTHENTICATED, (s_.platform->name() + " webhook refused: " + problem).c_str());
  WebhookEvent event;
  try {
    event = s_.platform->read_webhook(d);
  } catch (const std::exception& e) {
    return api_->fail(host_, SC_INVALID_ARGUMENT, (s_.platform->name() + " webhook: " + e.what()).c_str());
  }
  if (event.kind == WebhookEvent::kPing) {
    answer(api_, response, 200, "pong");
    return SC_OK;
  }
  if (seen_delivery(event.delivery_id)) {
    answer(api_, response, 200, "already applied");
    return SC_OK;
  }
  sc_status st = SC_OK;
  if (event.kind == WebhookEvent::kOrder) st = emit_order(event.order);
  else if (event.kind == WebhookEvent::kFetch) st = fetch_and_emit(event.order_id);
  if (st != SC_OK) return st;  // 503 or the like: the shop delivers it again
  remember_delivery(event.delivery_id);
  answer(api_, response, 200, event.kind == WebhookEvent::kIgnore ? "ignored: " + event.topic : "ok");
  return SC_OK;
}

}  // namespace salescore::webshop
