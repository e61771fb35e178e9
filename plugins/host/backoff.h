// Full-jitter exponential backoff (as in Fluent Bit's scheduler and the AWS
// architecture note): the n-th retry waits a uniformly random time in
// [0, min(cap, base * 2^(n-1))]. The randomness spreads the retries of many items (and
// many salescore processes) so that a peer coming back up is not hit by all of them at
// once; the cap bounds the wait.
#pragma once

#include <cstdint>
#include <functional>

namespace salescore::plugins {

// A uniform number in [0, 1). Injected so tests get predictable waits.
using UniformRandom = std::function<double()>;

// A thread-safe random source seeded from the system.
UniformRandom system_random();

struct BackoffPolicy {
  std::int64_t base_ms = 1000;
  std::int64_t cap_ms = 300000;

  // The ceiling of the wait before retry number `retry` (1 for the first retry).
  std::int64_t ceiling_ms(int retry) const;
  // The wait before retry number `retry`: random in [0, ceiling], using `random`.
  std::int64_t delay_ms(int retry, const UniformRandom& random) const;
};

}  // namespace salescore::plugins
