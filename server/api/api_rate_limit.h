// A per-token rate limit: a token bucket per API token, so one busy integration cannot
// starve the dashboard. Over the limit a request gets 429 with Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace salescore::cli {

class RateLimiter {
 public:
  // `per_second` requests on average, bursts of up to `burst`; per_second 0: no limit.
  void configure(double per_second, double burst);
  // 0 when the request may go on; otherwise the whole seconds to wait (Retry-After).
  int admit(const std::string& token_key);

  static RateLimiter& instance();

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  std::mutex mutex_;
  double per_second_ = 0;
  double burst_ = 0;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace salescore::cli
