// salescore_connector_webshop: a web shop's orders in, statuses back. One instance per
// shop; the platform (WooCommerce, Shopify, InSales, Medusa) is chosen by `platform`
// (platform.h; docs/connectors/webshop.md).
//
//   [connector.webshop]
//   platform = woocommerce
//   base_url = https://shop.example
//   api_key = ck_...            ; api_secret = cs_...
//   webhook_secret = ...        ; webhooks at POST /webhooks/shop
#include <memory>
#include <stdexcept>
#include <string>

#include "salescore/plugin_api.h"
#include "shop.h"

namespace {

using namespace salescore::webshop;

const sc_host_api* g_host = nullptr;

const sc_config_option kConfig[] = {
    {"platform", SC_CONFIG_STRING, nullptr, 1, 0, "the shop's platform", "woocommerce|shopify|insales|medusa"},
    {"base_url", SC_CONFIG_STRING, nullptr, 1, 0, "the shop's address: https://shop.example (Shopify: https://NAME.myshopify.com)", nullptr},
    {"api_key", SC_CONFIG_STRING, "", 0, 1,
     "WooCommerce consumer key, Medusa secret API key, Shopify Admin API access token, InSales API login", nullptr},
    {"api_secret", SC_CONFIG_STRING, "", 0, 1, "WooCommerce consumer secret, InSales API password", nullptr},
    {"api_version", SC_CONFIG_STRING, "2024-10", 0, 0, "Shopify Admin API version", nullptr},
    {"webhook_secret", SC_CONFIG_STRING, "", 0, 1,
     "signs the shop's webhooks (WooCommerce, Shopify); InSales and Medusa put it in the address as ?key=", nullptr},
    {"webhook_secret_previous", SC_CONFIG_STRING, "", 0, 1,
     "the secret before a rotation, accepted until removed (Shopify signs with it for up to an hour)", nullptr},
    {"webhook_path", SC_CONFIG_STRING, "/webhooks/shop", 0, 0, "where the shop's webhooks are POSTed", nullptr},
    {"page_size", SC_CONFIG_INT, "100", 0, 0, "orders per page of the poll (1-250)", nullptr},
    {"overlap_seconds", SC_CONFIG_INT, "600", 0, 0, "how far before its cursor every poll reads again", nullptr},
    {"reconcile_hours", SC_CONFIG_INT, "24", 0, 0, "how often the poll re-reads the recent orders whole", nullptr},
    {"reconcile_days", SC_CONFIG_INT, "30", 0, 0, "how far back the reconcile pass reads", nullptr},
    {"status_map", SC_CONFIG_STRING, "", 0, 0,
     "shop status = salescore status, comma-separated (default: the platform's; docs/connectors/webshop.md)", nullptr},
    {"status_out", SC_CONFIG_STRING, "", 0, 0,
     "which shop status a salescore status is sent back as, where not the first one status_map names", nullptr},
    {"push_statuses", SC_CONFIG_BOOL, "true", 0, 0, "send statuses set in salescore back to the shop", nullptr},
    {"unknown_sku", SC_CONFIG_STRING, "refuse", 0, 0,
     "a line whose SKU is no product: refuse (dead letter naming it), stub (make the product), keep", "refuse|stub|keep"},
    {"timeout_ms", SC_CONFIG_INT, "30000", 0, 0, "how long one call to the shop may take", nullptr},
    {"retry_after_max_ms", SC_CONFIG_INT, "30000", 0, 0,
     "a Retry-After up to this is waited out in the call; a longer one makes the host back off", nullptr},
    {"usage_window_s", SC_CONFIG_INT, "300", 0, 0,
     "the window an API-Usage-Limit header (InSales: calls made/allowed) counts in; calls slow down when a fifth "
     "of the allowance is left", nullptr},
};

std::string text(sc_host* h, const char* key) {
  const char* v = g_host->config_get(h, key);
  return v ? v : "";
}

sc_status route(void* self, const sc_http_request* request, sc_http_response* response) {
  return static_cast<Shop*>(self)->webhook(request, response);
}

sc_status create(sc_host* h, void** self) {
  ShopSettings s;
  // The instance's name ([connector.NAME]) is its records' source: two shops' order 1001
  // are two orders. A host from before instances answers nothing: the library's name.
  s.connector = text(h, "instance");
  if (s.connector.empty()) s.connector = "webshop";
  PlatformSettings p{text(h, "api_key"), text(h, "api_secret"), text(h, "api_version")};
  s.platform = make_platform(text(h, "platform"), p);
  if (!s.platform) return g_host->fail(h, SC_INVALID_ARGUMENT, ("platform: unknown '" + text(h, "platform") + "'").c_str());
  s.page_size = static_cast<int>(g_host->config_get_int(h, "page_size", 100));
  if (s.page_size < 1 || s.page_size > 250) return g_host->fail(h, SC_INVALID_ARGUMENT, "page_size: 1 to 250");
  s.overlap_ms = g_host->config_get_int(h, "overlap_seconds", 600) * 1000;
  s.reconcile_interval_ms = g_host->config_get_int(h, "reconcile_hours", 24) * 3600000;
  s.reconcile_window_ms = g_host->config_get_int(h, "reconcile_days", 30) * 86400000;
  if (s.overlap_ms < 0 || s.reconcile_interval_ms <= 0 || s.reconcile_window_ms <= 0)
    return g_host->fail(h, SC_INVALID_ARGUMENT, "overlap_seconds, reconcile_hours, reconcile_days: not negative");
  s.secrets = {text(h, "webhook_secret"), text(h, "webhook_secret_previous")};
  s.push_statuses = g_host->config_get_bool(h, "push_statuses", 1) != 0;
  s.records = {s.platform->name(), text(h, "unknown_sku")};
  try {
    std::string map = text(h, "status_map");
    s.statuses = std::make_unique<StatusMap>(map.empty() ? s.platform->default_status_map() : map, text(h, "status_out"));
    s.http = std::make_unique<ShopHttp>(text(h, "base_url"), s.platform->auth_headers(),
                                        static_cast<int>(g_host->config_get_int(h, "timeout_ms", 30000)),
                                        static_cast<int>(g_host->config_get_int(h, "retry_after_max_ms", 30000)),
                                        static_cast<long>(g_host->config_get_int(h, "usage_window_s", 300)) * 1000);
  } catch (const std::exception& e) {
    return g_host->fail(h, SC_INVALID_ARGUMENT, e.what());
  }
  const std::string path = text(h, "webhook_path");
  auto shop = std::make_unique<Shop>(g_host, h, std::move(s));
  if (sc_status st = g_host->route_add(h, "POST", path.c_str(), route); st != SC_OK)
    return g_host->fail(h, st, ("webhook_path: POST " + path + " is served by another connector instance already; "
                                "give each shop its own webhook_path").c_str());
  *self = shop.release();
  return SC_OK;
}

void destroy(void* self) { delete static_cast<Shop*>(self); }
sc_status poll(void* self) { return static_cast<Shop*>(self)->poll(); }
sc_status deliver(void* self, const sc_outbound* item) { return static_cast<Shop*>(self)->deliver(item); }

const sc_connector_v1 kConnector = {
    .struct_size = sizeof(sc_connector_v1),
    .abi_major = SC_ABI_MAJOR,
    .abi_minor = SC_ABI_MINOR,
    .name = "webshop",
    .version = "1.0.0",
    .description = "web shop orders in (poll + signed webhooks), statuses back: WooCommerce, Shopify, InSales, Medusa",
    .capabilities = SC_CAP_POLL | SC_CAP_ROUTES | SC_CAP_DELIVER,
    .config = kConfig,
    .config_count = sizeof(kConfig) / sizeof(kConfig[0]),
    .config_option_size = sizeof(sc_config_option),
    .subscriptions = nullptr,  // statuses are read with changes_read after each poll (status_push.cpp)
    .poll_interval_ms = 60000,
    .create = create,
    .destroy = destroy,
    .poll = poll,
    .session_run = nullptr,
    .session_stop = nullptr,
    .deliver = deliver,
};

}  // namespace

extern "C" SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  g_host = host;
  return sc_connector_export(host, out, &kConnector);
}
