// LISTEN salescore_events on a PostgreSQL session of its own, on a thread of its own:
// every notice for this database's schema calls `moved`. A lost session is opened again
// (after a second); `moved` is called then too, since notices sent meanwhile are gone.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "store/sql.h"

namespace salescore::store {

class EventListener {
 public:
  EventListener(std::string url, OpenOptions options, std::function<void()> moved);
  ~EventListener();  // stops and joins the thread
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;

 private:
  void run();

  const std::string url_;
  const OpenOptions options_;
  const std::function<void()> moved_;
  int wake_[2] = {-1, -1};  // a pipe: the destructor writes to end the wait
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace salescore::store
