#include "host/webhook_signature.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <cctype>

namespace salescore::plugins {
namespace {
// Poco's HMACEngine takes the digest as a class with BLOCK_SIZE and DIGEST_SIZE.
class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
}  // namespace

std::string hmac_sha256_hex(const std::string& secret, const std::string& text) {
  Poco::HMACEngine<Sha256> hmac(secret);
  hmac.update(text.data(), static_cast<unsigned>(text.size()));
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

bool webhook_signature_matches(const std::string& secret, const std::string& text, const std::string& given) {
  std::string hex = given;
  if (hex.size() > 7 && hex.compare(0, 7, "sha256=") == 0) hex = hex.substr(7);
  const std::string expected = hmac_sha256_hex(secret, text);
  // Lengths are public (64 hex digits); the bytes are compared without an early exit.
  unsigned char diff = hex.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char c = i < hex.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i]))) : '\0';
    diff |= static_cast<unsigned char>(c ^ expected[i]);
  }
  return diff == 0;
}

}  // namespace salescore::plugins
