// Durable state of the Python automations (python -m salescore.automate): where in the
// event log each one is, and its retry state while an event keeps failing. Failures it
// gives up on go to the connector runtime's dead letters (connectors.h) under the
// automation's name, where `salescore deadletters list` shows them.
//
// Include salescore/engine.h or this header: each includes the other (see payments.h).
#include "salescore/engine.h"

#ifndef SALESCORE_AUTOMATIONS_H_
#define SALESCORE_AUTOMATIONS_H_

#include <optional>
#include <string>

namespace salescore {

struct AutomationState {
  std::string automation;  // "automation.<module>.<function>"
  bool known = false;      // false: never run here; event_offset is 0
  std::int64_t event_offset = 0;
  int failures = 0;        // attempts at the event after event_offset that failed
  std::optional<Instant> retry_at;
  std::string last_error;
};

class AutomationService {
 public:
  explicit AutomationService(detail::EngineState* s) : s_(s) {}
  Result<AutomationState> state(const std::string& automation);
  // Handled (or given up on) everything up to `seq`: clears the retry state.
  Status advance(const std::string& automation, std::int64_t seq);
  // The event after the offset failed again; try it at `retry_at`.
  Status record_failure(const std::string& automation, int failures, Instant retry_at, const std::string& error);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore

#endif  // SALESCORE_AUTOMATIONS_H_
