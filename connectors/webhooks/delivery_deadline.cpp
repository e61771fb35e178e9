#include "delivery_deadline.h"

#include <sys/socket.h>

namespace salescore::webhooks {

DeadlineWatch::DeadlineWatch() : watcher_([this] { run(); }) {}

DeadlineWatch::~DeadlineWatch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  watcher_.join();
}

void DeadlineWatch::arm(int fd, std::chrono::steady_clock::time_point due, std::atomic<bool>& expired) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    fd_ = fd;
    due_ = due;
    expired_ = &expired;
    armed_ = true;
    ++generation_;
    wake = idle_;
  }
  // A watcher waiting for an earlier deadline wakes at it and finds the new one; only an
  // idle one needs the signal (one wake-up per delivery saved while a backlog drains).
  if (wake) cv_.notify_all();
}

void DeadlineWatch::disarm() {
  std::lock_guard lock(mutex_);
  armed_ = false;
}

void DeadlineWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (!armed_) {
      idle_ = true;
      cv_.wait(lock, [this] { return stop_ || armed_; });
      idle_ = false;
      continue;
    }
    const std::uint64_t generation = generation_;
    const auto due = due_;
    if (cv_.wait_until(lock, due, [&] { return stop_ || !armed_ || generation_ != generation; })) continue;
    // Still this delivery's, and its time is up. Shut down, not closed: the descriptor
    // stays the session's until it closes it, so it cannot be reused by another socket
    // meanwhile; done under the lock, so a disarm() that returned has nothing to fear.
    *expired_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    armed_ = false;
  }
}

}  // namespace salescore::webhooks
