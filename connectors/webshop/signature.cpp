// Webhook signatures of the shop platforms: base64 of the binary HMAC-SHA256 of the raw
// body (WooCommerce's X-WC-Webhook-Signature, Shopify's X-Shopify-Hmac-SHA256), and the
// constant-time comparison every secret goes through.
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include "json_read.h"
#include "platform.h"

namespace salescore::webshop {
namespace {
class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
}  // namespace

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
  Poco::HMACEngine<Sha256> hmac(secret);
  hmac.update(body.data(), static_cast<unsigned>(body.size()));
  const auto& digest = hmac.digest();
  return base64(std::string(digest.begin(), digest.end()));
}

}  // namespace salescore::webshop
