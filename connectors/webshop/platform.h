// One shop platform (WooCommerce, Shopify, InSales, Medusa): how its orders are listed,
// fetched, pushed by webhooks and signed, and how a status is sent back. Adding a
// platform is one file implementing this (docs/connectors/webshop.md) and one line in
// make_platform (platforms.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shop_order.h"

namespace salescore::webshop {

// A request to the shop's API, relative to base_url.
struct ShopCall {
  std::string method = "GET";
  std::string target;  // "/wp-json/wc/v3/orders?page=1"
  std::string body;    // JSON, for POST/PUT
};

// The shop's answer (shop_http.h turns transport failures and 429/5xx into statuses).
struct ShopReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// One page of a modified-since listing.
struct OrderPage {
  std::vector<ShopOrder> orders;
  std::string next;  // what list_orders needs for the next page; "" after the last
};

// A webhook request as the route got it.
struct WebhookDelivery {
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string query;                           // undecoded, without '?'
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// What a webhook says, once its signature is checked.
struct WebhookEvent {
  enum Kind { kOrder, kFetch, kPing, kIgnore } kind = kIgnore;
  ShopOrder order;         // kOrder: the whole order was in the body
  std::string order_id;    // kFetch: only the id came (Medusa; WooCommerce's order.deleted)
  std::string delivery_id; // the platform's delivery id, for de-duplication ("" if none)
  std::string topic;
};

// The secrets a webhook may be signed with: the current one and, for its grace
// period, the one before it (Shopify: old-secret signatures arrive for up to an hour).
struct WebhookSecrets {
  std::string current;
  std::string previous;
};

class Platform {
 public:
  virtual ~Platform() = default;
  virtual std::string name() const = 0;
  // Headers that authenticate every API call (Authorization, X-Shopify-Access-Token).
  virtual std::map<std::string, std::string> auth_headers() const = 0;
  // The page after `next` ("" for the first) of orders modified at or after `since_ms`.
  virtual ShopCall list_orders(std::int64_t since_ms, const std::string& next, int page_size) const = 0;
  // Throws ShopDataError when the body is not what the platform sends.
  virtual OrderPage read_page(const ShopReply& reply, const std::string& next) const = 0;
  virtual ShopCall fetch_order(const std::string& id) const = 0;
  virtual ShopOrder read_order(const std::string& body) const = 0;
  // "" when the delivery is the shop's (signature, or the secret in the route); else why not.
  virtual std::string verify(const WebhookDelivery& d, const WebhookSecrets& s) const = 0;
  virtual WebhookEvent read_webhook(const WebhookDelivery& d) const = 0;
  // The calls that set `shop_status` on order `id`; empty when the platform cannot set it
  // through its API (the caller dead-letters the change with the reason).
  virtual std::vector<ShopCall> set_status(const std::string& id, const std::string& shop_status) const = 0;
  // The calls that need the answer of one set_status call: Shopify fulfils an order
  // through its fulfilment orders, which the first call lists. Throws ShopDataError when
  // the answer is a refusal that came with a 2xx (a GraphQL userError).
  virtual std::vector<ShopCall> status_follow_up(const std::string& id, const std::string& shop_status,
                                                 const ShopReply& reply) const {
    return {};
  }
  // The page after `next` ("" for the first) of the orders still open in the shop (not
  // completed, not cancelled), for the nightly pass (read with read_page); nullopt when
  // the platform cannot list them so (the pass re-reads the reconcile window only).
  virtual std::optional<ShopCall> list_open_orders(const std::string& next, int page_size) const {
    return std::nullopt;
  }
  // The default status map of the platform (status_map.h syntax).
  virtual std::string default_status_map() const = 0;
};

struct PlatformSettings {
  std::string api_key;     // WooCommerce consumer key, Medusa secret key, Shopify access token, InSales login
  std::string api_secret;  // WooCommerce consumer secret, InSales password
  std::string api_version; // Shopify's "2024-10"
};

// "woocommerce" | "shopify" | "insales" | "medusa"; nullptr for another name.
std::unique_ptr<Platform> make_platform(const std::string& name, const PlatformSettings& s);

// Constant-time comparison of two strings (a signature, a route secret).
bool same_secret(const std::string& a, const std::string& b);
// base64(HMAC-SHA256(body, secret)): WooCommerce's and Shopify's signature.
std::string hmac_sha256_base64(const std::string& secret, const std::string& body);
// For platforms that sign the body: "" when `header` (lower case) is base64(HMAC-SHA256)
// of the body with the current or the previous secret; else why not.
std::string signed_body_problem(const WebhookDelivery& d, const WebhookSecrets& s, const std::string& header);
// "First Last", either may be empty.
std::string full_name(const std::string& first, const std::string& last);
// For platforms that sign nothing (InSales, Medusa's subscriber): the secret must be the
// route's `key` query parameter. "" when it is; else why not.
std::string route_secret_problem(const WebhookDelivery& d, const WebhookSecrets& s);

std::unique_ptr<Platform> make_woocommerce(const PlatformSettings& s);
std::unique_ptr<Platform> make_medusa(const PlatformSettings& s);
std::unique_ptr<Platform> make_shopify(const PlatformSettings& s);
std::unique_ptr<Platform> make_insales(const PlatformSettings& s);

}  // namespace salescore::webshop
