// Long-lived sessions (IMAP IDLE, an Asterisk AMI socket): one thread per connector
// runs session_run() and reconnects it with full-jitter backoff when it returns with a
// retryable code. The thread waits, without running the session, while the connector
// is paused (operator or backpressure) or failed for good. Waits here are in real time:
// a session holds a real socket, and stop_sessions() cuts any wait short.
#include <chrono>
#include <thread>

#include "host/runtime_core.h"
#include "host/status_codes.h"

namespace salescore::plugins {

void RuntimeCore::start_sessions() {
  for (auto& owned : slots) {
    ConnectorSlot& slot = *owned;
    if (!slot.created || !slot.can(SC_CAP_SESSION) || slot.session_thread.joinable()) continue;
    slot.shutting_down = false;
    slot.session_thread = std::thread([this, &slot] { session_loop(slot); });
  }
}

void RuntimeCore::begin_shutdown() {
  for (auto& owned : slots) {
    ConnectorSlot& slot = *owned;
    {
      std::lock_guard lock(slot.session_mutex);  // as stop_sessions(): a session thread waits on it
      slot.shutting_down = true;
    }
    slot.session_cv.notify_all();
  }
}

void RuntimeCore::stop_sessions() {
  for (auto& owned : slots) {
    ConnectorSlot& slot = *owned;
    if (!slot.session_thread.joinable()) continue;
    {
      std::lock_guard lock(slot.session_mutex);
      slot.shutting_down = true;
    }
    interrupt_session(slot);
    slot.session_cv.notify_all();
    // A session_stop() that lands while session_run() is still connecting may not be
    // heard (a connector resets its stop flag when it connects): ask again until the
    // session has returned. Asking twice is harmless; a stop never heard hangs shutdown.
    while (slot.session_active) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      interrupt_session(slot);
    }
    slot.session_thread.join();
  }
}

void RuntimeCore::interrupt_session(ConnectorSlot& slot) {
  if (!slot.session_active || !slot.table().session_stop) return;
  call(slot, CallKind::kSessionStop, [&] {
    slot.table().session_stop(slot.self);
    return SC_OK;
  });
}

void RuntimeCore::wake_session(ConnectorSlot& slot) {
  std::lock_guard lock(slot.session_mutex);
  slot.session_cv.notify_all();
}

void RuntimeCore::session_loop(ConnectorSlot& slot) {
  int failures = 0;
  auto may_run = [&] { return slot.shutting_down || (!slot.intake_paused() && !slot.failed && slot.runs_here); };
  while (true) {
    {
      std::unique_lock lock(slot.session_mutex);
      slot.session_cv.wait(lock, may_run);
      if (slot.shutting_down) return;
      // Under the lock stop_sessions() sets shutting_down with: it either stops this
      // thread above or finds the session active and interrupts it.
      slot.session_active = true;
    }
    CallOutcome out = call(slot, CallKind::kSession, [&] { return slot.table().session_run(slot.self); });
    slot.session_active = false;
    if (slot.shutting_down) return;
    // Asked to stop for a pause, or another process runs it now: wait above.
    if (slot.intake_paused() || !slot.runs_here) continue;

    std::int64_t wait_ms;
    if (out.ok()) {
      // The peer closed the session: reconnect, after a short jittered pause so a peer
      // that drops every connection at once is not flooded.
      failures = 0;
      note_success(slot);
      wait_ms = slot.backoff().delay_ms(1, options.random);
      log(&slot, LogLevel::kInfo, "session ended; reconnecting in " + std::to_string(wait_ms) + " ms");
    } else if (is_retryable_abi(out.code)) {
      ++failures;
      note_error(slot, out.message);
      wait_ms = slot.backoff().delay_ms(failures, options.random);
      log(&slot, LogLevel::kWarn, "session lost (" + std::to_string(failures) + " in a row): " + out.message +
                                      "; reconnecting in " + std::to_string(wait_ms) + " ms");
    } else {
      note_error(slot, out.message);
      {
        std::lock_guard lock(slot.health_mutex);
        slot.failed_reason = "session failed: " + out.message;
      }
      slot.failed = true;
      log(&slot, LogLevel::kError, "session failed: " + out.message + " (" + abi_status_name(out.code) +
                                       "): stopped until an operator resumes the connector");
      continue;
    }
    std::unique_lock lock(slot.session_mutex);
    slot.session_cv.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return slot.shutting_down.load(); });
    if (slot.shutting_down) return;
  }
}

}  // namespace salescore::plugins
