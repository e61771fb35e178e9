// Wakes the long polls of /api/v1/events when the event log moves: a commit with events
// in this process wakes them at once; on PostgreSQL a commit in another process does
// too, through LISTEN/NOTIFY (pg_event_listener.cpp: the writing transaction sends one
// NOTIFY, delivered at its commit). Only a hint: a waiter reads the table again, which
// stays the only truth, and re-reads after at most its wait when a notice is lost.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "store/sql.h"

namespace salescore::store {

class EventListener;

class EventSignal {
 public:
  // `url` and `options` for the listening connection (PostgreSQL only), opened at the
  // first wait so that an engine nobody long-polls keeps no extra connection.
  EventSignal(std::string url, OpenOptions options);
  ~EventSignal();
  EventSignal(const EventSignal&) = delete;
  EventSignal& operator=(const EventSignal&) = delete;

  // Counts the moves of the log seen so far; take it before reading the log, then wait
  // past it, so that a move between the read and the wait is not slept through.
  std::uint64_t generation();
  // A write committed (here), or a notice came (from another process).
  void moved();
  // Returns when generation() passed `seen` or after `at_most_ms`.
  void wait_past(std::uint64_t seen, int at_most_ms);

 private:
  void start_listener();

  const std::string url_;
  const OpenOptions options_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t generation_ = 0;
  std::unique_ptr<EventListener> listener_;  // PostgreSQL: LISTEN on a thread of its own
};

// The PostgreSQL channel the writers NOTIFY on: the payload names the schema, so that
// listeners of another salescore database in the same PostgreSQL database stay asleep.
inline constexpr const char* kEventChannel = "salescore_events";

}  // namespace salescore::store
