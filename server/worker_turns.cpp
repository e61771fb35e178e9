#include "worker_turns.h"

#include <sched.h>

namespace salescore::cli {

WorkerTurns& WorkerTurns::instance() {
  static WorkerTurns turns;
  return turns;
}

void WorkerTurns::configure(int turn_requests, std::function<int()> queued) {
  turn_requests_ = turn_requests;
  queued_ = std::move(queued);
}

bool WorkerTurns::should_yield(const Poco::Net::SocketAddress& peer) {
  // A worker serves one connection at a time, so its own count is that connection's:
  // reset when the peer changes.
  thread_local Poco::Net::SocketAddress serving;
  thread_local int served = 0;
  if (peer != serving) {
    serving = peer;
    served = 0;
  }
  if (++served < turn_requests_ || !queued_ || queued_() == 0) return false;
  served = 0;
  return true;
}

void WorkerTurns::batch_schedule_this_thread() {
  thread_local const bool done = [] {
    sched_param none{};
    // Best effort: a kernel without SCHED_BATCH leaves the thread as it was.
    return sched_setscheduler(0, SCHED_BATCH, &none) == 0;
  }();
  (void)done;
}

}  // namespace salescore::cli
