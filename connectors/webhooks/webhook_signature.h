// How a webhook proves it comes from salescore: HMAC-SHA256 with the shared secret over
// "<timestamp>.<body>", sent as
//   X-Salescore-Timestamp: 1794009600            (Unix seconds)
//   X-Salescore-Signature: sha256=<64 hex digits>
// The receiver recomputes it, compares in constant time, and refuses a timestamp older
// than its replay window (5 minutes is usual). docs/webhooks.md has a receiver.
#pragma once

#include <cstdint>
#include <string>

namespace salescore::webhooks {

std::string signature(const std::string& secret, std::int64_t timestamp_s, const std::string& body);

}  // namespace salescore::webhooks
