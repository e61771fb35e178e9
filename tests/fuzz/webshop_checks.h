// The properties the web-shop fuzz target checks on any input, shared with the test that
// replays its seed corpus (tests/plugins/webshop_fuzz_corpus_test.cpp). The first byte
// picks the platform and what the rest is: an order, a page of orders (also read as the
// answer to a status change), or a webhook body (delivered with a valid and with a
// broken signature). Whatever the bytes:
// - reading either succeeds or throws ShopDataError (no other exception, no crash);
// - an order read becomes records that are JSON objects again, with its id as the
//   external id and a version that is not zero;
// - a webhook with a broken signature is refused (WooCommerce's ping, which applies
//   nothing, aside).
#pragma once

#include <Poco/JSON/Parser.h>

#include <string>
#include <string_view>

#include "order_records.h"
#include "platform.h"

namespace salescore::webshop::fuzz {

inline std::string check_records(const ShopOrder& o, const StatusMap& statuses) {
  if (o.id.empty()) return "an order without an id was read";
  if (o.version == 0) return "order " + o.id + " has no version";
  OrderRecords r = order_records(o, statuses, {"fuzz", "refuse"});
  for (const std::string* json : {&r.client_json, &r.order_json}) {
    try {
      Poco::JSON::Parser parser;
      if (parser.parse(*json).type() != typeid(Poco::JSON::Object::Ptr)) return "a record is not a JSON object";
    } catch (const std::exception& e) {
      return std::string("a record is not JSON: ") + e.what();
    }
  }
  if (r.client_id.empty()) return "a buyer without an id";
  return "";
}

inline std::string check_webshop_input(std::string_view bytes) {
  if (bytes.empty()) return "";
  static const char* kPlatforms[] = {"woocommerce", "medusa", "shopify", "insales"};
  const unsigned char pick = static_cast<unsigned char>(bytes[0]);
  auto platform = make_platform(kPlatforms[pick % 4], {"key", "secret", "2024-10"});
  StatusMap statuses(platform->default_status_map(), "");
  const std::string body(bytes.substr(1));
  try {
    switch ((pick / 4) % 3) {
      case 0:
        return check_records(platform->read_order(body), statuses);
      case 1: {
        ShopReply reply;
        reply.status = 200;
        reply.body = body;
        reply.headers["x-wp-totalpages"] = "3";
        // The same body as the answer to a status change (Shopify's fulfilment orders,
        // a mutation's user errors; Medusa's order to fulfil, ship and mark delivered):
        // follow-up calls, or a refusal as ShopDataError.
        try {
          for (const ShopCall& more : platform->status_follow_up("1", "delivered", reply))
            if (more.target.empty() || more.body.empty()) return "a follow-up call without a target or a body";
        } catch (const ShopDataError&) {
        }
        OrderPage page = platform->read_page(reply, "");
        for (const auto& o : page.orders)
          if (std::string broken = check_records(o, statuses); !broken.empty()) return broken;
        return "";
      }
      default: {
        WebhookDelivery d;
        d.body = body;
        d.query = "key=whsec";
        const std::string good = hmac_sha256_base64("whsec", body);
        d.headers = {{"x-wc-webhook-signature", good}, {"x-shopify-hmac-sha256", good},
                     {"x-wc-webhook-topic", "order.updated"}, {"x-shopify-topic", "orders/updated"}};
        if (!platform->verify(d, {"whsec", ""}).empty()) return "a good signature was refused";
        WebhookDelivery bad = d;
        bad.query = "key=whsed";
        bad.headers["x-wc-webhook-signature"] = bad.headers["x-shopify-hmac-sha256"] = hmac_sha256_base64("whsed", body);
        const bool bad_accepted = platform->verify(bad, {"whsec", ""}).empty();
        WebhookEvent e = platform->read_webhook(d);
        // Only WooCommerce's ping, which applies nothing, is answered unsigned.
        if (bad_accepted && e.kind != WebhookEvent::kPing) return "a bad signature was accepted";
        if (e.kind == WebhookEvent::kOrder) return check_records(e.order, statuses);
        if (e.kind == WebhookEvent::kFetch && e.order_id.empty()) return "a fetch without an order id";
        return "";
      }
    }
  } catch (const ShopDataError&) {
    return "";
  } catch (const std::exception& e) {
    return std::string("an exception other than ShopDataError: ") + e.what();
  }
}

}  // namespace salescore::webshop::fuzz
