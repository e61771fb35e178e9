// The engine's clock. Every rule that depends on time reads it, so tests and
// simulations move time explicitly (ManualClock) and never sleep.
#pragma once

#include <atomic>

#include "salescore/values.h"

namespace salescore {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

// Thread-safe: the automation runner and tests may move it while the engine reads it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : ms_(start.ms) {}
  Instant now() const override { return Instant{ms_.load()}; }
  void set(Instant t) { ms_.store(t.ms); }
  void advance_ms(std::int64_t delta) { ms_.fetch_add(delta); }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace salescore
