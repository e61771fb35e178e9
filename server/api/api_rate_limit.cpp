#include "api/api_rate_limit.h"

#include <algorithm>
#include <cmath>

namespace salescore::cli {

RateLimiter& RateLimiter::instance() {
  static RateLimiter limiter;
  return limiter;
}

void RateLimiter::configure(double per_second, double burst) {
  std::lock_guard lock(mutex_);
  per_second_ = per_second;
  burst_ = std::max(1.0, burst);
  buckets_.clear();
}

void RateLimiter::share_among(int processes) {
  std::lock_guard lock(mutex_);
  processes_ = std::max(1, processes);
}

int RateLimiter::processes() const {
  std::lock_guard lock(mutex_);
  return processes_;
}

int RateLimiter::admit(const std::string& token_key) {
  std::lock_guard lock(mutex_);
  if (per_second_ <= 0) return 0;
  // This process's share; a burst of at least one request, so a token is never shut out.
  const double rate = per_second_ / processes_;
  const double burst = std::max(1.0, burst_ / processes_);
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = buckets_.try_emplace(token_key, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.refilled = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate)));
}

}  // namespace salescore::cli
