// One web shop linked to salescore: one connector instance. Orders come by the poll
// (poller.cpp: modified-since with an overlap window, and a periodic reconcile pass)
// and by webhooks (webhook_route.cpp: signature checked, de-duplicated, an id-only
// event fetches the order); the poll is the webhooks' reconciler, since shops silently
// disable webhooks that failed. Statuses set in salescore go back (status_push.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "order_records.h"
#include "platform.h"
#include "salescore/plugin_api.h"
#include "shop_http.h"
#include "status_map.h"

namespace salescore::webshop {

struct ShopSettings {
  std::string connector;  // the connector's name: the records' source
  std::unique_ptr<Platform> platform;
  std::unique_ptr<ShopHttp> http;
  std::unique_ptr<StatusMap> statuses;
  RecordOptions records;
  WebhookSecrets secrets;
  int page_size = 100;
  std::int64_t overlap_ms = 600000;
  std::int64_t reconcile_interval_ms = 86400000;
  std::int64_t reconcile_window_ms = 30LL * 86400000;
  bool push_statuses = true;
};

// What the connector's checkpoint holds.
struct Cursor {
  std::int64_t since_ms = 0;       // newest listing time seen; the next poll starts overlap_ms before it
  std::int64_t reconciled_ms = 0;  // when the last reconcile pass finished
  std::int64_t pushed_seq = 0;     // salescore's event seq up to which statuses were queued for the shop
};

class Shop {
 public:
  Shop(const sc_host_api* api, sc_host* host, ShopSettings settings);

  sc_status poll();
  sc_status webhook(const sc_http_request* request, sc_http_response* response);
  sc_status deliver(const sc_outbound* item);

 private:
  // Emits the buyer and the order; SC_OK also for a dead-lettered record (kept with its
  // reason), the host's code when it did not take them.
  sc_status emit_order(const ShopOrder& o);
  sc_status emit_page(const std::vector<ShopOrder>& orders);
  sc_status fetch_and_emit(const std::string& id);
  // Every page of a listing (`list` gives the call for the page after `next`; nullopt:
  // the platform cannot list so), each page applied before the next is asked for; the
  // cursor, when given, moves past each page and is saved.
  sc_status read_pages(const std::function<std::optional<ShopCall>(const std::string& next)>& list, Cursor* cursor);
  sc_status pull(std::int64_t since_ms, Cursor& cursor);
  // The nightly pass's re-read of the orders still open in the shop.
  sc_status pull_open();
  sc_status queue_status_changes(Cursor& cursor);
  Cursor read_cursor();
  void save_cursor(const Cursor& c);
  bool seen_delivery(const std::string& id);
  void remember_delivery(const std::string& id);

  const sc_host_api* api_;
  sc_host* host_;
  ShopSettings s_;
  std::mutex deliveries_mu_;
  std::set<std::string> delivered_;        // recent delivery ids (Shopify's X-Shopify-Webhook-Id, ...)
  std::deque<std::string> delivered_order_;  // ... oldest first, to forget past kRemembered
};

}  // namespace salescore::webshop
