#include "salescore/clock.h"

#include <chrono>

namespace salescore {

Instant SystemClock::now() const {
  using namespace std::chrono;
  return Instant{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

}  // namespace salescore
