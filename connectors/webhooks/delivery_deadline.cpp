#include "delivery_deadline.h"

#include <sys/socket.h>

namespace salescore::webhooks {

DeliveryDeadline::DeliveryDeadline(int fd, std::chrono::steady_clock::time_point due, std::atomic<bool>& expired) {
  watcher_ = std::thread([this, fd, due, &expired] {
    std::unique_lock lock(mutex_);
    if (cv_.wait_until(lock, due, [this] { return done_; })) return;
    // Shut down, not closed: the descriptor stays the session's until it closes it, so it
    // cannot be reused by another socket meanwhile.
    expired = true;
    ::shutdown(fd, SHUT_RDWR);
  });
}

DeliveryDeadline::~DeliveryDeadline() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  cv_.notify_all();
  watcher_.join();
}

}  // namespace salescore::webhooks
