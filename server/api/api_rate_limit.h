// A per-token rate limit: a token bucket per API token, so one busy integration cannot
// starve the dashboard. Over the limit a request gets 429 with Retry-After.
//
// The limit is the deployment's: with several `serve` processes on one database, each
// takes an equal share (share_among, from the heartbeat of api/serve_heartbeat.h), so a
// token gets about the limit in all, wherever the load balancer sends its requests.
// Counting in the database instead would cost a write per GET.
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
  // `processes` (at least 1) serve the database now: this one admits its share.
  void share_among(int processes);
  int processes() const;

  static RateLimiter& instance();

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  mutable std::mutex mutex_;
  int processes_ = 1;
  double per_second_ = 0;
  double burst_ = 0;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace salescore::cli
