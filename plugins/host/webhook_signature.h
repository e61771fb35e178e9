// HMAC-SHA256 signatures of inbound webhooks, checked in constant time (verify_webhook).
#pragma once

#include <string>

namespace salescore::plugins {

// Hex HMAC-SHA256 of `text` with `secret`.
std::string hmac_sha256_hex(const std::string& secret, const std::string& text);

// Does `given` ("<hex>" or "sha256=<hex>", any case) equal the HMAC of `text`? Takes
// the same time wherever the two differ.
bool webhook_signature_matches(const std::string& secret, const std::string& text, const std::string& given);

}  // namespace salescore::plugins
