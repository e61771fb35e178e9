// Webhook signatures of the shop platforms: base64 of the binary HMAC-SHA256 of the raw
// body (WooCommerce's X-WC-Webhook-Signature, Shopify's X-Shopify-Hmac-SHA256), and the
// constant-time comparison every secret goes through.
#include <Poco/DigestEngine.h>

#include "host/webhook_signature.h"
#include "json_read.h"
#include "platform.h"

namespace salescore::webshop {

bool same_secret(const std::string& a, const std::string& b) {
  // Every byte of the longer one is looked at, whatever differs and where.
  const std::size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0 && n > 0;
}

std::string hmac_sha256_base64(const std::string& secret, const std::string& body) {
  // The host's HMAC (plugins/host/webhook_signature.cpp, compiled in), as binary.
  const auto digest = Poco::DigestEngine::digestFromHex(salescore::plugins::hmac_sha256_hex(secret, body));
  return base64(std::string(digest.begin(), digest.end()));
}

}  // namespace salescore::webshop

namespace salescore::webshop {

std::string signed_body_problem(const WebhookDelivery& d, const WebhookSecrets& s, const std::string& header) {
  const std::string given = d.header(header);
  if (given.empty()) return "no " + header + " header";
  for (const std::string* secret : {&s.current, &s.previous})
    if (!secret->empty() && same_secret(given, hmac_sha256_base64(*secret, d.body))) return "";
  return header + " does not match the body";
}

std::string full_name(const std::string& first, const std::string& last) {
  if (first.empty()) return last;
  return last.empty() ? first : first + " " + last;
}

}  // namespace salescore::webshop
