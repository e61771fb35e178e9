// What an operator does to a running connector (pause, resume) and what the running
// server tells them: the connector's state, written to the database when it changes so
// that `salescore plugins list` shows it, and the requests `salescore plugins
// pause|resume` leave there, carried out at the next step of run_due.
#include "host/runtime_core.h"

namespace salescore::plugins {

void RuntimeCore::pause(ConnectorSlot& slot) {
  slot.operator_paused = true;
  interrupt_session(slot);
  log(&slot, LogLevel::kInfo, "paused by an operator");
}

void RuntimeCore::resume(ConnectorSlot& slot) {
  slot.operator_paused = false;
  if (slot.failed && slot.created) {
    slot.failed = false;
    slot.poll_failures = 0;
    slot.next_poll_at = Instant{};
    std::lock_guard lock(slot.health_mutex);
    slot.failed_reason.clear();
  }
  wake_session(slot);
  log(&slot, LogLevel::kInfo, "resumed by an operator");
}

void RuntimeCore::take_operator_request(ConnectorSlot& slot) {
  auto request = engine.connectors().take_operator_request(slot.name());
  if (!request.ok()) {
    log(&slot, LogLevel::kDebug, "operator requests not read yet: " + request.status().message());
    return;  // the database is busy: the next step reads them
  }
  if (!*request) return;
  if (**request == "pause") {
    pause(slot);
  } else if (**request == "resume") {
    resume(slot);
  } else {
    log(&slot, LogLevel::kWarn, "an operator request '" + **request + "' is neither pause nor resume; ignored");
  }
}

std::pair<std::string, std::string> RuntimeCore::state_of(const ConnectorSlot& slot) const {
  std::size_t waiting;
  {
    std::lock_guard lock(slot.intake_mutex);
    waiting = slot.held.size();
  }
  std::string failed_reason, last_error, progress;
  {
    std::lock_guard lock(slot.health_mutex);
    failed_reason = slot.failed_reason;
    last_error = slot.last_error;
    progress = slot.progress;
  }
  if (slot.disabled) return {"disabled", ""};
  if (slot.created && !slot.runs_here) return {"standby", "another process on the database runs it"};
  if (slot.failed) return {"failed", failed_reason};
  if (slot.operator_paused) return {"paused", "paused by an operator"};
  if (slot.backpressure)
    return {"backpressure", "outbox backlog over its limit " + std::to_string(slot.settings().outbox_limit)};
  if (waiting > 0 || slot.poll_failures > 0 || now() < slot.delivery_blocked_until) return {"retrying", last_error};
  return {"running", progress};
}

void RuntimeCore::save_state(ConnectorSlot& slot) {
  if (!slot.runs_here) return;  // the process that runs it says how it goes
  auto state = state_of(slot);
  if (state == slot.saved_state) return;
  // Advisory, as health: a write lost to a busy database is made at the next step.
  if (engine.connectors().record_runtime_state(slot.name(), state.first, state.second).is_ok())
    slot.saved_state = std::move(state);
}

void RuntimeCore::record_stopped() {
  for (auto& owned : slots) {
    ConnectorSlot& slot = *owned;
    if (!slot.created || !slot.runs_here) continue;
    Status st = engine.connectors().record_runtime_state(slot.name(), "stopped", "salescore serve stopped");
    if (!st.is_ok()) log(&slot, LogLevel::kWarn, "could not write its stopped state: " + st.message());
    slot.saved_state = {"stopped", "salescore serve stopped"};
  }
}

}  // namespace salescore::plugins
