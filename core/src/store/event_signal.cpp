#include "store/event_signal.h"

#include <chrono>

#include "store/pg_event_listener.h"
#include "store/store_url.h"

namespace salescore::store {

EventSignal::EventSignal(std::string url, OpenOptions options) : url_(std::move(url)), options_(std::move(options)) {}

EventSignal::~EventSignal() { listener_.reset(); }  // joins its thread before the members go

std::uint64_t EventSignal::generation() {
  std::lock_guard lock(mutex_);
  return generation_;
}

void EventSignal::moved() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  cv_.notify_all();
}

void EventSignal::start_listener() {
  if (listener_ || !is_postgresql_url(url_)) return;
  listener_ = std::make_unique<EventListener>(url_, options_, [this] { moved(); });
}

void EventSignal::wait_past(std::uint64_t seen, int at_most_ms) {
  std::unique_lock lock(mutex_);
  start_listener();
  cv_.wait_for(lock, std::chrono::milliseconds(at_most_ms), [&] { return generation_ != seen; });
}

}  // namespace salescore::store
