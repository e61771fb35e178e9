// A deadline for the whole of one delivery. Poco's session timeout bounds each read and
// write, not the reply: a receiver that answers a byte a second (or sends headers without
// end) never trips it and would hold the connector's deliveries for days. Armed once the
// request is sent, a DeliveryDeadline shuts the socket down when the time is up, so the
// read in progress fails, the attempt counts as a timeout and is retried with backoff.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace salescore::webhooks {

class DeliveryDeadline {
 public:
  // Watches `fd`, a connected socket the caller keeps open until this is destroyed
  // (declare it after the session); at `due`, sets `expired` (which outlives it).
  DeliveryDeadline(int fd, std::chrono::steady_clock::time_point due, std::atomic<bool>& expired);
  ~DeliveryDeadline();  // disarms it and waits for the watcher
  DeliveryDeadline(const DeliveryDeadline&) = delete;
  DeliveryDeadline& operator=(const DeliveryDeadline&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread watcher_;
};

}  // namespace salescore::webhooks
