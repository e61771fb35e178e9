// A deadline for the whole of one delivery. Poco's session timeout bounds each read and
// write, not the reply: a receiver that answers a byte a second (or sends headers without
// end) never trips it and would hold the connector's deliveries for days. Armed once the
// request is sent, a DeliveryDeadline shuts the socket down when the time is up, so the
// read in progress fails, the attempt counts as a timeout and is retried with backoff.
//
// One DeadlineWatch thread serves every delivery of the connector: a thread started and
// joined per delivery cost more than the POST itself on a kept-alive connection (a
// backlog of 580,744 events in the soak, bench/RESULTS.md).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace salescore::webhooks {

class DeadlineWatch {
 public:
  DeadlineWatch();
  ~DeadlineWatch();  // stops the watcher thread
  DeadlineWatch(const DeadlineWatch&) = delete;
  DeadlineWatch& operator=(const DeadlineWatch&) = delete;

  // At `due`, shuts `fd` down and sets `expired` (which outlives the arming), unless
  // disarmed first. One delivery at a time: arming again replaces the last one.
  void arm(int fd, std::chrono::steady_clock::time_point due, std::atomic<bool>& expired);
  // After it returns the watcher leaves the socket alone (it may be kept for the next).
  void disarm();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool armed_ = false;
  bool idle_ = false;  // waiting with nothing armed: arm() must wake it
  std::uint64_t generation_ = 0;
  int fd_ = -1;
  std::chrono::steady_clock::time_point due_;
  std::atomic<bool>* expired_ = nullptr;
  std::thread watcher_;
};

// Arms the watch for one delivery, disarms it when the delivery is over. Declare it after
// the session, which keeps the socket open until this is gone.
class DeliveryDeadline {
 public:
  DeliveryDeadline(DeadlineWatch& watch, int fd, std::chrono::steady_clock::time_point due,
                   std::atomic<bool>& expired)
      : watch_(watch) {
    watch_.arm(fd, due, expired);
  }
  ~DeliveryDeadline() { watch_.disarm(); }
  DeliveryDeadline(const DeliveryDeadline&) = delete;
  DeliveryDeadline& operator=(const DeliveryDeadline&) = delete;

 private:
  DeadlineWatch& watch_;
};

}  // namespace salescore::webhooks
