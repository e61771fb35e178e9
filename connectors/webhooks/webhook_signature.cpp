#include "webhook_signature.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace salescore::webhooks {
namespace {
// Poco's HMACEngine takes the digest as a class with BLOCK_SIZE and DIGEST_SIZE.
class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
}  // namespace

std::string signature(const std::string& secret, std::int64_t timestamp_s, const std::string& body) {
  Poco::HMACEngine<Sha256> hmac(secret);
  const std::string stamp = std::to_string(timestamp_s) + ".";
  hmac.update(stamp.data(), static_cast<unsigned>(stamp.size()));
  hmac.update(body.data(), static_cast<unsigned>(body.size()));
  return "sha256=" + Poco::DigestEngine::digestToHex(hmac.digest());
}

}  // namespace salescore::webhooks
