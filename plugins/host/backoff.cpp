#include "host/backoff.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace salescore::plugins {

UniformRandom system_random() {
  struct Source {
    std::mutex mutex;
    std::mt19937_64 engine{std::random_device{}()};
    std::uniform_real_distribution<double> uniform{0.0, 1.0};
  };
  auto source = std::make_shared<Source>();
  return [source] {
    std::lock_guard lock(source->mutex);
    return source->uniform(source->engine);
  };
}

std::int64_t BackoffPolicy::ceiling_ms(int retry) const {
  std::int64_t ceiling = std::max<std::int64_t>(base_ms, 0);
  // Doubling stops at the cap, which also keeps the shift from overflowing.
  for (int i = 1; i < retry && ceiling < cap_ms; ++i) ceiling *= 2;
  return std::min(ceiling, cap_ms);
}

std::int64_t BackoffPolicy::delay_ms(int retry, const UniformRandom& random) const {
  double r = random ? random() : 0.0;
  r = std::clamp(r, 0.0, 1.0);
  return static_cast<std::int64_t>(r * static_cast<double>(ceiling_ms(retry)));
}

}  // namespace salescore::plugins
